// What the pages show: the plans one may read, a plan's board (挂图作战: every task one sees with its units and
// milestones in their status colours), a task with its milestones, progress reports and photos and reviews,
// one's own work (the milestones a unit must report on, those the office must review), and the alerts.
import type { Actor } from '@cityops/domain/access/scope';
import { DUE_SOON_DAYS, MILESTONE_STATUSES, daysLate, milestoneStatus } from '@cityops/domain/key-tasks/milestones';
import type { Executor } from '../db/database.ts';
import type { KeyTaskMilestoneTable } from '../db/schema-key-tasks.ts';
import type { Selectable } from 'kysely';
import { notFound } from '../http/errors.ts';
import { coversUnit, readScope, seesTask, unitsOfTasks, wholePlan, type PlanRow, type TaskUnit } from './key-task-access.ts';
import { requirePlan } from './plans.service.ts';
import { requireVisibleTask } from './progress.service.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const unitView = ({ key, kind, code, name, role }: TaskUnit) => ({ key, kind, code, name, role });

export function milestoneView(m: Selectable<KeyTaskMilestoneTable>, now: number) {
  const facts = { dueDate: m.due_date, state: m.state, submittedAt: m.submitted_at === null ? null : Number(m.submitted_at) };
  const status = milestoneStatus(facts, now);
  return {
    id: Number(m.id), taskId: Number(m.task_id), name: m.name, deliverable: m.deliverable, granularity: m.granularity, dueDate: m.due_date,
    state: m.state, percent: Number(m.percent), status, colour: MILESTONE_STATUSES[status].colour, daysLate: daysLate(facts, now),
    submittedAt: iso(m.submitted_at), acceptedAt: iso(m.accepted_at), overdueFlaggedAt: iso(m.overdue_at),
  };
}
export type MilestoneView = ReturnType<typeof milestoneView>;

const planView = (p: PlanRow) => ({ id: Number(p.id), code: p.code, name: p.name, year: p.year, ruleCode: p.rule_code, description: p.description, owner: { code: p.owner_code, name: p.owner_name } });

/** The plans the actor reads: whole plans over its territory, and the plans where it answers for a task. */
export async function listPlans(db: Executor, actor: Actor) {
  const plans = await db.selectFrom('key_task_plans as p').innerJoin('territory_nodes as n', 'n.id', 'p.owner_node_id')
    .select(['p.id', 'p.code', 'p.name', 'p.year', 'p.rule_code', 'p.description', 'p.owner_node_id', 'n.code as owner_code', 'n.name as owner_name', 'n.path as owner_path'])
    .orderBy('p.year', 'desc').orderBy('p.code').execute();
  const out = [];
  for (const p of plans) {
    if (readScope(actor, p) === 'all') { out.push(planView(p)); continue; }
    const tasks = await db.selectFrom('key_tasks').select('id').where('plan_id', '=', p.id).execute();
    const units = await unitsOfTasks(db, tasks.map((t) => Number(t.id)));
    if ([...units.values()].some((list) => seesTask(actor, 'units', list))) out.push(planView(p));
  }
  return out;
}

/** The board: the tasks the actor sees, each with its units and milestones, and the plan's counts by status. */
export async function planBoard(db: Executor, actor: Actor, planId: number, now: number) {
  const plan = await requirePlan(db, planId);
  const scope = readScope(actor, plan);
  const tasks = await db.selectFrom('key_tasks').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
  const units = await unitsOfTasks(db, tasks.map((t) => Number(t.id)));
  const visible = tasks.filter((t) => seesTask(actor, scope, units.get(Number(t.id)) ?? []));
  if (scope === 'units' && visible.length === 0) throw notFound(`key-task plan ${planId}`);
  const ids = visible.map((t) => Number(t.id));
  const milestones = ids.length ? await db.selectFrom('key_task_milestones').selectAll().where('task_id', 'in', ids).orderBy('due_date').orderBy('id').execute() : [];
  const byTask = new Map<number, MilestoneView[]>();
  for (const m of milestones) { const v = milestoneView(m, now); byTask.set(v.taskId, [...(byTask.get(v.taskId) ?? []), v]); }
  const counts = Object.fromEntries(Object.keys(MILESTONE_STATUSES).map((s) => [s, 0])) as Record<keyof typeof MILESTONE_STATUSES, number>;
  for (const list of byTask.values()) for (const m of list) counts[m.status]++;
  const seqKey = (seq: string) => seq.split('.').map((n) => n.padStart(3, '0')).join('.');
  return {
    plan: planView(plan), access: scope, asOf: iso(now), dueSoonDays: DUE_SOON_DAYS, counts,
    canManage: wholePlan(actor, 'key_task.manage', plan.owner_path),
    tasks: visible.sort((a, b) => seqKey(a.seq).localeCompare(seqKey(b.seq))).map((t) => ({
      id: Number(t.id), parentId: t.parent_id === null ? null : Number(t.parent_id), seq: t.seq, name: t.name, target: t.target, startDate: t.start_date, endDate: t.end_date,
      units: (units.get(Number(t.id)) ?? []).map(unitView),
      milestones: byTask.get(Number(t.id)) ?? [],
    })),
  };
}

/** A task: its milestones, every progress report with its photos, every review; what the actor may do on it. */
export async function taskView(db: Executor, actor: Actor, taskId: number, now: number) {
  const { task, plan, units, scope } = await requireVisibleTask(db, actor, taskId);
  const [milestones, reports, photos, reviews, parent] = await Promise.all([
    db.selectFrom('key_task_milestones').selectAll().where('task_id', '=', taskId).orderBy('due_date').orderBy('id').execute(),
    db.selectFrom('key_task_reports as r').innerJoin('users as u', 'u.id', 'r.reported_by').select(['r.id', 'r.milestone_id', 'r.unit_key', 'r.percent', 'r.text', 'r.submits', 'r.reported_at', 'u.display_name'])
      .where('r.task_id', '=', taskId).orderBy('r.id').execute(),
    db.selectFrom('key_task_report_attachments as k').innerJoin('key_task_reports as r', 'r.id', 'k.report_id').select(['k.report_id', 'k.attachment_id'])
      .where('r.task_id', '=', taskId).orderBy('k.attachment_id').execute(),
    db.selectFrom('key_task_reviews as v').innerJoin('key_task_milestones as m', 'm.id', 'v.milestone_id').select(['v.id', 'v.milestone_id', 'v.outcome', 'v.reason', 'v.reviewed_at', 'v.reviewer_name'])
      .where('m.task_id', '=', taskId).orderBy('v.id').execute(),
    task.parent_id === null ? Promise.resolve(undefined) : db.selectFrom('key_tasks').select(['id', 'seq', 'name']).where('id', '=', task.parent_id).executeTakeFirst(),
  ]);
  const unitByKey = new Map(units.map((u) => [u.key, u]));
  const mine = units.filter((u) => coversUnit(actor, 'key_task.report', u));
  return {
    plan: planView(plan), access: scope,
    task: { id: Number(task.id), seq: task.seq, name: task.name, target: task.target, startDate: task.start_date, endDate: task.end_date, parent: parent ? { id: Number(parent.id), seq: parent.seq, name: parent.name } : null },
    units: units.map(unitView),
    can: { report: mine.length > 0, submit: mine.some((u) => u.role === 'lead'), review: wholePlan(actor, 'key_task.manage', plan.owner_path) },
    myUnits: mine.map(unitView),
    milestones: milestones.map((m) => ({
      ...milestoneView(m, now),
      reports: reports.filter((r) => Number(r.milestone_id) === Number(m.id)).map((r) => {
        const u = unitByKey.get(r.unit_key);
        return {
          id: Number(r.id), unit: u ? { code: u.code, name: u.name, role: u.role } : null, percent: r.percent, text: r.text, submits: r.submits === 1, reportedAt: iso(r.reported_at), reporter: r.display_name,
          attachmentIds: photos.filter((p) => Number(p.report_id) === Number(r.id)).map((p) => Number(p.attachment_id)),
        };
      }),
      reviews: reviews.filter((v) => Number(v.milestone_id) === Number(m.id)).map((v) => ({ id: Number(v.id), outcome: v.outcome, reason: v.reason, reviewedAt: iso(v.reviewed_at), reviewer: v.reviewer_name })),
    })),
  };
}

/** Milestones joined with their task and plan, for the lists across plans. */
async function milestonesWithTasks(db: Executor, states: ('open' | 'submitted' | 'accepted')[]) {
  return db.selectFrom('key_task_milestones as m').innerJoin('key_tasks as t', 't.id', 'm.task_id')
    .selectAll('m').select(['t.seq as task_seq', 't.name as task_name', 't.plan_id'])
    .where('m.state', 'in', states).orderBy('m.due_date').orderBy('m.id').execute();
}

/**
 * One's own work: a unit's milestones still to deliver (open, or awaiting review) in the tasks it answers for;
 * the office's milestones awaiting its review in the plans it keeps.
 */
export async function myWork(db: Executor, actor: Actor, now: number) {
  const rows = await milestonesWithTasks(db, ['open', 'submitted']);
  const units = await unitsOfTasks(db, [...new Set(rows.map((r) => Number(r.task_id)))]);
  const plans = new Map<number, PlanRow>();
  for (const id of new Set(rows.map((r) => Number(r.plan_id)))) plans.set(id, await requirePlan(db, id));
  const item = (r: (typeof rows)[number], list: TaskUnit[]) => ({
    ...milestoneView(r, now), task: { id: Number(r.task_id), seq: r.task_seq, name: r.task_name }, plan: { id: Number(r.plan_id), name: plans.get(Number(r.plan_id))!.name },
    units: list.map(unitView),
  });
  const toReport = [];
  const toReview = [];
  for (const r of rows) {
    const list = units.get(Number(r.task_id)) ?? [];
    if (list.some((u) => coversUnit(actor, 'key_task.report', u))) toReport.push(item(r, list));
    if (r.state === 'submitted' && wholePlan(actor, 'key_task.manage', plans.get(Number(r.plan_id))!.owner_path)) toReview.push(item(r, list));
  }
  return { asOf: iso(now), toReport, toReview };
}

/** The overdue alerts the actor sees: its own tasks', or every one of the plans it reads whole. */
export async function alerts(db: Executor, actor: Actor, now: number) {
  const rows = await db.selectFrom('key_task_alerts as a').innerJoin('key_task_milestones as m', 'm.id', 'a.milestone_id').innerJoin('key_tasks as t', 't.id', 'm.task_id')
    .selectAll('m').select(['a.id as alert_id', 'a.kind', 'a.raised_at', 't.seq as task_seq', 't.name as task_name', 't.plan_id'])
    .orderBy('a.raised_at', 'desc').orderBy('a.id', 'desc').limit(500).execute();
  const units = await unitsOfTasks(db, [...new Set(rows.map((r) => Number(r.task_id)))]);
  const plans = new Map<number, PlanRow>();
  for (const id of new Set(rows.map((r) => Number(r.plan_id)))) plans.set(id, await requirePlan(db, id));
  return rows.filter((r) => seesTask(actor, readScope(actor, plans.get(Number(r.plan_id))!), units.get(Number(r.task_id)) ?? [])).map((r) => ({
    id: Number(r.alert_id), kind: r.kind, raisedAt: iso(r.raised_at), milestone: milestoneView(r, now),
    task: { id: Number(r.task_id), seq: r.task_seq, name: r.task_name }, plan: { id: Number(r.plan_id), name: plans.get(Number(r.plan_id))!.name },
    units: (units.get(Number(r.task_id)) ?? []).map(unitView),
  }));
}
