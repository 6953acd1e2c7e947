import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { POINT_GRID1, setUpCaseWorld, uploadPhoto, type CaseWorld } from './cases.test-support.ts';

describeOnBothDatabases('case workflow over HTTP', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
  });
  after(() => client.close());

  const report = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    client.request('POST', '/api/cases', { token, body: { source: 'inspector', classCode: '06010', description: '路边暴露垃圾一堆', location: POINT_GRID1, ...body }, headers });
  const act = (token: string, id: number, action: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    client.request('POST', `/api/cases/${id}/actions/${action}`, { token, body, headers });
  const get = async (id: number, token = w.tokens.admin) => (await client.request('GET', `/api/cases/${id}`, { token })).json();

  test('an inspector report travels the seven steps to closed, and the timeline records every step', async () => {
    const created = await report(w.tokens.inspector, { address: '测试路1号' });
    assert.equal(created.statusCode, 201, created.body);
    const { caseId, code, state } = created.json();
    assert.match(code, /^\d{13}$/);
    assert.equal(state, 'pending_accept');
    const fresh = await get(caseId);
    assert.equal(fresh.territory.grid.code, FIXTURE.grids[0]);
    assert.equal(fresh.territory.district.code, FIXTURE.district);
    assert.deepEqual(fresh.limit, { value: 4, unit: 'working_hours' });
    assert.equal(fresh.suggestedDepartment.code, 'HWC');
    assert.equal(fresh.stage.name, 'accept');
    assert.ok(fresh.stage.dueAt, 'the acceptance stage has a deadline');

    const steps: [string, string, Record<string, unknown>, string][] = [
      [w.tokens.acceptor, 'accept', {}, 'pending_register'],
      [w.tokens.shiftChief, 'register', {}, 'pending_dispatch'],
      [w.tokens.dispatcher, 'dispatch', { departmentId: w.departments.hwc }, 'pending_handle'],
      [w.tokens.hwc, 'sign', {}, 'handling'],
      [w.tokens.hwc, 'feedback', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)], note: '已清运' }, 'pending_check'],
      [w.tokens.inspector, 'check_pass', {}, 'pending_close'],
      [w.tokens.shiftChief, 'close', {}, 'closed'],
    ];
    for (const [token, action, body, expected] of steps) {
      const res = await act(token, caseId, action, body);
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      assert.equal(res.json().toState, expected, action);
    }
    const done = await get(caseId);
    assert.equal(done.state, 'closed');
    assert.equal(done.department.code, 'HWC');
    assert.ok(done.closedAt && done.handledAt && done.dispatchedAt && done.registeredAt);
    assert.equal(done.handling.overdue, false);
    const events = (await client.request('GET', `/api/cases/${caseId}/events`, { token: w.tokens.leader })).json().items;
    assert.deepEqual(events.map((e: { action: string }) => e.action), ['report', 'accept', 'register', 'dispatch', 'sign', 'feedback', 'check_pass', 'close']);
    assert.deepEqual(events.map((e: { toState: string }) => e.toState), ['pending_accept', 'pending_register', 'pending_dispatch', 'pending_handle', 'handling', 'pending_check', 'pending_close', 'closed']);
    assert.deepEqual(events.map((e: { actor: { role: string | null } }) => e.actor.role), [null, 'acceptor', 'shift_chief', 'dispatcher', 'department', 'department', 'inspector', 'shift_chief']);
    const feedback = events.find((e: { action: string }) => e.action === 'feedback');
    assert.equal(feedback.attachments.length, 1);
    assert.equal(feedback.data.note, '已清运');
  });

  test('the detail offers exactly the actions the caller may take now', async () => {
    const { caseId } = (await report(w.tokens.inspector, {})).json();
    const actions = async (token: string) => (await get(caseId, token)).allowedActions.map((a: { action: string }) => a.action);
    assert.deepEqual(await actions(w.tokens.acceptor), ['accept', 'send_verify', 'reject', 'merge']);
    assert.deepEqual(await actions(w.tokens.inspector), ['self_handle']);
    assert.deepEqual(await actions(w.tokens.leader), []);
  });

  test('a reason is required to void; the refused request changes nothing', async () => {
    const { caseId } = (await report(w.tokens.inspector, {})).json();
    await act(w.tokens.acceptor, caseId, 'accept');
    const before = await get(caseId);
    const res = await act(w.tokens.shiftChief, caseId, 'void', { reason: '  ' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.issues[0].field, 'reason');
    const after = await get(caseId);
    assert.equal(after.version, before.version);
    assert.equal((await client.request('GET', `/api/cases/${caseId}/events`, { token: w.tokens.admin })).json().items.length, 2);
    assert.equal((await act(w.tokens.shiftChief, caseId, 'void', { reason: '重复上报' })).json().toState, 'voided');
  });

  test('the wrong role is refused (403), the wrong state is a conflict (409), a foreign department sees nothing (404)', async () => {
    const { caseId } = (await report(w.tokens.inspector, {})).json();
    assert.equal((await act(w.tokens.inspector, caseId, 'accept')).statusCode, 403);
    assert.equal((await act(w.tokens.dispatcher, caseId, 'dispatch', { departmentId: w.departments.hwc })).json().error.code, 'invalid_state');
    for (const [token, action, body] of [[w.tokens.acceptor, 'accept', {}], [w.tokens.shiftChief, 'register', {}], [w.tokens.dispatcher, 'dispatch', { departmentId: w.departments.hwc }]] as const) {
      assert.equal((await act(token, caseId, action, body)).statusCode, 200);
    }
    assert.equal((await act(w.tokens.szc, caseId, 'sign')).statusCode, 404);
    assert.equal((await client.request('GET', `/api/cases/${caseId}`, { token: w.tokens.szc })).statusCode, 404);
    assert.equal((await client.request('GET', `/api/cases/${caseId}`, { token: w.tokens.hwc })).statusCode, 200);
    assert.equal((await client.request('GET', '/api/cases', { token: w.tokens.public })).statusCode, 403);
    const hwcList = (await client.request('GET', '/api/cases', { token: w.tokens.hwc })).json();
    assert.ok(hwcList.items.every((c: { department: { code: string } }) => c.department.code === 'HWC'));
  });

  test('a wrong dispatch: the department asks to return with a reason, the dispatcher approves, the case goes back to dispatch', async () => {
    const { caseId } = (await report(w.tokens.inspector, {})).json();
    for (const [token, action, body] of [[w.tokens.acceptor, 'accept', {}], [w.tokens.shiftChief, 'register', {}], [w.tokens.dispatcher, 'dispatch', { departmentId: w.departments.szc }]] as const) {
      assert.equal((await act(token, caseId, action, body)).statusCode, 200);
    }
    assert.equal((await act(w.tokens.szc, caseId, 'request_return', {})).json().error.issues[0].field, 'reason');
    assert.equal((await act(w.tokens.szc, caseId, 'request_return', { reason: '非本单位职责，应为环卫处' })).statusCode, 200);
    assert.equal((await get(caseId)).application, 'return');
    assert.equal((await act(w.tokens.szc, caseId, 'sign')).json().error.code, 'precondition_failed');
    assert.equal((await act(w.tokens.dispatcher, caseId, 'approve_return')).json().toState, 'pending_dispatch');
    const back = await get(caseId);
    assert.deepEqual([back.department, back.application, back.counters.returns, back.handling.dueAt], [null, null, 1, null]);
    assert.equal((await act(w.tokens.dispatcher, caseId, 'dispatch', { departmentId: w.departments.hwc })).json().toState, 'pending_handle');
  });

  test('two dispatchers at once: exactly one wins, the other gets a conflict, one event is written', async () => {
    const { caseId } = (await report(w.tokens.inspector, {})).json();
    await act(w.tokens.acceptor, caseId, 'accept');
    await act(w.tokens.shiftChief, caseId, 'register');
    const other = await client.tokenFor([{ role: 'dispatcher', territoryCode: FIXTURE.city }]);
    const results = await Promise.all([
      act(w.tokens.dispatcher, caseId, 'dispatch', { departmentId: w.departments.hwc }),
      act(other, caseId, 'dispatch', { departmentId: w.departments.szc }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    const events = (await client.request('GET', `/api/cases/${caseId}/events`, { token: w.tokens.admin })).json().items;
    assert.equal(events.filter((e: { action: string }) => e.action === 'dispatch').length, 1);
    const stale = await act(w.tokens.acceptor, caseId, 'merge', { mergeTargetId: caseId, expectedVersion: 1 });
    assert.equal(stale.json().error.code, 'stale_version');
  });

  test('a retried report with the same Idempotency-Key creates one case; the key with another body is refused', async () => {
    const headers = { 'idempotency-key': `offline-${Date.now()}` };
    const first = await report(w.tokens.inspector, { description: '离线上报一条' }, headers);
    const second = await report(w.tokens.inspector, { description: '离线上报一条' }, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.json().caseId, first.json().caseId);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    const count = (await client.request('GET', `/api/cases?q=${encodeURIComponent('离线上报一条')}`, { token: w.tokens.admin })).json().total;
    assert.equal(count, 1);
    const reused = await report(w.tokens.inspector, { description: '另一条' }, headers);
    assert.equal(reused.statusCode, 422);
  });

  test('a second report of the same class within 50 m and 24 h is flagged and can be merged; 80 m away is not flagged', async () => {
    const first = (await report(w.tokens.inspector, { description: '垃圾A' })).json();
    const near = (await report(w.tokens.inspector, { description: '垃圾A 附近', location: { lon: POINT_GRID1.lon + 0.0002, lat: POINT_GRID1.lat } })).json();
    const far = (await report(w.tokens.inspector, { description: '垃圾B', location: { lon: POINT_GRID1.lon, lat: POINT_GRID1.lat + 0.00072 } })).json();
    assert.ok(near.duplicateCandidates.some((d: { caseId: number; distanceM: number }) => d.caseId === first.caseId && d.distanceM > 18 && d.distanceM < 19.5));
    assert.ok(!far.duplicateCandidates.some((d: { caseId: number }) => d.caseId === first.caseId));
    const detail = await get(near.caseId);
    assert.equal(detail.possibleDuplicate, true);
    assert.ok(detail.duplicates.some((d: { id: number }) => d.id === first.caseId));
    assert.equal((await act(w.tokens.acceptor, near.caseId, 'merge', {})).json().error.issues[0].field, 'mergeTargetId');
    const merged = await act(w.tokens.acceptor, near.caseId, 'merge', { mergeTargetId: first.caseId });
    assert.equal(merged.json().toState, 'merged');
    assert.equal((await get(near.caseId)).mergedIntoId, first.caseId);
  });

  test('self-handling closes an inspector report at once, with its photo as evidence', async () => {
    const missingPhoto = await report(w.tokens.inspector, { selfHandled: true });
    assert.equal(missingPhoto.statusCode, 400);
    const photo = await uploadPhoto(client, w.tokens.inspector);
    const res = await report(w.tokens.inspector, { selfHandled: true, attachmentIds: [photo] });
    assert.equal(res.json().state, 'closed');
    const c = await get(res.json().caseId);
    assert.equal(c.selfHandled, true);
    const events = (await client.request('GET', `/api/cases/${c.id}/events`, { token: w.tokens.admin })).json().items;
    assert.deepEqual(events.map((e: { action: string }) => e.action), ['report', 'self_handle']);
    assert.equal(events[1].attachments[0].id, photo);
  });

  test('a public report is verified on site first, gets a callback when closed, and its public view hides the reporter', async () => {
    const res = await client.request('POST', '/api/cases', { token: w.tokens.public, body: { source: 'public_web', classCode: '06010', description: '小区门口垃圾没人管', location: POINT_GRID1, reporter: { name: '张三', phone: '13800000000' } } });
    assert.equal(res.statusCode, 201, res.body);
    const { caseId, code, state } = res.json();
    assert.equal(state, 'pending_verify');
    assert.equal((await report(w.tokens.public, { source: 'inspector' })).statusCode, 403);
    const staffView = await get(caseId, w.tokens.acceptor);
    assert.equal(staffView.reporter.phone, '13800000000');
    assert.equal((await get(caseId, w.tokens.leader)).reporter, undefined);
    const steps: [string, string, Record<string, unknown>][] = [
      [w.tokens.inspector, 'verify_confirm', {}], [w.tokens.shiftChief, 'register', {}], [w.tokens.dispatcher, 'dispatch', { departmentId: w.departments.hwc }],
      [w.tokens.hwc, 'sign', {}], [w.tokens.hwc, 'feedback', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] }],
      [w.tokens.inspector, 'check_pass', {}], [w.tokens.shiftChief, 'close', {}],
    ];
    for (const [token, action, body] of steps) assert.equal((await act(token, caseId, action, body)).statusCode, 200, action);
    assert.equal((await act(w.tokens.acceptor, caseId, 'rate', { satisfaction: 'basically_satisfied' })).statusCode, 200);
    assert.equal((await act(w.tokens.acceptor, caseId, 'rate', { satisfaction: 'satisfied' })).json().error.code, 'precondition_failed');
    const pub = await client.request('GET', `/api/public/cases/${code}`);
    assert.equal(pub.statusCode, 200);
    const text = pub.body;
    assert.ok(!text.includes('13800000000') && !text.includes('张三'), 'no personal data in the public view');
    assert.equal(pub.json().satisfaction, 'basically_satisfied');
    assert.equal(pub.json().department, '市环境卫生管理处');

    // 我的上报: the citizen follows their own reports; nobody else's, and never anyone's personal data.
    const mine = await client.request('GET', '/api/me/reports?limit=5', { token: w.tokens.public });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual([mine.json().items[0].code, mine.json().items[0].state, mine.json().items[0].satisfaction], [code, 'closed', 'basically_satisfied']);
    assert.ok(!mine.body.includes('13800000000') && !mine.body.includes('张三'));
    const stranger = await client.tokenFor([{ role: 'public' }]);
    assert.deepEqual((await client.request('GET', '/api/me/reports', { token: stranger })).json(), { total: 0, items: [] });
    assert.equal((await client.request('GET', '/api/me/reports')).statusCode, 401);
    assert.equal((await client.request('GET', '/api/me/reports?limit=500', { token: w.tokens.public })).json().error.issues[0].field, 'querystring.limit');
  });

  test('bad intake names the field: outside the city, unknown class, future time', async () => {
    const outside = await report(w.tokens.admin, { location: { lon: 120, lat: 30 } });
    assert.deepEqual([outside.statusCode, outside.json().error.issues[0].field], [400, 'location']);
    const unknown = await report(w.tokens.admin, { classCode: '99999' });
    assert.equal(unknown.json().error.issues[0].field, 'classCode');
    const future = await report(w.tokens.admin, { reportedAt: new Date(Date.now() + 86_400_000).toISOString() });
    assert.equal(future.json().error.issues[0].field, 'reportedAt');
    const wrongType = await client.request('POST', '/api/cases', { token: w.tokens.admin, body: { source: 'inspector', classCode: '06010', description: 'x', location: { lon: 'east', lat: 32 } } });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.json().error.issues[0].field, /location\.lon/);
  });

  test('the workflow table is served for the UI', async () => {
    const wf = (await client.request('GET', '/api/workflow', { token: w.tokens.hwc })).json();
    const dispatch = wf.transitions.find((t: { action: string }) => t.action === 'dispatch');
    assert.deepEqual([dispatch.roles, dispatch.requires, dispatch.from], [['dispatcher'], ['departmentId'], ['pending_dispatch']]);
    assert.ok(wf.states.some((s: { name: string; zh: string }) => s.name === 'suspended' && s.zh === '挂账'));
  });
});
