import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { POINT_GRID1, setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';

describeOnBothDatabases('the workbench counts (GET /api/cases/summary)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    const report = async () => (await client.request('POST', '/api/cases', { token: w.tokens.inspector, body: { source: 'inspector', classCode: '06010', description: '路边暴露垃圾一堆', location: POINT_GRID1 } })).json().caseId as number;
    const act = async (id: number, token: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await client.request('POST', `/api/cases/${id}/actions/${action}`, { token, body });
      assert.equal(r.statusCode, 200, r.body);
    };
    const dispatched = async (departmentId: number) => {
      const id = await report();
      await act(id, w.tokens.acceptor, 'accept');
      await act(id, w.tokens.shiftChief, 'register');
      await act(id, w.tokens.dispatcher, 'dispatch', { departmentId });
      return id;
    };
    ids.waiting = await report();
    ids.accepted = await report();
    await act(ids.accepted, w.tokens.acceptor, 'accept');
    ids.late = await dispatched(w.departments.hwc);
    ids.warned = await dispatched(w.departments.hwc);
    ids.fresh = await dispatched(w.departments.hwc);
    ids.other = await dispatched(w.departments.szc);
    // One report refused at acceptance: a terminal state, left out of the tiles unless asked for.
    ids.refused = await report();
    await act(ids.refused, w.tokens.acceptor, 'reject', { reason: '不属于城管受理范围' });
    // Move the clocks instead of waiting for them: one case past its handling deadline, one in its warning
    // time, and the unaccepted report past its acceptance stage.
    const now = Date.now();
    const db = client.database.db;
    await db.updateTable('cases').set({ handling_due_at: now - 3_600_000, handling_warn_at: now - 7_200_000 }).where('id', '=', ids.late!).execute();
    await db.updateTable('cases').set({ handling_due_at: now + 3_600_000, handling_warn_at: now - 60_000 }).where('id', '=', ids.warned!).execute();
    await db.updateTable('cases').set({ stage_due_at: now - 1_000, stage_warn_at: now - 2_000 }).where('id', '=', ids.waiting!).execute();
  });
  after(() => client.close());

  const summary = async (token: string, query = '') => {
    const r = await client.request('GET', `/api/cases/summary${query}`, { token });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as { total: number; items: { state: string; stateLabel: string; total: number; red: number; yellow: number }[] };
  };
  const brief = (s: Awaited<ReturnType<typeof summary>>) => s.items.map((i) => [i.state, i.total, i.red, i.yellow]);

  test('the city sees every state with its red and yellow cases, in the workflow\'s order', async () => {
    const s = await summary(w.tokens.admin);
    assert.deepEqual(brief(s), [['pending_accept', 1, 1, 0], ['pending_register', 1, 0, 0], ['pending_handle', 4, 1, 1]]);
    assert.equal(s.total, 6);
    assert.equal(s.items[0]!.stateLabel, '待受理');
  });

  test('the counts agree with the lights of the list\'s own items', async () => {
    const s = await summary(w.tokens.admin);
    for (const row of s.items) {
      const list = (await client.request('GET', `/api/cases?state=${row.state}&limit=100`, { token: w.tokens.admin })).json() as { total: number; items: { light: string | null }[] };
      assert.equal(list.total, row.total, row.state);
      assert.equal(list.items.filter((c) => c.light === 'red').length, row.red, `${row.state} red`);
      assert.equal(list.items.filter((c) => c.light === 'yellow').length, row.yellow, `${row.state} yellow`);
    }
  });

  test('a department counts only the cases it holds; the list\'s filters narrow the counts', async () => {
    assert.deepEqual(brief(await summary(w.tokens.hwc)), [['pending_handle', 3, 1, 1]]);
    assert.deepEqual(brief(await summary(w.tokens.szc)), [['pending_handle', 1, 0, 0]]);
    assert.deepEqual(brief(await summary(w.tokens.admin, '?state=pending_accept,pending_register')), [['pending_accept', 1, 1, 0], ['pending_register', 1, 0, 0]]);
    assert.deepEqual(brief(await summary(w.tokens.admin, `?departmentId=${w.departments.szc}`)), [['pending_handle', 1, 0, 0]]);
  });

  test('an unknown state is refused naming the field; the public role has no workbench', async () => {
    const bad = await client.request('GET', '/api/cases/summary?state=nonsense', { token: w.tokens.admin });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /"field":"state"/);
    assert.equal((await client.request('GET', '/api/cases/summary', { token: w.tokens.public })).statusCode, 403);
  });

  test('closed history is not counted unless its states are asked for', async () => {
    assert.ok(!(await summary(w.tokens.admin)).items.some((i) => i.state === 'not_accepted'));
    assert.deepEqual(brief(await summary(w.tokens.admin, '?state=not_accepted')), [['not_accepted', 1, 0, 0]]);
  });
});
