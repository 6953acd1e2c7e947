import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { listCases } from './cases.queries.ts';
import { setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';

describeOnBothDatabases('the case list at scale: counted up to a cap, ordered by the deadline that runs', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  const ids: number[] = [];
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    for (let i = 0; i < 5; i++) {
      const res = await client.request('POST', '/api/cases', { token: w.tokens.inspector, body: { source: 'inspector', classCode: '06010', description: `列表 ${i}`, location: { lon: 118.8001 + i * 0.0001, lat: 32.0002 } } });
      assert.equal(res.statusCode, 201, res.body);
      ids.push(res.json().caseId);
    }
  });
  after(() => client.close());

  test('more matches than the cap: the total is the cap and says it is a lower bound; within it, exact', async () => {
    const admin = await w.actor(w.tokens.admin);
    const filter = { sort: 'reported_desc' as const, limit: 2, offset: 0 };
    assert.deepEqual(await listCases(client.database.db, admin, filter, Date.now(), 3).then((r) => [r.total, r.totalExact, r.items.length]), [3, false, 2]);
    assert.deepEqual(await listCases(client.database.db, admin, filter, Date.now(), 5).then((r) => [r.total, r.totalExact]), [5, true]);
    const http = (await client.request('GET', '/api/cases?limit=2', { token: w.tokens.admin })).json();
    assert.deepEqual([http.total, http.totalExact], [5, true]);
  });

  test('by deadline: the handling deadline where it runs, else the stage\'s, then by id', async () => {
    const db = client.database.db;
    const base = Date.parse('2026-12-01T00:00:00Z');
    // Case 0 has a running handling clock (its stage clock cleared); the others only a stage clock.
    await db.updateTable('cases').set({ handling_due_at: base + 5_000, stage_due_at: null }).where('id', '=', ids[0]!).execute();
    await db.updateTable('cases').set({ handling_due_at: null, stage_due_at: base + 9_000 }).where('id', '=', ids[1]!).execute();
    await db.updateTable('cases').set({ handling_due_at: null, stage_due_at: base + 1_000 }).where('id', '=', ids[2]!).execute();
    await db.updateTable('cases').set({ handling_due_at: null, stage_due_at: base + 5_000 }).where('id', '=', ids[3]!).execute();
    await db.updateTable('cases').set({ handling_due_at: null, stage_due_at: base + 7_000 }).where('id', '=', ids[4]!).execute();
    const page = await listCases(db, await w.actor(w.tokens.admin), { sort: 'due_asc', limit: 10, offset: 0, states: ['pending_accept'] }, Date.now());
    assert.deepEqual(page.items.map((c) => ids.indexOf(c.id)), [2, 0, 3, 4, 1]);
  });
});
