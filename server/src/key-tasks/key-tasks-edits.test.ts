// The office's corrections on both databases, on the March plan of key-tasks.test-support.ts after its
// deliveries and reviews and after the overdue job ran on 1 April (flagging M1a 摸底调查 and M3 专项整治):
// what may change, what is refused naming the field, what has a history and stays (409), the audit lines,
// and March's scores after task 3's units are replaced, worked out by hand.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildEvaluationCity, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { markOverdueMilestones } from './progress.service.ts';
import { at, playMarch, setUpPlan, type KeyTaskWorld } from './key-tasks.test-support.ts';

const fields = (res: { json(): unknown }) => ((res.json() as { error: { issues?: { field: string }[] } }).error.issues ?? []).map((i) => i.field);
const messages = (res: { json(): unknown }) => ((res.json() as { error: { issues?: { message: string }[] } }).error.issues ?? []).map((i) => i.message).join(' | ');

describeOnBothDatabases('key tasks: the office corrects and removes what it wrote', (database) => {
  let client: TestClient;
  let world: EvaluationWorld;
  let k: KeyTaskWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    world = await buildEvaluationCity(client);
    k = await setUpPlan(client, world);
    await playMarch(client, world, k);
    assert.deepEqual(await markOverdueMilestones(client.database.db, at('2026-04-01T00:00:00Z')), { flagged: 2 });
  });
  after(() => client.close());
  const office = (method: 'GET' | 'PATCH' | 'DELETE' | 'POST', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.office, body });
  const count = async (table: 'key_tasks' | 'key_task_units' | 'key_task_milestones') =>
    Number((await client.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const audits = async (action: string) => client.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  test('a plan\'s name and rule: an unknown rule is named, a good change is audited with before and after', async () => {
    const bad = await office('PATCH', `/api/key-tasks/plans/${k.planId}`, { ruleCode: 'nope', name: ' ' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(fields(bad), ['name', 'ruleCode']);
    const ok = await office('PATCH', `/api/key-tasks/plans/${k.planId}`, { name: '2026年“双十”专项行动（调整）', description: '按市委要求调整' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().plan.name, '2026年“双十”专项行动（调整）');
    assert.equal((await audits('key_task_plan.update')).length, 1);
    const list = await client.request('GET', '/api/key-tasks/score-rules', { token: k.tokens.cgj });
    assert.deepEqual(list.json().items, [{ code: 'special-2026', version: 1, name: '重点任务专项工作月度评分细则' }]);
  });

  test('a unit may not correct the plan (403); a task\'s period must keep its milestones and sub-tasks', async () => {
    assert.equal((await client.request('PATCH', `/api/key-tasks/tasks/${k.tasks.t3}`, { token: k.tokens.cgj, body: { name: 'x' } })).statusCode, 403);
    const cut = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t3}`, { endDate: '2026-03-30' });
    assert.equal(cut.statusCode, 400);
    assert.deepEqual(fields(cut), ['endDate']);
    assert.match(messages(cut), /专项整治, due 2026-03-31/);
    const parent = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t2}`, { startDate: '2026-03-01' });
    assert.deepEqual([parent.statusCode, fields(parent)], [400, ['startDate']]);
    assert.match(messages(parent), /sub-task 2\.1 starts \(2026-02-01\)/);
    const sub = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t21}`, { endDate: '2027-01-31' });
    assert.deepEqual([sub.statusCode, fields(sub)], [400, ['endDate']]);
  });

  test('a unit that reported stays; task 3 handed to SZJ with 990104 moves March\'s lateness of 专项整治 to them', async () => {
    const drop = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t1}`, { lead: { kind: 'territory', code: '990103' } });
    assert.deepEqual([drop.statusCode, fields(drop)], [400, ['lead']]);
    const bad = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t3}`, { cooperating: [{ kind: 'department', code: 'NOPE' }] });
    assert.deepEqual([bad.statusCode, fields(bad)], [400, ['cooperating[0].code']]);
    const moved = await office('PATCH', `/api/key-tasks/tasks/${k.tasks.t3}`, { name: '渣土车专项整治', lead: { kind: 'department', code: 'SZJ' }, cooperating: [{ kind: 'territory', code: '990104' }] });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(moved.json().units.map((u: { code: string; role: string }) => `${u.role}:${u.code}`), ['lead:SZJ', 'cooperating:990104']);
    // M3 late: SZJ (lead) −5 on top of its −2 for M1a → 93; 990104 (cooperating) −2 → 98; CGJ answers for nothing in March.
    const scores = (await office('GET', `/api/key-tasks/plans/${k.planId}/scores?month=2026-03`)).json();
    assert.deepEqual(scores.units.map((u: { unit: { code: string }; score: number }) => `${u.unit.code}=${u.score}`).sort(), ['990101=93', '990102=96', '990103=98.5', '990104=98', 'SZJ=93']);
    const [audit] = await audits('key_task.update');
    assert.match(audit!.detail ?? '', /lead:CGJ/);
  });

  test('milestones: accepted ones are closed, an overdue one keeps its due date, an open one moves to its week\'s Sunday', async () => {
    const accepted = await office('PATCH', `/api/key-tasks/milestones/${k.milestones.M1b}`, { name: 'x' });
    assert.deepEqual([accepted.statusCode, accepted.json().error.code], [409, 'invalid_state']);
    const overdue = await office('PATCH', `/api/key-tasks/milestones/${k.milestones.M1a}`, { dueDate: '2026-04-15' });
    assert.deepEqual([overdue.statusCode, fields(overdue)], [400, ['dueDate']]);
    const wording = await office('PATCH', `/api/key-tasks/milestones/${k.milestones.M1a}`, { deliverable: '摸底清单及照片' });
    assert.equal(wording.statusCode, 200, wording.body);
    const late = await office('PATCH', `/api/key-tasks/milestones/${k.milestones.M2b}`, { dueDate: '2027-01-05' });
    assert.deepEqual([late.statusCode, fields(late)], [400, ['dueDate']]);
    // 2026-05-06 is a Wednesday: the week milestone is due on Sunday 10 May, its day ending at 16:00 UTC.
    const week = await office('PATCH', `/api/key-tasks/milestones/${k.milestones.M2b}`, { dueDate: '2026-05-06', granularity: 'week' });
    assert.equal(week.statusCode, 200, week.body);
    const row = await client.database.db.selectFrom('key_task_milestones').select(['due_date', 'due_end_at', 'granularity']).where('id', '=', k.milestones.M2b).executeTakeFirstOrThrow();
    assert.deepEqual([row.due_date, Number(row.due_end_at), row.granularity], ['2026-05-10', Date.parse('2026-05-10T16:00:00Z'), 'week']);
    assert.equal((await audits('key_task_milestone.update')).length, 2);
  });

  test('removing: anything with a history is refused (409), what was written by mistake goes with its audit line', async () => {
    const before = await Promise.all([count('key_tasks'), count('key_task_units'), count('key_task_milestones')]);
    const overdue = await office('DELETE', `/api/key-tasks/milestones/${k.milestones.M1a}`);
    assert.deepEqual([overdue.statusCode, overdue.json().error.code], [409, 'has_history']);
    assert.deepEqual([(await office('DELETE', `/api/key-tasks/tasks/${k.tasks.t2}`)).json().error.code], ['has_sub_tasks']);
    assert.deepEqual([(await office('DELETE', `/api/key-tasks/tasks/${k.tasks.t21}`)).json().error.code], ['has_history']);
    assert.deepEqual(await Promise.all([count('key_tasks'), count('key_task_units'), count('key_task_milestones')]), before);

    const gone = await office('DELETE', `/api/key-tasks/milestones/${k.milestones.M2b}`);
    assert.equal(gone.statusCode, 200, gone.body);
    assert.deepEqual(gone.json().milestones.map((m: { name: string }) => m.name), ['开工']);
    const added = await office('POST', `/api/key-tasks/plans/${k.planId}/tasks`, {
      seq: '4', name: '误录任务', target: '—', startDate: '2026-05-01', endDate: '2026-06-30', lead: { kind: 'department', code: 'CGJ' }, cooperating: [{ kind: 'territory', code: '990101' }],
      milestones: [{ name: '节点', deliverable: '材料', dueDate: '2026-06-01' }],
    });
    assert.equal(added.statusCode, 201, added.body);
    const removed = await office('DELETE', `/api/key-tasks/tasks/${added.json().task.id}`);
    assert.equal(removed.statusCode, 204);
    // Back to the counts before, less M2b.
    assert.deepEqual(await Promise.all([count('key_tasks'), count('key_task_units'), count('key_task_milestones')]), [before[0], before[1], before[2] - 1]);
    assert.equal((await audits('key_task.remove')).length, 1);
    assert.equal((await audits('key_task_milestone.remove')).length, 1);
    assert.equal((await office('GET', `/api/key-tasks/tasks/${added.json().task.id}`)).statusCode, 404);
  });
});
