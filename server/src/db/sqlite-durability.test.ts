import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { onDisk, openDatabase, type DatabaseHandle } from './database.ts';
import { runIdempotent } from '../http/idempotency.ts';
import { migrateToLatest } from './migrate.ts';

const row = (i: number) => ({ at: i, actor_kind: 'system' as const, actor_id: null, actor_name: 't', action: 'durability', entity_type: 'test', entity_ref: String(i), detail: null });

// SQLite on a file: commits are made durable by a group fsync of the write-ahead log (wal-sync.ts, decision 0014).
describe('SQLite commits: durable through a shared flush of the log', () => {
  let dir: string;
  let handle: DatabaseHandle;
  const flushes = () => handle.walSync!.flushes;

  before(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'cityops-durability-'));
    handle = openDatabase({ url: join(dir, 'city.db') });
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a commit answers only after a flush of the log; a read outside a transaction does not flush', async () => {
    assert.ok(handle.walSync, 'a file database with FULL durability flushes its log');
    const before = flushes();
    await handle.db.transaction().execute((trx) => trx.insertInto('audit_log').values(row(1)).execute());
    assert.equal(flushes(), before + 1);
    await handle.db.selectFrom('audit_log').selectAll().execute();
    assert.equal(flushes(), before + 1);
    await handle.db.insertInto('audit_log').values(row(2)).execute();
    assert.equal(flushes(), before + 2, 'a write outside a transaction is its own commit');
  });

  it('a replayed idempotent answer is sent after a flush: the first attempt it reports is on disk', async () => {
    const key = { scope: 'test', key: 'replay-after-flush', hash: 'h1' };
    const effect = async (trx: Parameters<Parameters<typeof runIdempotent>[2]>[0]) => {
      await trx.insertInto('audit_log').values(row(50)).execute();
      return { status: 201, body: { ok: true } };
    };
    const first = await runIdempotent(handle.db, key, effect);
    assert.equal(first.replayed, false);
    const before = flushes();
    const again = await runIdempotent(handle.db, key, effect);
    assert.equal(again.replayed, true);
    assert.equal(flushes(), before + 1, 'the replay waited for a flush of the log');
    await onDisk(handle.db);
    assert.equal(flushes(), before + 2);
  });

  it('a rolled-back transaction writes nothing and flushes nothing', async () => {
    const before = flushes();
    await assert.rejects(handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values(row(3)).execute();
      throw new Error('no');
    }), /no/);
    assert.equal(flushes(), before);
    assert.equal((await handle.db.selectFrom('audit_log').select('id').where('entity_ref', '=', '3').execute()).length, 0);
  });

  it('twenty transactions committed together share the flushes: the first, and one for all that committed while it ran', async () => {
    const before = flushes();
    await Promise.all(Array.from({ length: 20 }, (_, i) => handle.db.transaction().execute((trx) => trx.insertInto('audit_log').values(row(100 + i)).execute())));
    const stored = await handle.db.selectFrom('audit_log').select('id').where('entity_ref', '>=', '100').where('entity_ref', '<', '120').execute();
    assert.equal(stored.length, 20);
    // Each transaction's statements run without waiting on I/O, so the nineteen commit while the first flush runs.
    assert.ok(flushes() - before <= 3, `${flushes() - before} flushes for 20 commits`);
    assert.ok(flushes() - before >= 2);
  });

  it('the next transaction writes while the last one’s flush runs: the connection passes on at COMMIT', async () => {
    const order: string[] = [];
    const first = handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values(row(200)).execute();
    }).then(() => order.push('first answered'));
    const second = handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values(row(201)).execute();
      order.push('second wrote');
    });
    await Promise.all([first, second]);
    assert.deepEqual(order, ['second wrote', 'first answered']);
  });
});
