// Key-task supervision on both databases: a plan with tasks, a sub-task and milestones written through the API;
// bad input refused naming the field; scope (a unit sees and reports on its own tasks only); progress with photos;
// reviews (accepted, returned with reason); the overdue job flagging each milestone once at given instants; and
// March's special-task scores equal to the hand computation of key-tasks.test-support.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import { buildEvaluationCity, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { JOBS } from '../jobs/jobs.ts';
import { markOverdueMilestones } from './progress.service.ts';
import { EXPECTED_MARCH, PLAN, TASK1, at, playMarch, setUpPlan, type KeyTaskWorld } from './key-tasks.test-support.ts';

const fields = (res: { json(): unknown }) => ((res.json() as { error: { issues?: { field: string }[] } }).error.issues ?? []).map((i) => i.field);

describeOnBothDatabases('key-task supervision (挂图作战): a plan\'s March by hand', (database) => {
  let client: TestClient;
  let world: EvaluationWorld;
  let k: KeyTaskWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    world = await buildEvaluationCity(client);
  });
  after(() => client.close());
  const as = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token, body });
  const count = async (table: 'key_task_plans' | 'key_tasks' | 'key_task_milestones' | 'key_task_reports' | 'key_task_alerts') =>
    Number((await client.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('the office writes the rule, the plan, tasks, a sub-task inheriting its units, and milestones (a week one due on its Sunday)', async () => {
    k = await setUpPlan(client, world);
    const board = (await as(world.tokens.leader, 'GET', `/api/key-tasks/plans/${k.planId}`)).json();
    assert.equal(board.access, 'all');
    assert.deepEqual(board.tasks.map((t: { seq: string }) => t.seq), ['1', '2', '2.1', '3']);
    const sub = board.tasks.find((t: { seq: string }) => t.seq === '2.1');
    assert.deepEqual(sub.units.map((u: { code: string; role: string }) => [u.code, u.role]), [['990102', 'lead'], ['990103', 'cooperating']]);
    const t2 = board.tasks.find((t: { seq: string }) => t.seq === '2');
    assert.deepEqual(t2.milestones.map((m: { dueDate: string; granularity: string }) => [m.dueDate, m.granularity]), [['2026-03-29', 'week'], ['2026-04-30', 'day']]);
    assert.equal(await count('key_task_milestones'), 6);
    const audit = await client.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'key_task%').execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['key_task.create', 'key_task.create', 'key_task.create', 'key_task.create', 'key_task_plan.create', 'key_task_rule.save']);
  });

  test('bad input is refused naming each field, and nothing is saved', async () => {
    const before = await Promise.all([count('key_task_plans'), count('key_tasks'), count('key_task_milestones')]);
    const rule = await as(world.tokens.office, 'PUT', '/api/key-tasks/score-rules/special-2026', { rule: { name: 'x', base: 120, points: {}, earlyDays: 7, bonusCap: 5, min: 0, max: 100 } });
    assert.equal(rule.statusCode, 400);
    assert.deepEqual(fields(rule), ['rule.base', 'rule.points.overdue', 'rule.points.returned', 'rule.points.early']);
    const plan = await as(world.tokens.office, 'POST', '/api/key-tasks/plans', { ...PLAN, code: 'other', ownerCode: '999999', ruleCode: 'none' });
    assert.equal(plan.statusCode, 400);
    assert.deepEqual(fields(plan), ['ownerCode', 'ruleCode']);
    const task = await as(world.tokens.office, 'POST', `/api/key-tasks/plans/${k.planId}/tasks`, {
      ...TASK1, seq: '9', startDate: '2026-02-30', lead: { kind: 'department', code: 'NOPE' }, cooperating: [{ kind: 'grid', code: '990101' }],
      milestones: [{ name: '摸底', deliverable: '', dueDate: '2026-13-01' }],
    });
    assert.equal(task.statusCode, 400);
    assert.deepEqual(fields(task), ['startDate', 'lead.code', 'cooperating[0].kind', 'milestones[0].deliverable', 'milestones[0].dueDate']);
    const report = await as(k.tokens.gov['990101']!, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M1a, percent: 150, text: ' ' });
    assert.equal(report.statusCode, 400);
    assert.deepEqual(fields(report), ['percent', 'text']);
    const wrongMilestone = await as(k.tokens.gov['990101']!, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M3, percent: 10, text: '推进中' });
    assert.deepEqual(fields(wrongMilestone), ['milestoneId']);
    assert.deepEqual(await Promise.all([count('key_task_plans'), count('key_tasks'), count('key_task_milestones')]), before);
    assert.equal(await count('key_task_reports'), 0);
  });

  test('scope: each unit sees its own tasks; another\'s task is 404, a cooperating unit cannot submit (403), governments cannot manage (403)', async () => {
    const seqs = async (token: string) => (await as(token, 'GET', `/api/key-tasks/plans/${k.planId}`)).json().tasks.map((t: { seq: string }) => t.seq);
    assert.deepEqual(await seqs(k.tokens.gov['990101']!), ['1']);
    assert.deepEqual(await seqs(k.tokens.szj), ['1']);
    assert.deepEqual(await seqs(k.tokens.gov['990102']!), ['2', '2.1']);
    assert.deepEqual(await seqs(k.tokens.gov['990103']!), ['2', '2.1']);
    assert.deepEqual(await seqs(k.tokens.cgj), ['3']);
    assert.equal((await as(k.tokens.gov['990104']!, 'GET', `/api/key-tasks/plans/${k.planId}`)).statusCode, 404);
    assert.deepEqual((await as(k.tokens.gov['990104']!, 'GET', '/api/key-tasks/plans')).json().items, []);
    assert.equal((await as(k.tokens.gov['990104']!, 'GET', `/api/key-tasks/tasks/${k.tasks.t1}`)).statusCode, 404);
    const foreign = await as(k.tokens.gov['990102']!, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M1a, percent: 50, text: '代报' });
    assert.equal(foreign.statusCode, 404);
    const coopSubmit = await as(k.tokens.szj, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M1a, percent: 100, text: '完成', submit: true });
    assert.equal(coopSubmit.statusCode, 403);
    assert.equal((await as(k.tokens.gov['990101']!, 'POST', `/api/key-tasks/plans/${k.planId}/tasks`, TASK1)).statusCode, 403);
    assert.equal((await as(world.tokens.leader, 'POST', `/api/key-tasks/milestones/${k.milestones.M1a}/review`, { outcome: 'accepted' })).statusCode, 403);
    assert.equal(await count('key_task_reports'), 0);
  });

  test('progress with a photo: read by the office and the task\'s units, not by another unit; the photo is used once', async () => {
    const photo = await uploadPhoto(client, k.tokens.szj);
    const res = await as(k.tokens.szj, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M1a, percent: 40, text: '已完成12条巷道摸底', attachmentIds: [photo] });
    assert.equal(res.statusCode, 201, res.body);
    const m = res.json().task.milestones.find((x: { id: number }) => x.id === k.milestones.M1a);
    assert.equal(m.percent, 40);
    assert.equal(m.state, 'open');
    assert.deepEqual(m.reports.map((r: { unit: { code: string; role: string }; percent: number; attachmentIds: number[] }) => [r.unit.code, r.unit.role, r.percent, r.attachmentIds]), [['SZJ', 'cooperating', 40, [photo]]]);
    for (const [token, status] of [[world.tokens.office, 200], [world.tokens.leader, 200], [k.tokens.gov['990101']!, 200], [k.tokens.gov['990104']!, 404]] as const) {
      assert.equal((await as(token, 'GET', `/api/attachments/${photo}`)).statusCode, status);
    }
    const again = await as(k.tokens.szj, 'POST', `/api/key-tasks/tasks/${k.tasks.t1}/reports`, { milestoneId: k.milestones.M1a, percent: 50, text: '再报', attachmentIds: [photo] });
    assert.deepEqual(fields(again), ['attachmentIds[0]']);
  });

  test('reviews: returned with its reason, accepted, each recorded with who and when; a review of an open milestone is refused', async () => {
    await playMarch(client, world, k);
    const task = (await as(world.tokens.office, 'GET', `/api/key-tasks/tasks/${k.tasks.t1}`)).json();
    const m1b = task.milestones.find((m: { id: number }) => m.id === k.milestones.M1b);
    assert.equal(m1b.state, 'accepted');
    assert.equal(m1b.status, 'done');
    assert.deepEqual(m1b.reviews.map((r: { outcome: string; reason: string; reviewedAt: string; reviewer: string }) => [r.outcome, r.reason, r.reviewedAt, r.reviewer]),
      [['returned', '缺少现场照片', '2026-03-22T02:00:00.000Z', 'office'], ['accepted', '', '2026-03-26T02:00:00.000Z', 'office']]);
    assert.deepEqual(m1b.reports.map((r: { submits: boolean; reportedAt: string }) => [r.submits, r.reportedAt]), [[true, '2026-03-20T16:00:00.000Z'], [true, '2026-03-25T02:00:00.000Z']]);
    const noReason = await as(world.tokens.office, 'POST', `/api/key-tasks/milestones/${k.milestones.M1a}/review`, { outcome: 'returned', reason: '' });
    assert.deepEqual(fields(noReason), ['reason']);
    const open = await as(world.tokens.office, 'POST', `/api/key-tasks/milestones/${k.milestones.M1a}/review`, { outcome: 'accepted' });
    assert.equal(open.statusCode, 409);
    const late = task.milestones.find((m: { id: number }) => m.id === k.milestones.M1a);
    assert.deepEqual([late.status, late.colour], ['overdue', 'red']);
  });

  test('the overdue job flags a milestone once when its due day has ended unaccepted, and each side sees its alerts', async () => {
    assert.ok(JOBS.some((j) => j.name === 'key_task_overdue'));
    const db = client.database.db;
    assert.deepEqual(await markOverdueMilestones(db, at('2026-03-15T15:59:00Z')), { flagged: 0 });
    assert.deepEqual(await markOverdueMilestones(db, at('2026-03-16T00:00:00Z')), { flagged: 1 }, 'M1a');
    assert.deepEqual(await markOverdueMilestones(db, at('2026-03-16T01:00:00Z')), { flagged: 0 }, 'once');
    // 2 April: M3 (due 31 March, open) is late; M21 was submitted late but is accepted, M2b is not due.
    assert.deepEqual(await markOverdueMilestones(db, at('2026-04-02T00:00:00Z')), { flagged: 1 });
    assert.equal(await count('key_task_alerts'), 2);
    const flagged = await db.selectFrom('key_task_milestones').select(['id', 'overdue_at']).where('overdue_at', 'is not', null).orderBy('id').execute();
    assert.deepEqual(flagged.map((m) => [m.id, Number(m.overdue_at)]), [[k.milestones.M1a, at('2026-03-16T00:00:00Z')], [k.milestones.M3, at('2026-04-02T00:00:00Z')]]);
    const seen = async (token: string) => (await as(token, 'GET', '/api/key-tasks/alerts')).json().items.map((a: { milestone: { id: number } }) => a.milestone.id).sort();
    assert.deepEqual(await seen(world.tokens.office), [k.milestones.M1a, k.milestones.M3].sort());
    assert.deepEqual(await seen(k.tokens.gov['990101']!), [k.milestones.M1a]);
    assert.deepEqual(await seen(k.tokens.szj), [k.milestones.M1a]);
    assert.deepEqual(await seen(k.tokens.cgj), [k.milestones.M3]);
    assert.deepEqual(await seen(k.tokens.gov['990104']!), []);
    const mine = (await as(k.tokens.gov['990101']!, 'GET', '/api/key-tasks/mine')).json();
    assert.deepEqual(mine.toReport.map((m: { id: number; status: string }) => [m.id, m.status]), [[k.milestones.M1a, 'overdue']]);
  });

  test('March\'s special-task scores equal the hand computation, each with its trace; a unit reads its own', async () => {
    const res = await as(world.tokens.office, 'GET', `/api/key-tasks/plans/${k.planId}/scores?month=2026-03`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.rule, { code: 'special-2026', version: 1, name: '重点任务专项工作月度评分细则' });
    assert.deepEqual(body.units.map((u: { unit: { code: string }; score: number }) => [u.unit.code, u.score]), EXPECTED_MARCH);
    const d1 = body.units[0];
    assert.deepEqual(d1.lines.map((l: { event: string; points: number; milestoneId?: number }) => [l.event, l.points, l.milestoneId ?? null]),
      [['base', 100, null], ['overdue', -5, k.milestones.M1a], ['returned', -2, k.milestones.M1b]]);
    assert.equal(d1.reason, '重点任务「2026年“双十”专项行动」2026-03 专项工作 93 分（评分细则 special-2026 第1版）：基础分 100；-5 节点逾期 1 摸底调查（牵头单位，到期 2026-03-15）；-2 验收退回 1 方案编制（牵头单位）');
    const own = (await as(k.tokens.gov['990102']!, 'GET', `/api/key-tasks/plans/${k.planId}/scores?month=2026-03`)).json();
    assert.deepEqual(own.units.map((u: { unit: { code: string }; score: number }) => [u.unit.code, u.score]), [['990102', 96]]);
    const bad = await as(world.tokens.office, 'GET', `/api/key-tasks/plans/${k.planId}/scores?month=2026-13`);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(fields(bad), ['month']);
  });
});
