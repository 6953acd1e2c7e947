import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld, uploadPhoto, workflowHarness, type CaseWorld } from './cases.test-support.ts';

describeOnBothDatabases('handling rounds (处置轮次)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  let h: Awaited<ReturnType<typeof workflowHarness>>;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    h = await workflowHarness(client, w);
  });
  after(() => client.close());

  const db = () => client.database.db;
  const act = (...args: Parameters<typeof h.act>) => h.act(...args);

  test('an extension approved after the deadline leaves the round overdue; the rework opens an on-time second round', async () => {
    const { caseId: id } = await h.report('inspector', { source: 'inspector' }, '2026-03-02 08:40');
    await act('acceptor', id, 'accept', '2026-03-02 08:45');
    await act('shiftChief', id, 'register', '2026-03-02 08:50');
    // 4 working hours from Mon 09:00: 09–12 and 14–15 → 15:00.
    await act('dispatcher', id, 'dispatch', '2026-03-02 09:00', { departmentId: w.departments.hwc });
    await act('hwc', id, 'sign', '2026-03-02 09:30');
    await act('hwc', id, 'request_extension', '2026-03-02 16:00', { reason: '需调运车辆' });
    // Approved at 16:10, past 15:00: the limit doubles to 8 h (→ Tue 09:00), but the round was overdue at 15:00.
    await act('dispatcher', id, 'approve_extension', '2026-03-02 16:10');
    await act('hwc', id, 'feedback', '2026-03-03 08:30', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
    // Rework at Tue 09:00: a new round of 4 working hours → Tue 15:00.
    await act('inspector', id, 'check_fail', '2026-03-03 09:00', { reason: '仍有残留' });
    await act('hwc', id, 'sign', '2026-03-03 09:10');
    await act('hwc', id, 'feedback', '2026-03-03 10:00', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
    await act('inspector', id, 'check_pass', '2026-03-03 10:30');
    await act('shiftChief', id, 'close', '2026-03-03 10:40');

    const rounds = await db().selectFrom('handling_rounds').selectAll().where('case_id', '=', id).orderBy('seq').execute();
    const wallOf = (ms: number | null) => (ms === null ? null : new Date(Number(ms) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
    assert.deepEqual(rounds.map((r) => ({
      seq: r.seq, roundKind: r.kind, dept: Number(r.department_id), started: wallOf(r.started_at), due: wallOf(r.due_at), overdue: wallOf(r.overdue_at), ext: r.extensions,
      handled: wallOf(r.handled_at), ended: wallOf(r.ended_at), kind: r.end_kind, reworked: wallOf(r.reworked_at),
    })), [
      { seq: 1, roundKind: 'dispatch', dept: w.departments.hwc, started: '2026-03-02 09:00', due: '2026-03-03 09:00', overdue: '2026-03-02 15:00', ext: 1, handled: '2026-03-03 08:30', ended: '2026-03-03 08:30', kind: 'handled', reworked: '2026-03-03 09:00' },
      { seq: 2, roundKind: 'rework', dept: w.departments.hwc, started: '2026-03-03 09:00', due: '2026-03-03 15:00', overdue: null, ext: 0, handled: '2026-03-03 10:00', ended: '2026-03-03 10:00', kind: 'handled', reworked: null },
    ]);
    const c = await db().selectFrom('cases').select(['handling_round', 'overdue_rounds', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([c.handling_round, c.overdue_rounds, c.state], [2, 1, 'closed']);
    const onTime = await db().selectFrom('case_events').select(['action', 'on_time']).where('case_id', '=', id).orderBy('seq').execute();
    assert.deepEqual(onTime.map((e) => [e.action, e.on_time]), [
      ['report', null], ['accept', 1], ['register', 1], ['dispatch', 1], ['sign', 1], ['request_extension', null], ['approve_extension', null],
      ['feedback', 0], ['check_fail', 1], ['sign', 1], ['feedback', 1], ['check_pass', 1], ['close', 1],
    ]);
  });

  test('a return ends the round without handling; a suspension before the deadline keeps it on time', async () => {
    const { caseId: id } = await h.report('inspector', { source: 'inspector' }, '2026-03-04 08:40');
    await act('acceptor', id, 'accept', '2026-03-04 08:45');
    await act('shiftChief', id, 'register', '2026-03-04 08:50');
    await act('dispatcher', id, 'dispatch', '2026-03-04 09:00', { departmentId: w.departments.szc });
    await act('szc', id, 'request_return', '2026-03-04 09:20', { reason: '不属本单位职责' });
    await act('dispatcher', id, 'approve_return', '2026-03-04 09:30');
    await act('dispatcher', id, 'dispatch', '2026-03-04 09:40', { departmentId: w.departments.hwc });
    await act('hwc', id, 'sign', '2026-03-04 10:00');
    await act('hwc', id, 'request_suspension', '2026-03-04 11:00', { reason: '涉及产权纠纷' });
    await act('dispatcher', id, 'approve_suspension', '2026-03-04 11:40');
    // 2 h used (09:40–11:40); resumed Thu 08:00, 2 h remain → 10:00. Feedback at exactly 10:00 is on time.
    await act('dispatcher', id, 'resume', '2026-03-05 08:00');
    await act('hwc', id, 'feedback', '2026-03-05 10:00', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
    const rounds = await db().selectFrom('handling_rounds').selectAll().where('case_id', '=', id).orderBy('seq').execute();
    const wallOf = (ms: number | null) => (ms === null ? null : new Date(Number(ms) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
    assert.deepEqual(rounds.map((r) => [r.seq, Number(r.department_id), wallOf(r.due_at), wallOf(r.overdue_at), wallOf(r.ended_at), r.end_kind]), [
      [1, w.departments.szc, '2026-03-04 15:00', null, '2026-03-04 09:30', 'returned'],
      [2, w.departments.hwc, '2026-03-05 10:00', null, '2026-03-05 10:00', 'handled'],
    ]);
    const feedback = await db().selectFrom('case_events').select('on_time').where('case_id', '=', id).where('action', '=', 'feedback').executeTakeFirstOrThrow();
    assert.equal(feedback.on_time, 1);
  });
});
