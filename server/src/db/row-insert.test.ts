import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { CompiledOnce } from './compiled-once.ts';
import { insertAll, insertRows, rowInsert } from './row-insert.ts';

const audit = (i: number) => ({ at: 1_000 + i, actor_kind: 'system' as const, actor_id: null, actor_name: 'test', action: `row.${i}`, entity_type: 'test', entity_ref: String(i), detail: null });

describeOnBothDatabases('statements written straight from rows (row-insert.ts, compiled-once.ts)', (database) => {
  it('inserts rows beyond one statement’s parameter limit in chunks and returns their ids in order', async () => {
    const { db } = database();
    // 9 columns × 4,000 rows = 36,000 bound values: two statements under the 30,000 a statement takes.
    const rows = Array.from({ length: 4_000 }, (_, i) => audit(i));
    const returned = await insertRows<'audit_log', { id: number; entity_ref: string }>(db, 'audit_log', rows, { returning: ['id', 'entity_ref'] });
    assert.equal(returned.length, 4_000);
    assert.deepEqual(returned.slice(0, 3).map((r) => r.entity_ref), ['0', '1', '2']);
    assert.equal(returned[3_999]!.entity_ref, '3999');
    assert.ok(returned.every((r, i) => i === 0 || r.id > returned[i - 1]!.id), 'ids ascend with the rows');
    const stored = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n')).where('entity_type', '=', 'test').executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 4_000);
  });

  it('an additive upsert adds the new counts to the stored row and inserts the rest', async () => {
    const { db } = database();
    const upsert = { addOnConflict: { key: ['half', 'grid_id'], add: ['reported'] } };
    await insertRows(db, 'kept_grid_reports', [{ half: 1, grid_id: 9_001, reported: 5 }], upsert);
    await insertRows(db, 'kept_grid_reports', [{ half: 1, grid_id: 9_001, reported: 3 }, { half: 1, grid_id: 9_002, reported: 4 }], upsert);
    const rows = await db.selectFrom('kept_grid_reports').select(['grid_id', 'reported']).where('grid_id', '>=', 9_001).orderBy('grid_id').execute();
    assert.deepEqual(rows.map((r) => [r.grid_id, r.reported]), [[9_001, 8], [9_002, 4]]);
  });

  it('two writers adding to the same rows in opposite orders at once neither deadlock nor lose a count', async () => {
    const { db } = database();
    const upsert = { addOnConflict: { key: ['half', 'grid_id'], add: ['reported'] } };
    const keys = Array.from({ length: 300 }, (_, i) => 9_500 + i);
    for (let round = 0; round < 10; round++) {
      // Each writer in its own transaction (its own connection on PostgreSQL), the rows given in opposite orders:
      // unsorted, their row locks would cross and PostgreSQL would fail one with deadlock_detected.
      await Promise.all([keys, [...keys].reverse()].map((order) => db.transaction().execute((trx) =>
        insertAll(trx, [rowInsert('kept_grid_reports', order.map((grid_id) => ({ half: 3, grid_id, reported: 1 })), upsert)]))));
    }
    const rows = await db.selectFrom('kept_grid_reports').select(['grid_id', 'reported']).where('half', '=', 3).where('grid_id', '>=', 9_500).execute();
    assert.equal(rows.length, 300);
    assert.ok(rows.every((r) => r.reported === 20), 'ten rounds of two writers add 20 to every row');
  });

  it('insertAll writes several tables (one statement on PostgreSQL) and returns the last one’s rows', async () => {
    const { db } = database();
    const returned = await insertAll<{ entity_ref: string }>(db, [
      rowInsert('kept_grid_reports', [{ half: 2, grid_id: 9_101, reported: 2 }], { addOnConflict: { key: ['half', 'grid_id'], add: ['reported'] } }),
      rowInsert('kept_grid_year_reports', [{ year: 2026, grid_id: 9_101, reported: 2 }], { addOnConflict: { key: ['year', 'grid_id'], add: ['reported'] } }),
      rowInsert('case_reporters', []),
      rowInsert('audit_log', [audit(10_001), audit(10_002)], { returning: ['entity_ref'] }),
    ]);
    assert.deepEqual(returned.map((r) => r.entity_ref), ['10001', '10002']);
    const year = await db.selectFrom('kept_grid_year_reports').select('reported').where('grid_id', '=', 9_101).executeTakeFirstOrThrow();
    assert.equal(year.reported, 2);
  });

  it('refuses rows that do not all set the same columns, and returning rows from any but the last insert', async () => {
    const { db } = database();
    await assert.rejects(insertRows(db, 'audit_log', [audit(1), { ...audit(2), detail: undefined as unknown as null, entity_ref: undefined as unknown as null }]), /audit_log.*row 1/);
    await assert.rejects(insertAll(db, [rowInsert('audit_log', [audit(3)], { returning: ['id'] }), rowInsert('audit_log', [audit(4)])]), /only the last/);
  });

  it('a query compiled once runs with each call’s values, built once per database', async () => {
    const { db } = database();
    let builds = 0;
    const byRef = new CompiledOnce(1, (executor, ref: string) => {
      builds++;
      return executor.selectFrom('audit_log').select(['action']).where('entity_type', '=', 'test').where('entity_ref', '=', ref);
    });
    assert.deepEqual((await byRef.execute(db, '7')).map((r) => r.action), ['row.7']);
    assert.deepEqual((await byRef.execute(db, '3999')).map((r) => r.action), ['row.3999']);
    assert.deepEqual(await byRef.execute(db, 'none'), []);
    await db.transaction().execute(async (trx) => assert.deepEqual((await byRef.execute(trx, '8')).map((r) => r.action), ['row.8']));
    assert.equal(builds, 1);
  });
});
