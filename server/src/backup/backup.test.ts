import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type DatabaseHandle, type DialectName } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { cliActor, recordAudit } from '../audit/audit.ts';
import { DiskAttachmentStore } from '../attachments/attachment-store.ts';
import { storeUpload } from '../attachments/attachments.service.ts';
import { seedDemoCity } from '../demo/seed-demo.ts';
import { createTestDatabase, describeOnBothDatabases, type TestDatabase } from '../test/databases.ts';
import { LATEST_MIGRATION, type BackupManifest } from './backup-manifest.ts';
import { createBackup, restoreBackup, verifyBackup } from './backup.service.ts';
import { TarWriter, readEntry, readTarIndex } from './tar-archive.ts';

// The city's records whose rows must come back exactly: a checksum over every column, in key order.
const KEY_TABLES: Record<string, string[]> = {
  cases: ['id'], case_events: ['id'], handling_rounds: ['id'], evaluation_runs: ['id'],
  evaluation_results: ['run_id', 'stage', 'unit_node_id'], inspection_findings: ['id'], attachments: ['id'], users: ['id'],
};

interface Fingerprint {
  counts: Record<string, number>;
  checksums: Record<string, string>;
}

async function fingerprint(db: Kysely<Database>): Promise<Fingerprint> {
  const counts: Record<string, number> = {};
  const checksums: Record<string, string> = {};
  for (const [table, key] of Object.entries(KEY_TABLES)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.join(key.map((c) => sql.ref(c)))}`.execute(db);
    counts[table] = rows.rows.length;
    checksums[table] = createHash('sha256').update(JSON.stringify(rows.rows)).digest('hex');
  }
  return { counts, checksums };
}

/** Opens a database only for the time of `fn`: a restore refuses a PostgreSQL database others are connected to. */
async function withDatabase<T>(url: string, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  // NORMAL: no flush per commit; what is tested here is the copy, not the durability of each write.
  const handle = openDatabase({ url, poolSize: 1, sqliteSynchronous: 'NORMAL' });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

const configFor = (url: string, dataDir: string): Config => loadConfig({ DATABASE_URL: url, CITYOPS_DATA_DIR: dataDir }, dataDir);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const photo = (text: string) => Buffer.concat([Buffer.from(PNG_SIGNATURE), Buffer.from(text)]);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A copy of a backup with the manifest changed (the payload and photos as they are). */
async function withManifest(file: string, out: string, change: (m: BackupManifest) => void): Promise<void> {
  const writer = await TarWriter.create(out);
  for (const entry of await readTarIndex(file)) {
    const bytes = await readEntry(file, entry);
    if (entry.name !== 'manifest.json') await writer.addBuffer(entry.name, bytes);
    else {
      const manifest = JSON.parse(bytes.toString('utf8')) as BackupManifest;
      change(manifest);
      await writer.addBuffer(entry.name, Buffer.from(JSON.stringify(manifest)));
    }
  }
  await writer.finish();
}

test('a PostgreSQL backup without pg_dump on PATH says what to install, and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cityops-backup-tools-'));
  try {
    const config = configFor('postgres://postgres@127.0.0.1:5432/nowhere', dir);
    await assert.rejects(createBackup(config, join(dir, 'b.tar'), { pathEnv: join(dir, 'no-such-bin') }),
      (e: Error & { reason?: string }) => e.reason === 'tools' && /pg_dump was not found on PATH: install the PostgreSQL client programs/.test(e.message));
    assert.equal(existsSync(join(dir, 'b.tar')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeOnBothDatabases('backup and restore', (database) => {
  let dir: string;
  let dialect: DialectName;
  let source: { url: string; handle: DatabaseHandle };
  let config: Config;
  let file: string;
  let atBackup: Fingerprint;
  let photos: string[];
  const cleanups: (() => Promise<void>)[] = [];

  /** A database of this dialect that nobody uses yet: migrated, no records. */
  async function emptyTarget(kind: DialectName = dialect): Promise<string> {
    if (kind === 'postgres') {
      const target: TestDatabase = await createTestDatabase('postgres');
      cleanups.push(() => target.dispose());
      return target.url;
    }
    const url = join(dir, `target-${cleanups.length}-${Math.random().toString(36).slice(2)}.sqlite`);
    await withDatabase(url, (db) => migrateToLatest(db));
    return url;
  }

  const expectUnchanged = async (url: string, before: Fingerprint) => assert.deepEqual(await withDatabase(url, fingerprint), before);
  const refused = (reason: string, message: RegExp) => (e: Error & { reason?: string }) => {
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    return true;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cityops-backup-test-'));
    dialect = database().dialect;
    if (dialect === 'postgres') {
      const url = (database() as TestDatabase).url;
      // Before the pool's first connection: seeding commits without waiting for the flush (twice as fast).
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`alter database ${url.slice(url.lastIndexOf('/') + 1)} set synchronous_commit = off`);
      await client.end();
      source = { url, handle: database() };
    } else {
      // A file, as a server has it: write-ahead log and all (an in-memory database cannot be copied online).
      const url = join(dir, 'source.sqlite');
      const handle = openDatabase({ url, sqliteSynchronous: 'NORMAL' });
      await migrateToLatest(handle.db);
      source = { url, handle };
      cleanups.push(() => handle.close());
    }
    const db = source.handle.db;
    await seedDemoCity(db, { seed: 20261127, targetGrids: 200, casesPerGridYear: 1, historyUntil: Date.UTC(2026, 9, 31, 16) });
    config = configFor(source.url, join(dir, 'data'));
    const store = new DiskAttachmentStore(config.attachmentsDir);
    photos = [];
    for (const text of ['现场照片 1', '现场照片 2']) {
      const stored = await storeUpload(db, store, cliActor(), { bytes: photo(text), declaredType: 'image/png', originalName: `${text}.png` }, { maxBytes: 1 << 20 });
      photos.push(stored.sha256);
    }
    file = join(dir, 'city.tar');
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken while the database is written holds one consistent snapshot, its counts and photos in the manifest', async () => {
    const db = source.handle.db;
    // Committed but not yet checkpointed into the SQLite file: the copy must still hold it.
    await recordAudit(db, cliActor(), 'test.before_backup', { type: 'test' });
    if (dialect === 'sqlite') assert.ok(statSync(`${source.url}-wal`).size > 0);
    atBackup = await fingerprint(db);
    const auditBefore = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    // A writer keeps going during the backup; the manifest must describe one instant between its writes.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await recordAudit(db, cliActor(), 'test.during_backup', { type: 'test' });
        written += 1;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    let result: Awaited<ReturnType<typeof createBackup>>;
    try {
      result = await createBackup(config, file);
    } finally {
      writing = false;
      await writer;
    }
    const manifest = (await verifyBackup(file)).manifest;
    assert.equal(manifest.dialect, dialect);
    assert.equal(manifest.migration, LATEST_MIGRATION);
    for (const [table, rows] of Object.entries(atBackup.counts)) assert.equal(manifest.tables[table], rows, table);
    assert.ok(manifest.tables.cases! > 100 && manifest.tables.evaluation_results! > 0, JSON.stringify(manifest.tables));
    assert.ok(manifest.tables.audit_log! >= auditBefore && manifest.tables.audit_log! <= auditBefore + written, `${manifest.tables.audit_log} of ${auditBefore}..${auditBefore + written}`);
    assert.deepEqual(manifest.attachments, { included: true, referenced: 2, count: 2, bytes: photo('现场照片 1').length + photo('现场照片 2').length, missing: [] });
    assert.equal(result.cases, atBackup.counts.cases);

    // The payload's checksum is the manifest's; the photos sit under their store paths.
    const entries = await readTarIndex(file);
    const payload = entries.find((e) => e.name === manifest.payload.entry)!;
    assert.equal(sha(await readEntry(file, payload)), manifest.payload.sha256);
    assert.deepEqual(entries.map((e) => e.name).filter((n) => n.startsWith('attachments/')).sort(),
      photos.map((k) => `attachments/${k.slice(0, 2)}/${k.slice(2, 4)}/${k}`).sort());
    // A backup never replaces a file.
    await assert.rejects(createBackup(config, file), refused('file', /exists: name a new file/));
  });

  // One target goes through the next three tests in turn: restored empty, changed, refused, forced, tampered with.
  let targetUrl: string;
  let target: Config;

  test('restored into an empty database, the data and photos are the backup\'s, migrated and audited', async () => {
    targetUrl = await emptyTarget();
    target = configFor(targetUrl, join(dir, 'restored-data'));
    const result = await restoreBackup(target, file);
    assert.deepEqual(result.replaced, []);
    assert.equal(result.attachments.restored, 2);
    await withDatabase(targetUrl, async (db) => {
      assert.deepEqual(await fingerprint(db), atBackup);
      const migration = await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(db);
      assert.equal(migration.rows[0]!.name, LATEST_MIGRATION);
      const audit = await db.selectFrom('audit_log').select(['action', 'entity_ref']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.equal(audit.action, 'backup.restore');
    });
    const store = new DiskAttachmentStore(target.attachmentsDir);
    for (const key of photos) assert.equal(sha((await store.get(key))!), key);
  });

  test('a database with records is refused unless --force, which puts back exactly the backup', async () => {
    // The city changes after the backup: a case edited, a case's events deleted, a month's results gone, a photo lost.
    await withDatabase(targetUrl, async (db) => {
      await db.updateTable('cases').set({ description: '改过' }).where('id', '=', 1).execute();
      const last = await db.selectFrom('cases').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      await db.deleteFrom('case_events').where('case_id', '=', Number(last.id)).execute();
      await db.deleteFrom('evaluation_results').where('run_id', '=', 1).execute();
    });
    unlinkSync(new DiskAttachmentStore(target.attachmentsDir).pathFor(photos[0]!));
    const changed = await withDatabase(targetUrl, fingerprint);
    assert.notDeepEqual(changed, atBackup);
    assert.ok(changed.counts.case_events! < atBackup.counts.case_events! && changed.counts.evaluation_results! < atBackup.counts.evaluation_results!);

    await assert.rejects(restoreBackup(target, file), refused('not_empty', /is not empty \(rows in .*\); restoring would replace them: add --force/));
    await expectUnchanged(targetUrl, changed);

    const result = await restoreBackup(target, file, { force: true });
    assert.ok(result.replaced.includes('cases') && result.replaced.includes('case_events'));
    await withDatabase(targetUrl, async (db) => assert.deepEqual(await fingerprint(db), atBackup));
    assert.ok(existsSync(new DiskAttachmentStore(target.attachmentsDir).pathFor(photos[0]!)));
  });

  test('a missing, tampered, cut-off, miscounted or newer backup is refused, and the target is left as it was', async () => {
    await withDatabase(targetUrl, (db) => db.updateTable('cases').set({ description: '备份之后' }).where('id', '=', 2).execute());
    const current = await withDatabase(targetUrl, fingerprint);

    await assert.rejects(restoreBackup(target, join(dir, 'no-such.tar'), { force: true }), refused('file', /there is no backup file/));

    const payload = (await readTarIndex(file)).find((e) => e.name.startsWith('database.'))!;
    const tampered = Buffer.from(readFileSync(file));
    const middle = payload.offset + Math.floor(payload.size / 2);
    tampered[middle] = tampered[middle]! ^ 0x01;
    writeFileSync(join(dir, 'tampered.tar'), tampered);
    await assert.rejects(restoreBackup(target, join(dir, 'tampered.tar'), { force: true }), refused('damaged', /does not match the manifest's checksum/));
    await assert.rejects(verifyBackup(join(dir, 'tampered.tar')), refused('damaged', /does not match the manifest's checksum/));

    const picture = (await readTarIndex(file)).find((e) => e.name.startsWith('attachments/'))!;
    const retouched = Buffer.from(readFileSync(file));
    retouched[picture.offset + 1] = retouched[picture.offset + 1]! ^ 0x01;
    writeFileSync(join(dir, 'retouched.tar'), retouched);
    await assert.rejects(restoreBackup(target, join(dir, 'retouched.tar'), { force: true }), refused('damaged', /the photo attachments\/.* does not match its checksum/));

    writeFileSync(join(dir, 'cut.tar'), readFileSync(file));
    truncateSync(join(dir, 'cut.tar'), payload.offset + 4096);
    await assert.rejects(restoreBackup(target, join(dir, 'cut.tar'), { force: true }), refused('damaged', /cut off/));

    await withManifest(file, join(dir, 'newer.tar'), (m) => {
      m.migration = '20991231_001_later';
    });
    await assert.rejects(restoreBackup(target, join(dir, 'newer.tar'), { force: true }),
      refused('newer_migration', /made at migration 20991231_001_later, newer than this CityOps knows/));

    // Counts that disagree with the payload: refused on SQLite before the target is touched, and on
    // PostgreSQL rolled back after the load (the schema was already dropped inside that transaction).
    await withManifest(file, join(dir, 'miscounted.tar'), (m) => {
      m.tables.cases! += 1;
    });
    await assert.rejects(restoreBackup(target, join(dir, 'miscounted.tar'), { force: true }), refused('damaged', /cases: \d+ rows in the backup, \d+ restored/));
    await expectUnchanged(targetUrl, current);
  });

  test('PostgreSQL: a database other sessions are connected to (a running server) is refused', async (t) => {
    if (dialect === 'sqlite') return t.skip('SQLite cannot tell whether a server has the file open: the operator stops it');
    const before = await withDatabase(targetUrl, fingerprint);
    const server = new pg.Client({ connectionString: targetUrl, application_name: 'cityops-test-server' });
    await server.connect();
    try {
      await assert.rejects(restoreBackup(target, file, { force: true }), refused('in_use', /1 other session\(s\) are connected to .* \(cityops-test-server@[^)]*\): stop the CityOps servers/));
    } finally {
      await server.end();
    }
    await expectUnchanged(targetUrl, before);
  });

  test('a backup of the other kind of database is refused and changes nothing', async () => {
    const other: DialectName = dialect === 'sqlite' ? 'postgres' : 'sqlite';
    const otherUrl = await emptyTarget(other);
    const empty = await withDatabase(otherUrl, fingerprint);
    await assert.rejects(restoreBackup(configFor(otherUrl, join(dir, 'other-data')), file),
      refused('dialect', dialect === 'sqlite' ? /backup of a SQLite database and DATABASE_URL names a PostgreSQL one/ : /backup of a PostgreSQL database and DATABASE_URL names a SQLite one/));
    await expectUnchanged(otherUrl, empty);
  });
});
