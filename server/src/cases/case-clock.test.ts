import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { getCase, listCases } from './cases.queries.ts';
import { setUpCaseWorld, uploadPhoto, workflowHarness, type CaseWorld } from './cases.test-support.ts';

// Epoch ms back to Beijing wall time, for hand-computed expectations.
const wall = (iso: string | null) => (iso === null ? null : new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));

describeOnBothDatabases('case clocks on the work calendar', (database) => {
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
  const read = async (caseId: number, at: string) => (await getCase(db(), caseId, bj(at)))!;

  test('dispatch before National Day, an extension, a suspension across days, late feedback, rework on the 调休 Saturday', async () => {
    const created = await h.report('inspector', { source: 'inspector' }, '2026-09-30 16:00');
    const id = created.caseId;
    assert.equal(created.code.slice(0, 8), '20260930');
    // 受理 15 working minutes from 16:00.
    assert.equal(wall((await read(id, '2026-09-30 16:00')).stage.dueAt), '2026-09-30 16:15');
    await act('acceptor', id, 'accept', '2026-09-30 16:05');
    await act('shiftChief', id, 'register', '2026-09-30 16:10');
    await act('dispatcher', id, 'dispatch', '2026-09-30 17:00', { departmentId: w.departments.hwc });
    let c = await read(id, '2026-09-30 17:00');
    // 4 working hours: 17:00–18:00 on 30 Sep, 1–7 Oct off, 08:00–11:00 on 8 Oct. 80 % (3.2 h) → 10:12.
    assert.deepEqual([wall(c.handling.dueAt), wall(c.handling.warnAt), c.light], ['2026-10-08 11:00', '2026-10-08 10:12', 'green']);
    // 签收 1 working hour from 17:00 → 18:00.
    assert.deepEqual([c.stage.name, wall(c.stage.dueAt)], ['sign', '2026-09-30 18:00']);
    assert.equal((await read(id, '2026-10-08 10:30')).light, 'yellow');

    await act('hwc', id, 'sign', '2026-09-30 17:30');
    await act('hwc', id, 'request_extension', '2026-10-08 09:00', { reason: '需调运车辆' });
    await act('dispatcher', id, 'approve_extension', '2026-10-08 09:30');
    c = await read(id, '2026-10-08 09:30');
    // 8 working hours: 1 h on 30 Sep + 08–12 and 14–17 on 8 Oct.
    assert.deepEqual([wall(c.handling.dueAt), c.handling.limit, c.counters.extensions, wall(c.stage.dueAt)], ['2026-10-08 17:00', { value: 8, unit: 'working_hours' }, 1, '2026-10-08 17:00']);

    await act('hwc', id, 'request_suspension', '2026-10-08 10:00', { reason: '涉及产权纠纷' });
    await act('dispatcher', id, 'approve_suspension', '2026-10-08 10:00');
    c = await read(id, '2026-10-08 10:00');
    assert.deepEqual([c.state, c.handling.dueAt, c.handling.paused, c.light], ['suspended', null, true, null]);
    await act('dispatcher', id, 'resume', '2026-10-09 08:00');
    // 3 h used (1 h + 08–10 on 8 Oct); 5 h remain from Fri 9 Oct 08:00: 08–12 and 14–15.
    c = await read(id, '2026-10-09 08:00');
    assert.deepEqual([c.state, wall(c.handling.dueAt)], ['handling', '2026-10-09 15:00']);

    const overdueAt = async (at: string) => (await listCases(db(), h.actors.admin!, { overdueAt: bj(at), sort: 'reported_desc', limit: 50, offset: 0 }, bj(at))).items.map((x) => x.id);
    assert.ok(!(await overdueAt('2026-10-09 14:59')).includes(id));
    assert.ok((await overdueAt('2026-10-09 15:30')).includes(id));

    await act('hwc', id, 'feedback', '2026-10-09 16:00', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
    c = await read(id, '2026-10-09 16:00');
    assert.deepEqual([c.state, c.handling.overdue, wall(c.handledAt)], ['pending_check', true, '2026-10-09 16:00']);
    // Still overdue "as at" 15:30 after the late feedback; not overdue at 15:30 of a case never late.
    assert.ok((await overdueAt('2026-10-09 15:30')).includes(id));
    assert.ok(!(await overdueAt('2026-10-09 16:30')).includes(id));

    // Saturday 10 Oct is a working day (调休): the rework gets a fresh 4 h from 09:00 → 09–12 + 14–15.
    await act('inspector', id, 'check_fail', '2026-10-10 09:00', { reason: '现场仍有残留' });
    c = await read(id, '2026-10-10 09:00');
    assert.deepEqual([c.state, wall(c.handling.dueAt), c.counters.reworks, c.handledAt, c.department?.code], ['pending_handle', '2026-10-10 15:00', 1, null, 'HWC']);
  });
});
