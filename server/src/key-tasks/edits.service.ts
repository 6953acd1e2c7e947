// The office's corrections to a plan already written: a plan's name, description and scoring rule; a task's
// wording, period and responsible units; a milestone's wording and due date; removing a task or a milestone.
// What has a history stays: an accepted milestone is not changed, an overdue one keeps its due date, a unit
// that reported stays on its task, and nothing with reports, reviews or an overdue flag is removed (409
// `has_history`): decision 0019, "Corrections". Each change is one transaction with its audit line (before and after).
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { dueDateOf, dueEndMs, isDueGranularity, milestoneIssues, type DueGranularity } from '@cityops/domain/key-tasks/milestones';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { unitsOfTasks } from './key-task-access.ts';
import { assertManagesPlan, currentRule, dateIssues, requirePlan, resolveUnits, type UnitInput } from './plans.service.ts';

export interface PlanPatch { name?: string; description?: string | null; ruleCode?: string }
export interface TaskPatch { name?: string; target?: string; startDate?: string; endDate?: string; lead?: UnitInput; cooperating?: UnitInput[] }
export interface MilestonePatch { name?: string; deliverable?: string; dueDate?: string; granularity?: string }

const hasHistory = (what: string, why: string) => new HttpError(409, 'has_history', `${what} ${why}; it stays on record (change its wording instead)`);

export async function updatePlan(db: Kysely<Database>, actor: Actor, planId: number, input: PlanPatch, now: number): Promise<void> {
  const plan = await requirePlan(db, planId);
  assertManagesPlan(actor, plan);
  const issues: FieldIssue[] = [];
  if (input.name !== undefined && !input.name.trim()) issues.push({ field: 'name', message: 'is required' });
  if (input.ruleCode !== undefined && !(await currentRule(db, input.ruleCode))) issues.push({ field: 'ruleCode', message: `no scoring rule ${input.ruleCode}` });
  if (issues.length) throw new ValidationError(issues);
  const change = {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
    ...(input.ruleCode !== undefined ? { rule_code: input.ruleCode } : {}),
  };
  if (Object.keys(change).length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('key_task_plans').set(change).where('id', '=', planId).execute();
    await recordAudit(trx, actor, 'key_task_plan.update', { type: 'key_task_plan', ref: planId }, { before: { name: plan.name, description: plan.description, ruleCode: plan.rule_code }, after: change }, now);
  });
}

async function requireTask(db: Executor, actor: Actor, taskId: number) {
  const task = await db.selectFrom('key_tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound(`key task ${taskId}`);
  const plan = await requirePlan(db, task.plan_id);
  assertManagesPlan(actor, plan);
  return { task, plan };
}

/**
 * A task's wording, period and units. The period must still hold its milestones and sub-tasks (and lie in its
 * task's, for a sub-task). Giving `lead` or `cooperating` replaces that role's units; a unit that reported
 * progress on the task cannot be dropped (its reports name it).
 */
export async function updateTask(db: Kysely<Database>, actor: Actor, taskId: number, input: TaskPatch, now: number): Promise<void> {
  const { task, plan } = await requireTask(db, actor, taskId);
  const issues: FieldIssue[] = [];
  if (input.name !== undefined && !input.name.trim()) issues.push({ field: 'name', message: 'is required' });
  if (input.target !== undefined && !input.target.trim()) issues.push({ field: 'target', message: 'is required: what the task must achieve' });
  const startDate = input.startDate ?? task.start_date;
  const endDate = input.endDate ?? task.end_date;
  const parent = task.parent_id === null ? undefined : await db.selectFrom('key_tasks').select(['start_date', 'end_date']).where('id', '=', task.parent_id).executeTakeFirstOrThrow();
  const dates = dateIssues({ startDate, endDate }, plan.year, parent);
  issues.push(...dates);
  if (dates.length === 0) {
    const milestones = await db.selectFrom('key_task_milestones').select(['name', 'due_date']).where('task_id', '=', taskId).orderBy('due_date').execute();
    const before = milestones.find((m) => m.due_date < startDate);
    const after = [...milestones].reverse().find((m) => m.due_date > endDate);
    if (before) issues.push({ field: 'startDate', message: `is after milestone ${before.name}, due ${before.due_date}` });
    if (after) issues.push({ field: 'endDate', message: `is before milestone ${after.name}, due ${after.due_date}` });
    const children = await db.selectFrom('key_tasks').select(['seq', 'start_date', 'end_date']).where('parent_id', '=', taskId).execute();
    const early = children.find((c) => c.start_date < startDate);
    const late = children.find((c) => c.end_date > endDate);
    if (early) issues.push({ field: 'startDate', message: `is after sub-task ${early.seq} starts (${early.start_date})` });
    if (late) issues.push({ field: 'endDate', message: `is before sub-task ${late.seq} ends (${late.end_date})` });
  }
  const current = (await unitsOfTasks(db, [taskId])).get(taskId) ?? [];
  const unitsChange = input.lead !== undefined || input.cooperating !== undefined;
  let resolved: Awaited<ReturnType<typeof resolveUnits>> | undefined;
  if (unitsChange) {
    const ref = (u: (typeof current)[number]) => ({ kind: u.kind, code: u.code });
    const lead = input.lead ?? current.filter((u) => u.role === 'lead').map(ref)[0];
    const cooperating = input.cooperating ?? current.filter((u) => u.role === 'cooperating').map(ref);
    if (!lead) issues.push({ field: 'lead', message: 'is required: the lead unit (牵头单位) of a task' });
    resolved = await resolveUnits(db, [
      ...(lead ? [{ field: 'lead', ref: lead, role: 'lead' as const }] : []),
      ...cooperating.map((r, i) => ({ field: `cooperating[${i}]`, ref: r, role: 'cooperating' as const })),
    ]);
    issues.push(...resolved.issues);
    if (resolved.issues.length === 0) {
      const reported = await db.selectFrom('key_task_reports').select('unit_key').distinct().where('task_id', '=', taskId).execute();
      const kept = new Set(resolved.units.map((u) => u.key));
      for (const r of reported) {
        if (kept.has(r.unit_key)) continue;
        const gone = current.find((u) => u.key === r.unit_key);
        issues.push({ field: gone?.role === 'lead' ? 'lead' : 'cooperating', message: `${gone?.name ?? r.unit_key} reported progress on this task and stays one of its units` });
      }
    }
  }
  if (issues.length) throw new ValidationError(issues);
  const change = {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.target !== undefined ? { target: input.target.trim() } : {}),
    ...(input.startDate !== undefined ? { start_date: input.startDate } : {}),
    ...(input.endDate !== undefined ? { end_date: input.endDate } : {}),
  };
  if (Object.keys(change).length === 0 && !unitsChange) return;
  await db.transaction().execute(async (trx) => {
    if (Object.keys(change).length) await trx.updateTable('key_tasks').set(change).where('id', '=', taskId).execute();
    if (resolved) {
      await trx.deleteFrom('key_task_units').where('task_id', '=', taskId).execute();
      await trx.insertInto('key_task_units').values(resolved.units.map(({ key, ...u }) => ({ ...u, unit_key: key, task_id: taskId }))).execute();
    }
    const unitsOf = (list: { role: string; code?: string; key: string }[]) => list.map((u) => `${u.role}:${u.code ?? u.key}`);
    await recordAudit(trx, actor, 'key_task.update', { type: 'key_task', ref: taskId }, {
      before: { name: task.name, target: task.target, startDate: task.start_date, endDate: task.end_date, ...(resolved ? { units: unitsOf(current) } : {}) },
      after: { ...input },
    }, now);
  });
}

/** Whether anything has happened on these milestones: a report, a review, a submission, an overdue flag. */
async function milestoneHistory(db: Executor, milestoneIds: number[]): Promise<string | null> {
  if (milestoneIds.length === 0) return null;
  const moved = await db.selectFrom('key_task_milestones').select(['name', 'state', 'overdue_at']).where('id', 'in', milestoneIds)
    .where((eb) => eb.or([eb('state', '!=', 'open'), eb('overdue_at', 'is not', null)])).executeTakeFirst();
  if (moved) return `milestone ${moved.name} is ${moved.overdue_at !== null ? 'flagged overdue' : moved.state}`;
  const report = await db.selectFrom('key_task_reports').select('id').where('milestone_id', 'in', milestoneIds).limit(1).executeTakeFirst();
  if (report) return 'has progress reports';
  const review = await db.selectFrom('key_task_reviews').select('id').where('milestone_id', 'in', milestoneIds).limit(1).executeTakeFirst();
  return review ? 'has reviews' : null;
}

/** Removes a task written by mistake: refused while it has sub-tasks, or once anything happened on it. */
export async function removeTask(db: Kysely<Database>, actor: Actor, taskId: number, now: number): Promise<void> {
  const { task } = await requireTask(db, actor, taskId);
  await db.transaction().execute(async (trx) => {
    const child = await trx.selectFrom('key_tasks').select('seq').where('parent_id', '=', taskId).limit(1).executeTakeFirst();
    if (child) throw new HttpError(409, 'has_sub_tasks', `task ${task.seq} has sub-task ${child.seq}; remove its sub-tasks first`);
    const milestones = await trx.selectFrom('key_task_milestones').select(['id', 'name', 'due_date']).where('task_id', '=', taskId).execute();
    const history = await milestoneHistory(trx, milestones.map((m) => Number(m.id)));
    if (history) throw hasHistory(`task ${task.seq}`, history);
    const units = (await unitsOfTasks(trx, [taskId])).get(taskId) ?? [];
    await trx.deleteFrom('key_task_milestones').where('task_id', '=', taskId).execute();
    await trx.deleteFrom('key_task_units').where('task_id', '=', taskId).execute();
    await trx.deleteFrom('key_tasks').where('id', '=', taskId).execute();
    await recordAudit(trx, actor, 'key_task.remove', { type: 'key_task', ref: taskId }, {
      planId: Number(task.plan_id), seq: task.seq, name: task.name, target: task.target, startDate: task.start_date, endDate: task.end_date,
      units: units.map((u) => `${u.role}:${u.code}`), milestones: milestones.map((m) => `${m.name} ${m.due_date}`),
    }, now);
  });
}

async function requireMilestone(db: Executor, actor: Actor, milestoneId: number) {
  const milestone = await db.selectFrom('key_task_milestones').selectAll().where('id', '=', milestoneId).executeTakeFirst();
  if (!milestone) throw notFound(`milestone ${milestoneId}`);
  const { task } = await requireTask(db, actor, Number(milestone.task_id));
  return { milestone, task };
}

/**
 * A milestone's wording, due date or granularity. An accepted milestone is closed (409); an overdue one keeps
 * its due date, since moving it would erase the lateness the score and the alert already record.
 */
export async function updateMilestone(db: Kysely<Database>, actor: Actor, milestoneId: number, input: MilestonePatch, now: number): Promise<void> {
  const { milestone, task } = await requireMilestone(db, actor, milestoneId);
  if (milestone.state === 'accepted') throw new HttpError(409, 'invalid_state', `milestone ${milestone.name} is accepted already and cannot be changed`);
  const merged = {
    name: input.name ?? milestone.name, deliverable: input.deliverable ?? milestone.deliverable,
    dueDate: input.dueDate ?? milestone.due_date, granularity: input.granularity ?? milestone.granularity,
  };
  const issues = milestoneIssues(merged, '', { from: task.start_date, to: task.end_date });
  let due = milestone.due_date;
  if (!issues.some((i) => i.field === 'dueDate' || i.field === 'granularity')) {
    due = dueDateOf(merged.dueDate, merged.granularity as DueGranularity);
    if (due !== milestone.due_date && milestone.overdue_at !== null) {
      issues.push({ field: 'dueDate', message: `was flagged overdue on its due date ${milestone.due_date}; an overdue milestone keeps its due date` });
    }
  }
  if (issues.length) throw new ValidationError(issues);
  const granularity: DueGranularity = isDueGranularity(merged.granularity) ? merged.granularity : 'day';
  await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('key_task_milestones').set((eb) => ({
      name: merged.name.trim(), deliverable: merged.deliverable.trim(), granularity, due_date: due, due_end_at: dueEndMs(due), lock_version: eb('lock_version', '+', 1),
    })).where('id', '=', milestoneId).where('lock_version', '=', milestone.lock_version).where('state', '!=', 'accepted').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', `milestone ${milestoneId} changed at the same time; reload it`);
    await recordAudit(trx, actor, 'key_task_milestone.update', { type: 'key_task_milestone', ref: milestoneId }, {
      before: { name: milestone.name, deliverable: milestone.deliverable, dueDate: milestone.due_date, granularity: milestone.granularity },
      after: { name: merged.name.trim(), deliverable: merged.deliverable.trim(), dueDate: due, granularity },
    }, now);
  });
}

/** Removes a milestone written by mistake: refused once anything happened on it. */
export async function removeMilestone(db: Kysely<Database>, actor: Actor, milestoneId: number, now: number): Promise<number> {
  const { milestone, task } = await requireMilestone(db, actor, milestoneId);
  await db.transaction().execute(async (trx) => {
    const history = await milestoneHistory(trx, [milestoneId]);
    if (history) throw hasHistory(`milestone ${milestone.name}`, history.replace(`milestone ${milestone.name} `, ''));
    const gone = await trx.deleteFrom('key_task_milestones').where('id', '=', milestoneId).where('state', '=', 'open').where('overdue_at', 'is', null).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) throw new HttpError(409, 'conflict', `milestone ${milestoneId} changed at the same time; reload it`);
    await recordAudit(trx, actor, 'key_task_milestone.remove', { type: 'key_task_milestone', ref: milestoneId }, {
      taskId: Number(task.id), name: milestone.name, deliverable: milestone.deliverable, dueDate: milestone.due_date, granularity: milestone.granularity,
    }, now);
  });
  return Number(task.id);
}
