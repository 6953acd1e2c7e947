// Evaluation runs (考评结果) through their life (domain/src/evaluation/lifecycle.ts): opened as a draft
// for a scheme and month, recomputed while the office enters scores and adjustments, issued to the units
// (the appeal window opens), finalized once every appeal is ruled and the window has closed, published.
// Published results never change: a correction is a new version that replaces the old one when it is
// published. Every step is an event with who, when and why, in the transaction of the change.
import type { Actor } from '@cityops/domain/access/scope';
import { grantsFor, territoryScopeOf } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { RESULT_ACTIONS, isResultAction, type ResultActionName } from '@cityops/domain/evaluation/lifecycle';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { schemeById, schemeForMonth } from './definitions.service.ts';
import { computeResults, type RunRef } from './run-compute.ts';
import { sealPublishedRun } from '../integrity/seal.service.ts';

const DAY_MS = 86_400_000;
const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

export async function loadRun(db: Executor, runId: number) {
  const run = await db.selectFrom('evaluation_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) throw notFound(`evaluation run ${runId}`);
  return run;
}

export type RunRow = Awaited<ReturnType<typeof loadRun>>;

/** The scheme's parent node, against which the office's scope is checked. */
async function parentOf(db: Executor, schemeId: number) {
  const scheme = await schemeById(db, schemeId);
  const parent = await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'path']).where('id', '=', scheme.parentNodeId).executeTakeFirstOrThrow();
  return { scheme, parent };
}

export function assertManages(actor: Actor, parentPath: string): void {
  if (!grantsFor(actor, 'evaluation.manage').some((g) => { const scope = territoryScopeOf(g); return scope !== null && parentPath.startsWith(scope); })) {
    throw forbidden('this evaluation is outside your scope');
  }
}

async function addEvent(db: Executor, runId: number, actor: Actor, action: string, from: string | null, to: string, reason: string | null, now: number): Promise<void> {
  await db.insertInto('evaluation_run_events').values({ run_id: runId, action, from_state: from, to_state: to, at: now, actor_id: userId(actor), actor_name: actor.name, reason }).execute();
  await recordAudit(db, actor, `evaluation_run.${action}`, { type: 'evaluation_run', ref: runId }, { from, to, reason }, now);
}

/** Opens version 1 of a month's run for the scheme's newest version, as a draft with its first results. */
export async function openRun(db: Kysely<Database>, actor: Actor, input: { schemeCode: string; period: string }, now: number) {
  const { scheme, periodCode: month, issues } = await schemeForMonth(db, input.schemeCode, input.period, 'a comprehensive evaluation is monthly (YYYY-MM); quarters and years are aggregated from the months');
  if (issues.length) throw new ValidationError(issues);
  const periodCode = month!;
  const { parent } = await parentOf(db, scheme!.id!);
  assertManages(actor, parent.path);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('evaluation_runs').select(['id', 'state']).where('scheme_code', '=', scheme!.code).where('period_code', '=', periodCode).executeTakeFirst();
    if (existing) throw new HttpError(409, 'run_exists', `${scheme!.code} ${periodCode} has a run already (${existing.id}); correct a published one instead`);
    const run = await trx.insertInto('evaluation_runs').values({
      scheme_id: scheme!.id!, scheme_code: scheme!.code, period_code: periodCode, version: 1, state: 'draft', supersedes_id: null, reason: null,
      appeal_deadline: null, created_at: now, created_by: userId(actor), published_at: null,
    }).returning(['id', 'scheme_id', 'scheme_code', 'period_code']).executeTakeFirstOrThrow();
    await computeResults(trx, run as RunRef, 'preliminary', now);
    await addEvent(trx, run.id, actor, 'open', null, 'draft', null, now);
    return run.id;
  });
}

/** Applies one action of the lifecycle table, under an optimistic check of the run's lock version. */
export async function actOnRun(db: Kysely<Database>, actor: Actor, runId: number, action: string, input: { reason?: string | null; expectedLock?: number | undefined }, now: number): Promise<number> {
  if (!isResultAction(action)) throw new ValidationError([{ field: 'action', message: `must be one of ${Object.keys(RESULT_ACTIONS).join(', ')}` }]);
  const rule = RESULT_ACTIONS[action as ResultActionName];
  return db.transaction().execute(async (trx) => {
    const run = await loadRun(trx, runId);
    const { scheme, parent } = await parentOf(trx, run.scheme_id);
    assertManages(actor, parent.path);
    if (!(rule.from as readonly string[]).includes(run.state)) throw new HttpError(409, 'invalid_state', `cannot ${action} a ${run.state} result (allowed from ${rule.from.join(', ')})`);
    if (input.expectedLock !== undefined && input.expectedLock !== run.lock_version) throw new HttpError(409, 'stale_version', `run ${runId} has changed; reload it`);
    const reason = input.reason?.trim() || null;
    for (const guard of rule.guards) {
      if (guard === 'reason_given' && !reason) throw new ValidationError([{ field: 'reason', message: `${rule.en} needs a reason` }]);
      if (guard === 'appeal_window_closed' && run.appeal_deadline !== null && now < Number(run.appeal_deadline)) {
        throw new HttpError(409, 'appeal_window_open', `units may appeal until ${new Date(Number(run.appeal_deadline)).toISOString()}`);
      }
      if (guard === 'no_pending_appeals') {
        const pending = await trx.selectFrom('evaluation_appeals').select('id').where('run_id', '=', runId).where('outcome', 'is', null).execute();
        if (pending.length) throw new HttpError(409, 'appeals_pending', `${pending.length} appeal(s) still to rule: ${pending.map((p) => p.id).join(', ')}`);
      }
    }
    const lock = await trx.updateTable('evaluation_runs').set((eb) => ({ lock_version: eb('lock_version', '+', 1) })).where('id', '=', runId).where('lock_version', '=', run.lock_version).executeTakeFirst();
    if (Number(lock.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', `run ${runId} was changed by someone else at the same time`);
    const ref: RunRef = run;
    if (action === 'recompute') await computeResults(trx, ref, 'preliminary', now);
    if (action === 'issue') {
      await computeResults(trx, ref, 'preliminary', now);
      await trx.updateTable('evaluation_runs').set({ state: 'preliminary', appeal_deadline: now + scheme.definition.appealDays * DAY_MS }).where('id', '=', runId).execute();
    }
    if (action === 'finalize') {
      await computeResults(trx, ref, 'final', now);
      await trx.updateTable('evaluation_runs').set({ state: 'final' }).where('id', '=', runId).execute();
    }
    if (action === 'publish') {
      await trx.updateTable('evaluation_runs').set({ state: 'published', published_at: now }).where('id', '=', runId).execute();
      // Sealed in the integrity ledger with the publication, before this transaction writes an audit row (decision 0017).
      await sealPublishedRun(trx, runId, now);
      if (run.supersedes_id !== null) {
        await trx.updateTable('evaluation_runs').set({ state: 'superseded' }).where('id', '=', run.supersedes_id).execute();
        await addEvent(trx, run.supersedes_id, actor, 'superseded', 'published', 'superseded', `replaced by version ${run.version} (run ${runId})`, now);
      }
    }
    let resultId = runId;
    if (action === 'correct') resultId = await openCorrection(trx, actor, run, reason!, now);
    await addEvent(trx, runId, actor, action, run.state, action === 'correct' ? run.state : rule.to, reason, now);
    return resultId;
  });
}

/** A correction of a published result: the next version, a draft with the old one's entries, naming what it replaces and why. */
async function openCorrection(trx: Executor, actor: Actor, run: RunRow, reason: string, now: number): Promise<number> {
  const pending = await trx.selectFrom('evaluation_runs').select('id').where('supersedes_id', '=', run.id).where('state', 'in', ['draft', 'preliminary', 'final']).executeTakeFirst();
  if (pending) throw new HttpError(409, 'correction_open', `a correction of run ${run.id} is under way already (run ${pending.id})`);
  const last = await trx.selectFrom('evaluation_runs').select((eb) => eb.fn.max('version').as('v')).where('scheme_code', '=', run.scheme_code).where('period_code', '=', run.period_code).executeTakeFirst();
  const next = await trx.insertInto('evaluation_runs').values({
    scheme_id: run.scheme_id, scheme_code: run.scheme_code, period_code: run.period_code, version: Number(last?.v ?? run.version) + 1, state: 'draft',
    supersedes_id: run.id, reason, appeal_deadline: null, created_at: now, created_by: userId(actor), published_at: null,
  }).returning(['id', 'scheme_id', 'scheme_code', 'period_code']).executeTakeFirstOrThrow();
  const entries = await trx.selectFrom('evaluation_entries').selectAll().where('run_id', '=', run.id).execute();
  if (entries.length) await trx.insertInto('evaluation_entries').values(entries.map(({ id: _id, run_id: _run, ...e }) => ({ ...e, run_id: next.id }))).execute();
  await computeResults(trx, next as RunRef, 'preliminary', now);
  await addEvent(trx, next.id, actor, 'open', null, 'draft', `correction of version ${run.version}: ${reason}`, now);
  return next.id;
}

/** Sets the office's entered score (0–100) of a component, or the points of a bonus or penalty item, for one unit of a draft run. */
export async function setEntry(db: Kysely<Database>, actor: Actor, runId: number, input: { unitCode: string; code: string; value: number; reason: string }, now: number) {
  return db.transaction().execute(async (trx) => {
    const run = await loadRun(trx, runId);
    const { scheme, parent } = await parentOf(trx, run.scheme_id);
    assertManages(actor, parent.path);
    if (run.state !== 'draft') throw new HttpError(409, 'invalid_state', `entries change only while the result is a draft (it is ${run.state}); after issue, a unit's appeal is the way`);
    const issues: FieldIssue[] = [];
    const unit = await trx.selectFrom('territory_nodes').select(['id', 'code']).where('code', '=', input.unitCode).where('parent_id', '=', scheme.parentNodeId).executeTakeFirst();
    if (!unit) issues.push({ field: 'unitCode', message: `${input.unitCode} is not a unit of this evaluation` });
    issues.push(...entryIssues(scheme.definition, input.code, input.value));
    if (!input.reason?.trim()) issues.push({ field: 'reason', message: 'is required: every entered point has its reason' });
    if (issues.length) throw new ValidationError(issues);
    await trx.insertInto('evaluation_entries').values({ run_id: runId, unit_node_id: unit!.id, code: input.code, value: input.value, reason: input.reason.trim(), entered_at: now, entered_by: userId(actor) })
      .onConflict((oc) => oc.columns(['run_id', 'unit_node_id', 'code']).doUpdateSet({ value: input.value, reason: input.reason.trim(), entered_at: now, entered_by: userId(actor) })).execute();
    await recordAudit(trx, actor, 'evaluation_entry.set', { type: 'evaluation_run', ref: runId }, input, now);
    await computeResults(trx, run, 'preliminary', now);
  });
}

export function entryIssues(scheme: { components: { code: string; kind: string }[]; adjustments: { code: string; cap: number }[] }, code: string, value: number): FieldIssue[] {
  const component = scheme.components.find((c) => c.code === code);
  const adjustment = scheme.adjustments.find((a) => a.code === code);
  if (component) {
    if (component.kind !== 'entered') return [{ field: 'code', message: `${code} is computed, not entered` }];
    return Number.isFinite(value) && value >= 0 && value <= 100 ? [] : [{ field: 'value', message: 'an entered score is from 0 to 100' }];
  }
  if (adjustment) return Number.isFinite(value) && value >= 0 && value <= 100 ? [] : [{ field: 'value', message: `points are a number from 0 (the item caps them at ${adjustment.cap})` }];
  return [{ field: 'code', message: `no entered component or bonus/penalty item ${code} in the scheme` }];
}

