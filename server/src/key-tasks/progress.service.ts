// What happens to a milestone after the plan is written: the responsible unit's progress reports with their
// evidence photos (one of them submits the milestone for review), the office's review (accepted, or returned
// with its reason), and the overdue job that flags a milestone once its due day has ended unaccepted and
// raises one alert for it. Each change is one transaction with its audit line.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { MILESTONE_ACTIONS, needsOverdueFlag } from '@cityops/domain/key-tasks/milestones';
import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { MAX_CLAIMED } from '../attachments/attachments.service.ts';
import { coversUnit, readScope, seesTask, unitsOfTasks, type TaskUnit } from './key-task-access.ts';
import { assertManagesPlan, requirePlan } from './plans.service.ts';

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

export interface ReportInput { milestoneId: number; unitCode?: string; percent: number; text: string; attachmentIds?: number[]; submit?: boolean }

/** The task with its units if the actor may see it; 404 otherwise. */
export async function requireVisibleTask(db: Executor, actor: Actor, taskId: number) {
  const task = await db.selectFrom('key_tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound(`key task ${taskId}`);
  const plan = await requirePlan(db, task.plan_id);
  const units = (await unitsOfTasks(db, [taskId])).get(taskId) ?? [];
  const scope = readScope(actor, plan);
  if (!seesTask(actor, scope, units)) throw notFound(`key task ${taskId}`);
  return { task, plan, units, scope };
}

/** Checks the actor's own fresh uploads for a report, naming each bad id by its position. */
async function checkEvidence(trx: Executor, actor: Actor, ids: number[]): Promise<FieldIssue[]> {
  if (ids.length > MAX_CLAIMED) return [{ field: 'attachmentIds', message: `at most ${MAX_CLAIMED} photos, got ${ids.length}` }];
  if (ids.length === 0) return [];
  const rows = new Map((await trx.selectFrom('attachments as a').leftJoin('key_task_report_attachments as k', 'k.attachment_id', 'a.id')
    .select(['a.id', 'a.uploaded_by_kind', 'a.uploaded_by_id', 'a.case_id', 'a.appeal_id', 'k.report_id']).where('a.id', 'in', [...new Set(ids)]).execute()).map((r) => [Number(r.id), r]));
  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    const field = `attachmentIds[${i}]`;
    if (seen.has(id)) return void issues.push({ field, message: `photo ${id} is listed more than once` });
    seen.add(id);
    const row = rows.get(id);
    // Someone else's upload answers like a missing one.
    if (!row || row.uploaded_by_kind !== actor.kind || row.uploaded_by_id !== actor.id) return void issues.push({ field, message: `no photo ${id} uploaded by you` });
    if (row.case_id !== null || row.appeal_id !== null || row.report_id !== null) issues.push({ field, message: `photo ${id} already documents something else` });
  });
  return issues;
}

/**
 * A progress report on a milestone by one of the task's units. With `submit`, the lead unit asks the office to
 * accept the milestone (提请验收): the report must say it is 100 % done. Reports on an accepted milestone or one
 * under review are refused (409): the office decides first.
 */
export async function fileReport(db: Kysely<Database>, actor: Actor, taskId: number, input: ReportInput, now: number): Promise<number> {
  const { task, units } = await requireVisibleTask(db, actor, taskId);
  const mine = units.filter((u) => coversUnit(actor, 'key_task.report', u));
  if (mine.length === 0) throw forbidden('you do not answer for this task');
  const issues: FieldIssue[] = [];
  let unit: TaskUnit | undefined;
  if (input.unitCode !== undefined) {
    unit = mine.find((u) => u.code === input.unitCode);
    if (!unit) issues.push({ field: 'unitCode', message: `you do not report for ${input.unitCode} on this task (yours: ${mine.map((u) => u.code).join(', ')})` });
  } else unit = mine.find((u) => u.role === 'lead') ?? mine[0];
  if (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100) issues.push({ field: 'percent', message: 'must be a whole percentage from 0 to 100' });
  else if (input.submit && input.percent !== 100) issues.push({ field: 'percent', message: 'a milestone submitted for review is 100 % done' });
  if (typeof input.text !== 'string' || input.text.trim() === '') issues.push({ field: 'text', message: 'is required: what was done' });
  const milestone = await db.selectFrom('key_task_milestones').selectAll().where('id', '=', input.milestoneId).where('task_id', '=', taskId).executeTakeFirst();
  if (!milestone) issues.push({ field: 'milestoneId', message: `no milestone ${input.milestoneId} in task ${task.seq}` });
  if (issues.length) throw new ValidationError(issues);
  if (input.submit && unit!.role !== 'lead') throw forbidden('only the lead unit (牵头单位) submits a milestone for review');
  if (milestone!.state !== 'open') throw new HttpError(409, 'invalid_state', `milestone ${milestone!.id} is ${milestone!.state === 'accepted' ? 'accepted already' : 'awaiting the office\'s review'}`);
  return db.transaction().execute(async (trx) => {
    const evidence = await checkEvidence(trx, actor, input.attachmentIds ?? []);
    if (evidence.length) throw new ValidationError(evidence);
    const report = await trx.insertInto('key_task_reports').values({
      task_id: taskId, milestone_id: milestone!.id, unit_key: unit!.key, percent: input.percent, text: input.text.trim(), submits: input.submit ? 1 : 0, reported_at: now, reported_by: actor.id!,
    }).returning('id').executeTakeFirstOrThrow();
    const ids = [...new Set(input.attachmentIds ?? [])];
    if (ids.length) await trx.insertInto('key_task_report_attachments').values(ids.map((attachment_id) => ({ attachment_id, report_id: report.id }))).execute();
    const change = input.submit ? { percent: input.percent, state: MILESTONE_ACTIONS.submit.to, submitted_at: now } : { percent: input.percent };
    const moved = await trx.updateTable('key_task_milestones').set((eb) => ({ ...change, lock_version: eb('lock_version', '+', 1) }))
      .where('id', '=', milestone!.id).where('state', '=', 'open').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', `milestone ${milestone!.id} changed at the same time; reload it`);
    await recordAudit(trx, actor, input.submit ? 'key_task_milestone.submit' : 'key_task.report', { type: 'key_task_milestone', ref: milestone!.id }, { reportId: report.id, unit: unit!.code, percent: input.percent, photos: ids.length }, now);
    return Number(report.id);
  });
}

/** The office accepts a submitted milestone or returns it with its reason. */
export async function reviewMilestone(db: Kysely<Database>, actor: Actor, milestoneId: number, input: { outcome: string; reason?: string }, now: number): Promise<void> {
  const milestone = await db.selectFrom('key_task_milestones as m').innerJoin('key_tasks as t', 't.id', 'm.task_id')
    .select(['m.id', 'm.state', 't.plan_id']).where('m.id', '=', milestoneId).executeTakeFirst();
  if (!milestone) throw notFound(`milestone ${milestoneId}`);
  assertManagesPlan(actor, await requirePlan(db, milestone.plan_id));
  const action = input.outcome === 'accepted' ? 'accept' : input.outcome === 'returned' ? 'return' : null;
  const reason = input.reason?.trim() ?? '';
  const issues: FieldIssue[] = [];
  if (!action) issues.push({ field: 'outcome', message: 'must be accepted or returned' });
  else if (MILESTONE_ACTIONS[action].reasonRequired && !reason) issues.push({ field: 'reason', message: 'is required: say what is missing when returning a milestone' });
  if (issues.length) throw new ValidationError(issues);
  const rule = MILESTONE_ACTIONS[action!];
  if (!(rule.from as readonly string[]).includes(milestone.state)) throw new HttpError(409, 'invalid_state', `cannot ${action} a milestone that is ${milestone.state} (it must be submitted for review first)`);
  await db.transaction().execute(async (trx) => {
    const change = action === 'accept' ? { state: rule.to, accepted_at: now, accepted_by: userId(actor) } : { state: rule.to };
    const moved = await trx.updateTable('key_task_milestones').set((eb) => ({ ...change, lock_version: eb('lock_version', '+', 1) }))
      .where('id', '=', milestoneId).where('state', 'in', [...rule.from]).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', `milestone ${milestoneId} changed at the same time; reload it`);
    await trx.insertInto('key_task_reviews').values({ milestone_id: milestoneId, outcome: input.outcome as 'accepted' | 'returned', reason, reviewed_at: now, reviewed_by: userId(actor), reviewer_name: actor.name }).execute();
    await recordAudit(trx, actor, `key_task_milestone.${action}`, { type: 'key_task_milestone', ref: milestoneId }, { reason }, now);
  });
}

/**
 * The overdue job (key_task_overdue): flags every milestone whose due day has ended unaccepted (not counting a
 * submission made in time and still under review), each once, with one alert the unit and the office see.
 */
export async function markOverdueMilestones(db: Executor, now: number): Promise<{ flagged: number }> {
  const candidates = await db.selectFrom('key_task_milestones').select(['id', 'due_date', 'state', 'submitted_at'])
    .where('overdue_at', 'is', null).where('state', '!=', 'accepted').where('due_end_at', '<=', now).execute();
  const due = candidates.filter((m) => needsOverdueFlag({ dueDate: m.due_date, state: m.state, submittedAt: m.submitted_at === null ? null : Number(m.submitted_at) }, now));
  let flagged = 0;
  for (const m of due) {
    const write = async (trx: Executor) => {
      const set = await trx.updateTable('key_task_milestones').set({ overdue_at: now }).where('id', '=', m.id).where('overdue_at', 'is', null).executeTakeFirst();
      if (Number(set.numUpdatedRows) !== 1) return;
      await trx.insertInto('key_task_alerts').values({ milestone_id: m.id, kind: 'overdue', raised_at: now }).onConflict((oc) => oc.columns(['milestone_id', 'kind']).doNothing()).execute();
      await recordAudit(trx, SYSTEM_ACTOR, 'key_task_milestone.overdue', { type: 'key_task_milestone', ref: m.id }, { dueDate: m.due_date }, now);
      flagged++;
    };
    if (db.isTransaction) await write(db); else await db.transaction().execute(write);
  }
  return { flagged };
}
