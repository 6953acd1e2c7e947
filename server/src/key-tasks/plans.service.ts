// What the office writes: scoring rules as versions, plans, tasks and sub-tasks with their responsible
// units, milestones. Every write checks each field (naming it), runs in one transaction and is audited.
import type { Actor } from '@cityops/domain/access/scope';
import { grantsFor, territoryScopeOf } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { parseIsoDate } from '@cityops/domain/calendar/civil-date';
import { dueDateOf, dueEndMs, isDueGranularity, milestoneIssues, type DueGranularity } from '@cityops/domain/key-tasks/milestones';
import { validateScoreRule, type KeyTaskScoreRule } from '@cityops/domain/key-tasks/score';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { planOf, unitKeyOf, unitsOfTasks, wholePlan, type PlanRow } from './key-task-access.ts';

export const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);
export const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const SEQ = /^\d{1,3}(\.\d{1,3}){0,2}$/;

export interface UnitInput { kind: string; code: string }
export interface MilestoneInput { name: string; deliverable: string; dueDate: string; granularity?: string }
export interface TaskInput {
  parentId?: number; seq: string; name: string; target: string; startDate: string; endDate: string;
  lead?: UnitInput; cooperating?: UnitInput[]; milestones?: MilestoneInput[];
}

/** The office's scope over a plan: refuses (403) whoever may manage key tasks elsewhere but not here. */
export function assertManagesPlan(actor: Actor, plan: PlanRow): void {
  if (!wholePlan(actor, 'key_task.manage', plan.owner_path)) throw forbidden('this plan is outside your scope');
}

export async function requirePlan(db: Executor, planId: number): Promise<PlanRow> {
  const plan = await planOf(db, planId);
  if (!plan) throw notFound(`key-task plan ${planId}`);
  return plan;
}

/** The newest version of a scoring rule, or undefined. */
export async function currentRule(db: Executor, code: string): Promise<{ code: string; version: number; name: string; rule: KeyTaskScoreRule; reason: string | null; createdAt: number } | undefined> {
  const row = await db.selectFrom('key_task_score_rules').selectAll().where('code', '=', code).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && { code: row.code, version: row.version, name: row.name, rule: JSON.parse(row.definition) as KeyTaskScoreRule, reason: row.reason, createdAt: Number(row.created_at) };
}

/** Saves a rule as its code's next version. Rules are city-wide: the office of any territory keeps them. */
export async function putScoreRule(db: Kysely<Database>, actor: Actor, code: string, input: { rule: unknown; reason?: string }, now: number) {
  if (!grantsFor(actor, 'key_task.manage').some((g) => territoryScopeOf(g) !== null)) throw forbidden();
  const issues: FieldIssue[] = [];
  if (!CODE.test(code)) issues.push({ field: 'code', message: 'must be letters, digits, _ or -, at most 40' });
  issues.push(...validateScoreRule(input.rule));
  if (issues.length) throw new ValidationError(issues);
  const rule = input.rule as KeyTaskScoreRule;
  return db.transaction().execute(async (trx) => {
    const last = await currentRule(trx, code);
    const version = (last?.version ?? 0) + 1;
    await trx.insertInto('key_task_score_rules').values({ code, version, name: rule.name.trim(), definition: JSON.stringify(rule), reason: input.reason?.trim() || null, created_at: now, created_by: userId(actor) }).execute();
    await recordAudit(trx, actor, 'key_task_rule.save', { type: 'key_task_score_rule', ref: `${code}@${version}` }, { reason: input.reason ?? null }, now);
    return { code, version };
  });
}

export async function createPlan(db: Kysely<Database>, actor: Actor, input: { code: string; name: string; year: number; ownerCode: string; ruleCode: string; description?: string }, now: number): Promise<number> {
  const issues: FieldIssue[] = [];
  if (!CODE.test(input.code)) issues.push({ field: 'code', message: 'must be letters, digits, _ or -, at most 40' });
  if (!input.name?.trim()) issues.push({ field: 'name', message: 'is required' });
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) issues.push({ field: 'year', message: 'must be a year from 2000 to 2100' });
  const owner = await db.selectFrom('territory_nodes').select(['id', 'path']).where('code', '=', input.ownerCode).executeTakeFirst();
  if (!owner) issues.push({ field: 'ownerCode', message: `no territory node ${input.ownerCode}` });
  if (!(await currentRule(db, input.ruleCode))) issues.push({ field: 'ruleCode', message: `no scoring rule ${input.ruleCode}; save one first (PUT /api/key-tasks/score-rules/${input.ruleCode})` });
  if (issues.length) throw new ValidationError(issues);
  if (!wholePlan(actor, 'key_task.manage', owner!.path)) throw forbidden('the plan\'s territory is outside your scope');
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('key_task_plans').select('id').where('code', '=', input.code).executeTakeFirst();
    if (taken) throw new HttpError(409, 'plan_exists', `a plan ${input.code} exists already (${taken.id})`, [{ field: 'code', message: 'is taken' }]);
    const plan = await trx.insertInto('key_task_plans').values({
      code: input.code, name: input.name.trim(), year: input.year, owner_node_id: owner!.id, rule_code: input.ruleCode,
      description: input.description?.trim() || null, created_at: now, created_by: userId(actor),
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'key_task_plan.create', { type: 'key_task_plan', ref: plan.id }, input, now);
    return Number(plan.id);
  });
}

/** Resolves unit references by code, naming each bad one. */
export async function resolveUnits(db: Executor, refs: { field: string; ref: UnitInput; role: 'lead' | 'cooperating' }[]) {
  const issues: FieldIssue[] = [];
  const units: { key: string; role: 'lead' | 'cooperating'; department_id: number | null; territory_node_id: number | null }[] = [];
  for (const { field, ref, role } of refs) {
    if (ref.kind === 'department') {
      const d = await db.selectFrom('departments').select('id').where('code', '=', ref.code).executeTakeFirst();
      if (!d) { issues.push({ field: `${field}.code`, message: `no department ${ref.code}` }); continue; }
      units.push({ key: unitKeyOf('department', d.id), role, department_id: d.id, territory_node_id: null });
    } else if (ref.kind === 'territory') {
      const n = await db.selectFrom('territory_nodes').select(['id', 'level']).where('code', '=', ref.code).executeTakeFirst();
      if (!n || n.level === 'grid' || n.level === 'community') { issues.push({ field: `${field}.code`, message: `no territory government ${ref.code} (a city, district or street)` }); continue; }
      units.push({ key: unitKeyOf('territory', n.id), role, department_id: null, territory_node_id: n.id });
    } else issues.push({ field: `${field}.kind`, message: 'must be department or territory' });
  }
  const seen = new Set<string>();
  units.forEach((u, i) => { if (seen.has(u.key)) issues.push({ field: refs[i]!.field, message: 'names a unit already listed for this task' }); seen.add(u.key); });
  return { units, issues };
}

export function dateIssues(input: { startDate?: string; endDate?: string }, year: number, parent?: { start_date: string; end_date: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const start = typeof input.startDate === 'string' && parseIsoDate(input.startDate);
  const end = typeof input.endDate === 'string' && parseIsoDate(input.endDate);
  if (!start) issues.push({ field: 'startDate', message: 'must be a date YYYY-MM-DD' });
  if (!end) issues.push({ field: 'endDate', message: 'must be a date YYYY-MM-DD' });
  if (start && end && input.endDate! < input.startDate!) issues.push({ field: 'endDate', message: 'is before startDate' });
  if (start && !parent && start.year !== year && end && end.year !== year) issues.push({ field: 'startDate', message: `the task must fall at least partly in the plan's year ${year}` });
  if (parent && start && input.startDate! < parent.start_date) issues.push({ field: 'startDate', message: `is before its task starts (${parent.start_date})` });
  if (parent && end && input.endDate! > parent.end_date) issues.push({ field: 'endDate', message: `is after its task ends (${parent.end_date})` });
  return issues;
}

export const milestoneRow = (taskId: number, m: MilestoneInput, actor: Actor, now: number) => {
  const granularity: DueGranularity = isDueGranularity(m.granularity) ? m.granularity : 'day';
  const due = dueDateOf(m.dueDate, granularity);
  return {
    task_id: taskId, name: m.name.trim(), deliverable: m.deliverable.trim(), granularity, due_date: due, due_end_at: dueEndMs(due),
    state: 'open' as const, submitted_at: null, accepted_at: null, accepted_by: null, overdue_at: null, created_at: now, created_by: userId(actor),
  };
};

/** A task or (with parentId) a sub-task, its units (a sub-task without units takes its task's) and its milestones. */
export async function addTask(db: Kysely<Database>, actor: Actor, planId: number, input: TaskInput, now: number): Promise<number> {
  const plan = await requirePlan(db, planId);
  assertManagesPlan(actor, plan);
  const issues: FieldIssue[] = [];
  const parent = input.parentId === undefined ? undefined : await db.selectFrom('key_tasks').selectAll().where('id', '=', input.parentId).where('plan_id', '=', planId).executeTakeFirst();
  if (input.parentId !== undefined && !parent) issues.push({ field: 'parentId', message: `no task ${input.parentId} in this plan` });
  else if (parent && parent.parent_id !== null) issues.push({ field: 'parentId', message: 'a sub-task has no sub-tasks of its own' });
  if (!SEQ.test(input.seq ?? '')) issues.push({ field: 'seq', message: 'must be a number like 3 or 3.2' });
  else if (parent && !input.seq.startsWith(`${parent.seq}.`)) issues.push({ field: 'seq', message: `a sub-task of ${parent.seq} is numbered ${parent.seq}.n` });
  if (!input.name?.trim()) issues.push({ field: 'name', message: 'is required' });
  if (!input.target?.trim()) issues.push({ field: 'target', message: 'is required: what the task must achieve' });
  issues.push(...dateIssues(input, plan.year, parent));
  const refs = [
    ...(input.lead ? [{ field: 'lead', ref: input.lead, role: 'lead' as const }] : []),
    ...(input.cooperating ?? []).map((ref, i) => ({ field: `cooperating[${i}]`, ref, role: 'cooperating' as const })),
  ];
  if (!input.lead && !parent) issues.push({ field: 'lead', message: 'is required: the lead unit (牵头单位) of a task' });
  if (!input.lead && parent && input.cooperating?.length) issues.push({ field: 'lead', message: 'is required when cooperating units are given' });
  const resolved = await resolveUnits(db, refs);
  issues.push(...resolved.issues);
  const window = parseIsoDate(input.startDate ?? '') && parseIsoDate(input.endDate ?? '') ? { from: input.startDate, to: input.endDate } : undefined;
  (input.milestones ?? []).forEach((m, i) => issues.push(...milestoneIssues(m, `milestones[${i}].`, window)));
  if (issues.length) throw new ValidationError(issues);
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('key_tasks').select('id').where('plan_id', '=', planId).where('seq', '=', input.seq).executeTakeFirst();
    if (taken) throw new HttpError(409, 'task_exists', `task ${input.seq} exists already in this plan`, [{ field: 'seq', message: 'is taken' }]);
    const task = await trx.insertInto('key_tasks').values({
      plan_id: planId, parent_id: parent?.id ?? null, seq: input.seq, name: input.name.trim(), target: input.target.trim(),
      start_date: input.startDate, end_date: input.endDate, created_at: now, created_by: userId(actor),
    }).returning('id').executeTakeFirstOrThrow();
    const taskId = Number(task.id);
    const units = input.lead
      ? resolved.units.map(({ key, ...u }) => ({ ...u, unit_key: key, task_id: taskId }))
      : ((await unitsOfTasks(trx, [parent!.id])).get(parent!.id) ?? []).map((u) => ({
        task_id: taskId, role: u.role, unit_key: u.key, department_id: u.kind === 'department' ? u.id : null, territory_node_id: u.kind === 'territory' ? u.id : null,
      }));
    await trx.insertInto('key_task_units').values(units).execute();
    if (input.milestones?.length) await trx.insertInto('key_task_milestones').values(input.milestones.map((m) => milestoneRow(taskId, m, actor, now))).execute();
    await recordAudit(trx, actor, 'key_task.create', { type: 'key_task', ref: taskId }, { planId, ...input }, now);
    return taskId;
  });
}

export async function addMilestone(db: Kysely<Database>, actor: Actor, taskId: number, input: MilestoneInput, now: number): Promise<number> {
  const task = await db.selectFrom('key_tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound(`key task ${taskId}`);
  const plan = await requirePlan(db, task.plan_id);
  assertManagesPlan(actor, plan);
  const issues = milestoneIssues(input, '', { from: task.start_date, to: task.end_date });
  if (issues.length) throw new ValidationError(issues);
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('key_task_milestones').values(milestoneRow(taskId, input, actor, now)).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'key_task_milestone.create', { type: 'key_task_milestone', ref: row.id }, { taskId, ...input }, now);
    return Number(row.id);
  });
}
