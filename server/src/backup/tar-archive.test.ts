import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TarWriter, readEntry, readTarIndex, tarHeader } from './tar-archive.ts';

const dir = mkdtempSync(join(tmpdir(), 'cityops-tar-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('entries written are read back in order, at their offsets, and GNU tar agrees', async () => {
  const content = Buffer.alloc(1300, 7); // 1300 bytes: two full blocks and a padded third
  writeFileSync(join(dir, 'payload.bin'), content);
  const path = join(dir, 'a.tar');
  const writer = await TarWriter.create(path);
  await writer.addFile('database.sqlite', join(dir, 'payload.bin'));
  await writer.addBuffer('attachments/ab/cd/empty', new Uint8Array());
  await writer.addBuffer('manifest.json', Buffer.from('{"a":1}'));
  await writer.finish();

  const entries = await readTarIndex(path);
  // header 512 + 1300 padded to 1536; header 512 + nothing; header 512 + 7 bytes
  assert.deepEqual(entries, [
    { name: 'database.sqlite', size: 1300, offset: 512 },
    { name: 'attachments/ab/cd/empty', size: 0, offset: 512 + 1536 + 512 },
    { name: 'manifest.json', size: 7, offset: 512 + 1536 + 512 + 512 },
  ]);
  assert.equal(readFileSync(path).length, 512 + 1536 + 512 + 512 + 512 + 1024);
  assert.deepEqual(await readEntry(path, entries[0]!), content);
  assert.equal((await readEntry(path, entries[2]!)).toString(), '{"a":1}');
  assert.equal(execFileSync('tar', ['-tf', path], { encoding: 'utf8' }), 'database.sqlite\nattachments/ab/cd/empty\nmanifest.json\n');
  assert.equal(execFileSync('tar', ['-xOf', path, 'manifest.json'], { encoding: 'utf8' }), '{"a":1}');
});

test('a size of 8 GiB or more goes in base-256, as GNU tar reads it', () => {
  const size = 8 ** 11 + 5; // one past what eleven octal digits hold, plus four
  const header = tarHeader('big', size, 0);
  assert.equal(header[124], 0x80);
  // 8^11 + 5 = 0x2_0000_0005 big-endian in bytes 125..135
  assert.deepEqual([...header.subarray(131, 136)], [0x02, 0x00, 0x00, 0x00, 0x05]);
  assert.deepEqual([...header.subarray(125, 131)], [0, 0, 0, 0, 0, 0]);
  // GNU tar lists the header with that size (it stops at the missing data, after printing the entry)
  const path = join(dir, 'big.tar');
  writeFileSync(path, Buffer.concat([header, Buffer.alloc(1024)]));
  let listing = '';
  try {
    listing = execFileSync('tar', ['-tvf', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    listing = String((error as { stdout?: string }).stdout ?? '');
  }
  assert.match(listing, new RegExp(`\\b${size}\\b.* big\\n`));
  assert.equal(tarHeader('small', 8 ** 11 - 1, 0).toString('latin1', 124, 136), '77777777777\0');
});

test('a damaged header or a cut-off file is refused', async () => {
  const path = join(dir, 'b.tar');
  const writer = await TarWriter.create(path);
  await writer.addBuffer('one', Buffer.alloc(600, 1));
  await writer.addBuffer('two', Buffer.alloc(10, 2));
  await writer.finish();
  const bytes = readFileSync(path);

  const damaged = Buffer.from(bytes);
  damaged[1536 + 3] = damaged[1536 + 3]! ^ 0xff; // the second header's name
  writeFileSync(join(dir, 'damaged.tar'), damaged);
  await assert.rejects(readTarIndex(join(dir, 'damaged.tar')), /header at byte 1536 is damaged/);

  writeFileSync(join(dir, 'cut.tar'), bytes);
  truncateSync(join(dir, 'cut.tar'), 1000); // inside the first entry's data
  await assert.rejects(readTarIndex(join(dir, 'cut.tar')), /cut off/);
  writeFileSync(join(dir, 'cut.tar'), bytes);
  truncateSync(join(dir, 'cut.tar'), 2560); // after the last entry's padded data, before the end blocks
  await assert.rejects(readTarIndex(join(dir, 'cut.tar')), /without the end of the archive/);
});

test('an existing file is never written over', async () => {
  const path = join(dir, 'exists.tar');
  writeFileSync(path, 'keep');
  await assert.rejects(TarWriter.create(path), { code: 'EEXIST' });
  assert.equal(readFileSync(path, 'utf8'), 'keep');
});
