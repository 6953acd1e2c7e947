// The special-task score (专项工作) of a plan's month, under the newest version of the plan's scoring rule, with
// each unit's trace; and its transfer, in one transaction, into a draft evaluation run's entered component
// (the same rows, checks and recomputation as PUT /api/evaluation/runs/:id/entries), the trace as the reason.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import { formatIsoDate } from '@cityops/domain/calendar/civil-date';
import { SCORE_EVENTS, UNIT_ROLES, monthScores, type ScoredMilestone, type ScoredReturn, type UnitScore } from '@cityops/domain/key-tasks/score';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import { schemeById } from '../evaluation/definitions.service.ts';
import { assertManages, entryIssues, loadRun } from '../evaluation/runs.service.ts';
import { computeResults } from '../evaluation/run-compute.ts';
import { coversUnit, readScope, unitsOfTasks, type TaskUnit } from './key-task-access.ts';
import { assertManagesPlan, currentRule, requirePlan } from './plans.service.ts';

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);
/** The evaluation's entry reason is at most this long (the entries route's limit). */
const REASON_MAX = 1000;

function monthOf(code: string) {
  const parsed = parsePeriod(code, 'month');
  if (!parsed.ok) throw new ValidationError([parsed.issue]);
  if (parsed.period.kind !== 'month') throw new ValidationError([{ field: 'month', message: 'must be a month YYYY-MM' }]);
  const p = parsed.period;
  return { code: p.code, firstDate: formatIsoDate(p.fromDay), lastDate: formatIsoDate(p.toDay - 1), fromMs: p.fromMs, toMs: p.toMs };
}

/** Every unit's score of the plan for the month as of `now`, with its trace; a unit-scoped reader gets its own units only. */
export async function planMonthScores(db: Executor, actor: Actor, planId: number, monthCode: string, now: number) {
  const plan = await requirePlan(db, planId);
  const month = monthOf(monthCode);
  const rule = await currentRule(db, plan.rule_code);
  if (!rule) throw new HttpError(409, 'no_rule', `the plan's scoring rule ${plan.rule_code} has no version`);
  const tasks = await db.selectFrom('key_tasks').select(['id', 'seq']).where('plan_id', '=', planId).execute();
  const units = await unitsOfTasks(db, tasks.map((t) => Number(t.id)));
  const seq = new Map(tasks.map((t) => [Number(t.id), t.seq]));
  const ids = tasks.map((t) => Number(t.id));
  const [milestones, returns] = ids.length ? await Promise.all([
    db.selectFrom('key_task_milestones').select(['id', 'task_id', 'name', 'due_date', 'state', 'submitted_at']).where('task_id', 'in', ids).execute(),
    db.selectFrom('key_task_reviews as v').innerJoin('key_task_milestones as m', 'm.id', 'v.milestone_id').select(['v.milestone_id', 'v.reviewed_at', 'v.reason', 'm.task_id', 'm.name'])
      .where('m.task_id', 'in', ids).where('v.outcome', '=', 'returned').where('v.reviewed_at', '>=', month.fromMs).where('v.reviewed_at', '<', month.toMs).execute(),
  ]) : [[], []];
  const roles = (taskId: number) => (units.get(taskId) ?? []).map((u) => ({ key: u.key, role: u.role }));
  const facts = {
    milestones: milestones.map((m): ScoredMilestone => ({
      id: Number(m.id), label: `${seq.get(Number(m.task_id))} ${m.name}`, units: roles(Number(m.task_id)), dueDate: m.due_date, state: m.state, submittedAt: m.submitted_at === null ? null : Number(m.submitted_at),
    })),
    returns: returns.map((r): ScoredReturn => ({ milestoneId: Number(r.milestone_id), label: `${seq.get(Number(r.task_id))} ${r.name}`, at: Number(r.reviewed_at), reason: r.reason, units: roles(Number(r.task_id)) })),
  };
  const byKey = new Map<string, TaskUnit>();
  for (const list of units.values()) for (const u of list) byKey.set(u.key, u);
  const scope = readScope(actor, plan);
  const scores = monthScores(rule.rule, month, facts, now)
    .filter((s) => scope === 'all' || coversUnit(actor, 'key_task.read', byKey.get(s.unitKey)!))
    .map((s) => {
      const u = byKey.get(s.unitKey)!;
      return { unit: { key: u.key, kind: u.kind, id: u.id, code: u.code, name: u.name }, score: s.score, lines: s.lines, reason: traceText(plan.name, month.code, rule, s) };
    })
    .sort((a, b) => a.unit.code.localeCompare(b.unit.code));
  return { plan: { id: Number(plan.id), code: plan.code, name: plan.name }, month: month.code, asOf: new Date(now).toISOString(), rule: { code: rule.code, version: rule.version, name: rule.name }, units: scores };
}
export type PlanMonthScores = Awaited<ReturnType<typeof planMonthScores>>;

const signed = (x: number) => (x > 0 ? `+${x}` : `${x}`);

/** The trace as one line of text, the reason of the evaluation entry (at most 1000 characters). */
export function traceText(planName: string, month: string, rule: { code: string; version: number }, s: UnitScore): string {
  const head = `重点任务「${planName}」${month} 专项工作 ${s.score} 分（评分细则 ${rule.code} 第${rule.version}版）：`;
  const parts = s.lines.map((l) => {
    if (l.event === 'base') return `基础分 ${l.points}`;
    if (l.event === 'bonus_cap') return `${signed(l.points)} 加分封顶`;
    if (l.event === 'range') return `${signed(l.points)} 分值上下限`;
    return `${signed(l.points)} ${SCORE_EVENTS[l.event].zh} ${l.label}（${UNIT_ROLES[l.role!].zh}${l.date ? `，到期 ${l.date}` : ''}）`;
  });
  let text = head + parts.join('；');
  for (let keep = parts.length - 1; text.length > REASON_MAX && keep > 0; keep--) {
    text = `${head}${parts.slice(0, keep).join('；')}；等共 ${parts.length} 项，详见重点任务得分溯源`;
  }
  return text.slice(0, REASON_MAX);
}

/**
 * Writes the month's scores of the plan's units that the run evaluates (territory units, children of the scheme's
 * node) as the entered component `componentCode`, with the trace as the reason, and recomputes the draft once.
 * Refused (409) unless the run is a draft; units the run does not evaluate, or without a score, are listed as skipped.
 */
export async function transferScores(db: Kysely<Database>, actor: Actor, planId: number, input: { runId: number; month: string; componentCode?: string }, now: number) {
  const plan = await requirePlan(db, planId);
  assertManagesPlan(actor, plan);
  const componentCode = input.componentCode ?? 'special_tasks';
  const scores = await planMonthScores(db, actor, planId, input.month, now);
  return db.transaction().execute(async (trx) => {
    const run = await loadRun(trx, input.runId);
    const scheme = await schemeById(trx, run.scheme_id);
    const parent = await trx.selectFrom('territory_nodes').select(['id', 'path']).where('id', '=', scheme.parentNodeId).executeTakeFirstOrThrow();
    assertManages(actor, parent.path);
    if (run.state !== 'draft') throw new HttpError(409, 'invalid_state', `run ${run.id} is ${run.state}: scores are transferred into a draft only (correct a published result as a new version)`);
    const issues = [];
    if (run.period_code !== scores.month) issues.push({ field: 'month', message: `run ${run.id} is for ${run.period_code}, not ${scores.month}` });
    issues.push(...entryIssues(scheme.definition, componentCode, 100).map((i) => ({ ...i, field: i.field === 'code' ? 'componentCode' : i.field })));
    if (issues.length) throw new ValidationError(issues);
    const evaluated = new Map((await trx.selectFrom('territory_nodes').select(['id', 'code', 'name']).where('parent_id', '=', parent.id).execute()).map((n) => [Number(n.id), n]));
    const written: { unitCode: string; value: number; reason: string }[] = [];
    const skipped: { unitCode: string; unitName: string; why: string }[] = [];
    for (const s of scores.units) {
      if (s.unit.kind !== 'territory' || !evaluated.has(s.unit.id)) { skipped.push({ unitCode: s.unit.code, unitName: s.unit.name, why: `not a unit evaluated by ${run.scheme_code}` }); continue; }
      await trx.insertInto('evaluation_entries').values({ run_id: run.id, unit_node_id: s.unit.id, code: componentCode, value: s.score, reason: s.reason, entered_at: now, entered_by: userId(actor) })
        .onConflict((oc) => oc.columns(['run_id', 'unit_node_id', 'code']).doUpdateSet({ value: s.score, reason: s.reason, entered_at: now, entered_by: userId(actor) })).execute();
      written.push({ unitCode: s.unit.code, value: s.score, reason: s.reason });
    }
    const scored = new Set(scores.units.map((s) => s.unit.id));
    for (const [id, n] of evaluated) if (!scored.has(id)) skipped.push({ unitCode: n.code, unitName: n.name, why: 'no milestone due and no review in the month: enter its score by hand' });
    if (written.length === 0) throw new HttpError(409, 'nothing_to_transfer', `no unit of the plan scored in ${scores.month} is evaluated by ${run.scheme_code}`);
    await recordAudit(trx, actor, 'key_task.transfer', { type: 'evaluation_run', ref: run.id }, { planId, month: scores.month, componentCode, rule: scores.rule, written: written.map(({ unitCode, value }) => ({ unitCode, value })) }, now);
    await computeResults(trx, run, 'preliminary', now);
    return { runId: Number(run.id), month: scores.month, componentCode, rule: scores.rule, written, skipped };
  });
}
