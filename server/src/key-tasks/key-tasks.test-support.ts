// A 双十-style plan over the four-district city of the evaluation tests, and its March 2026 worked out by hand:
//   task 1 背街小巷提升改造: lead 990101, cooperating 市住建局 (SZJ)
//     M1a 摸底调查 due 03-15, never delivered                      → late: 990101 −5, SZJ −2
//     M1b 方案编制 due 03-31, submitted 03-21 00:00, returned 03-22, resubmitted 03-25 10:00 and accepted
//                                                                → returned: 990101 −2 (SZJ 0); 6 days early, not 7: no bonus
//   task 2 老旧小区改造: lead 990102, cooperating 990103
//     M2a 开工 due the week of 03-29 (a Sunday), submitted 03-10 10:00, accepted → 19 days early: 990102 +1, 990103 +0.5
//     M2b 完工 due 04-30                                           → not in March
//   sub-task 2.1 加装电梯 (the units of task 2)
//     M21 电梯选型 due 03-20, submitted 03-21 10:00, accepted       → late: 990102 −5, 990103 −2
//   task 3 渣土车整治: lead 市城管局 (CGJ)
//     M3 专项整治 due 03-31, never delivered                        → late: CGJ −5
// March under the default rule: 990101 93, 990102 96, 990103 98.5, CGJ 95, SZJ 98; 990104 answers for nothing.
import assert from 'node:assert/strict';
import type { Actor } from '@cityops/domain/access/scope';
import { defaultScoreRule } from '@cityops/domain/key-tasks/score';
import { actorForSession } from '../access/access.service.ts';
import type { TestClient } from '../test/http.ts';
import { DISTRICTS, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { fileReport, reviewMilestone } from './progress.service.ts';

export const at = (iso: string) => Date.parse(iso);
export const EXPECTED_MARCH: [string, number][] = [['990101', 93], ['990102', 96], ['990103', 98.5], ['CGJ', 95], ['SZJ', 98]];

export interface KeyTaskWorld {
  planId: number;
  tasks: Record<'t1' | 't2' | 't21' | 't3', number>;
  milestones: Record<'M1a' | 'M1b' | 'M2a' | 'M2b' | 'M21' | 'M3', number>;
  tokens: { szj: string; cgj: string; gov: Record<string, string> };
}

export const PLAN = { code: 'shuangshi-2026', name: '2026年“双十”专项行动', year: 2026, ownerCode: '990100', ruleCode: 'special-2026' };
const year = { startDate: '2026-01-01', endDate: '2026-12-31' };
export const TASK1 = {
  seq: '1', name: '背街小巷提升改造', target: '完成30条背街小巷提升', ...year, lead: { kind: 'territory', code: '990101' }, cooperating: [{ kind: 'department', code: 'SZJ' }],
  milestones: [{ name: '摸底调查', deliverable: '摸底清单', dueDate: '2026-03-15' }, { name: '方案编制', deliverable: '提升方案', dueDate: '2026-03-31', granularity: 'day' }],
};
const TASK2 = {
  seq: '2', name: '老旧小区改造', target: '改造12个老旧小区', ...year, lead: { kind: 'territory', code: '990102' }, cooperating: [{ kind: 'territory', code: '990103' }],
  milestones: [{ name: '开工', deliverable: '开工报告', dueDate: '2026-03-26', granularity: 'week' }, { name: '完工', deliverable: '竣工验收报告', dueDate: '2026-04-30' }],
};
const TASK3 = { seq: '3', name: '渣土车整治', target: '渣土车100%密闭运输', ...year, lead: { kind: 'department', code: 'CGJ' }, milestones: [{ name: '专项整治', deliverable: '整治台账', dueDate: '2026-03-31' }] };

/** The departments, their users, the rule and the plan with its tasks, through the API as the office writes them. */
export async function setUpPlan(client: TestClient, world: EvaluationWorld): Promise<KeyTaskWorld> {
  const db = client.database.db;
  const city = await db.selectFrom('territory_nodes').select('id').where('code', '=', '990100').executeTakeFirstOrThrow();
  const now = Date.now();
  for (const [code, name] of [['SZJ', '市住房和城乡建设局'], ['CGJ', '市城市管理局']] as const) {
    await db.insertInto('departments').values({ code, name, kind: 'professional', territory_node_id: city.id, parent_id: null, phone: null, active: 1, created_at: now, updated_at: now }).execute();
  }
  const tokens = {
    szj: await client.tokenFor([{ role: 'department', departmentCode: 'SZJ' }]),
    cgj: await client.tokenFor([{ role: 'department', departmentCode: 'CGJ' }]),
    gov: Object.fromEntries(DISTRICTS.map((d, i) => [d, world.tokens.gov[i]!])),
  };
  const office = (method: 'POST' | 'PUT', url: string, body: unknown) => client.request(method, url, { token: world.tokens.office, body });
  const rule = await office('PUT', '/api/key-tasks/score-rules/special-2026', { rule: defaultScoreRule(), reason: '2026年评分细则' });
  assert.equal(rule.statusCode, 200, rule.body);
  const plan = await office('POST', '/api/key-tasks/plans', PLAN);
  assert.equal(plan.statusCode, 201, plan.body);
  const planId = plan.json().plan.id as number;
  const add = async (body: unknown) => {
    const res = await office('POST', `/api/key-tasks/plans/${planId}/tasks`, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { task: { id: number }; milestones: { id: number }[] };
  };
  const t1 = await add(TASK1);
  const t2 = await add(TASK2);
  const t21 = await add({ parentId: t2.task.id, seq: '2.1', name: '加装电梯', target: '加装电梯20部', startDate: '2026-02-01', endDate: '2026-06-30', milestones: [{ name: '电梯选型', deliverable: '选型报告', dueDate: '2026-03-20' }] });
  const t3 = await add(TASK3);
  return {
    planId,
    tasks: { t1: t1.task.id, t2: t2.task.id, t21: t21.task.id, t3: t3.task.id },
    milestones: { M1a: t1.milestones[0]!.id, M1b: t1.milestones[1]!.id, M2a: t2.milestones[0]!.id, M2b: t2.milestones[1]!.id, M21: t21.milestones[0]!.id, M3: t3.milestones[0]!.id },
    tokens,
  };
}

/** March's deliveries and reviews at their instants, through the services the routes call. */
export async function playMarch(client: TestClient, world: EvaluationWorld, k: KeyTaskWorld): Promise<void> {
  const db = client.database.db;
  const actor = async (token: string) => (await actorForSession(db, token)) as Actor;
  const office = world.actors.office;
  const gov1 = await actor(k.tokens.gov['990101']!);
  const gov2 = await actor(k.tokens.gov['990102']!);
  const done = (milestoneId: number) => ({ milestoneId, percent: 100, text: '已完成，材料见附件', submit: true });
  await fileReport(db, gov1, k.tasks.t1, done(k.milestones.M1b), at('2026-03-20T16:00:00Z'));
  await reviewMilestone(db, office, k.milestones.M1b, { outcome: 'returned', reason: '缺少现场照片' }, at('2026-03-22T02:00:00Z'));
  await fileReport(db, gov1, k.tasks.t1, done(k.milestones.M1b), at('2026-03-25T02:00:00Z'));
  await reviewMilestone(db, office, k.milestones.M1b, { outcome: 'accepted' }, at('2026-03-26T02:00:00Z'));
  await fileReport(db, gov2, k.tasks.t2, done(k.milestones.M2a), at('2026-03-10T02:00:00Z'));
  await reviewMilestone(db, office, k.milestones.M2a, { outcome: 'accepted' }, at('2026-03-11T02:00:00Z'));
  await fileReport(db, gov2, k.tasks.t21, done(k.milestones.M21), at('2026-03-21T02:00:00Z'));
  await reviewMilestone(db, office, k.milestones.M21, { outcome: 'accepted' }, at('2026-03-23T02:00:00Z'));
}
