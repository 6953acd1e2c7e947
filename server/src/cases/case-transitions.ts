// Applies one workflow action to one case, in one transaction: decide by the table, move the
// clocks, write the new state under an optimistic version check, append the event, claim the photos.
import type { Actor } from '@cityops/domain/access/scope';
import type { Role } from '@cityops/domain/access/roles';
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { ValidationError } from '@cityops/domain/errors';
import { CASE_STATES, isCaseState, type CaseState } from '@cityops/domain/workflow/case-states';
import { isCaseSource } from '@cityops/domain/workflow/case-sources';
import { decide, type ActionInput, type CaseSnapshot, type DecisionError, type WorkflowPolicy } from '@cityops/domain/workflow/decide';
import { applyClockEffect } from '@cityops/domain/workflow/handling-clock';
import type { Application } from '@cityops/domain/workflow/transitions';
import type { Updateable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { CaseTable } from '../db/schema-cases.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import { canReadCase, coveringRoles } from './case-access.ts';
import { handlingClockOf, handlingColumns, stageColumns, type StageLimits } from './case-clock.ts';
import { appendCaseEvent } from './case-events.ts';

export interface WorkflowDeps {
  calendar: WorkCalendar;
  stageLimits: StageLimits;
  policy: WorkflowPolicy;
}

export interface ActionRequest extends ActionInput {
  attachmentIds?: number[];
  note?: string | null;
  expectedVersion?: number;
}

export type CaseRow = Awaited<ReturnType<typeof loadCaseRow>>;

export async function loadCaseRow(db: Executor, caseId: number) {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

export function snapshotOf(row: NonNullable<CaseRow>): CaseSnapshot {
  if (!isCaseState(row.state) || !isCaseSource(row.source)) throw new RangeError(`case ${row.id} has state ${row.state} / source ${row.source} unknown to the workflow`);
  return { state: row.state, source: row.source, application: row.application as Application | null, extensions: row.extensions_count, satisfaction: row.satisfaction as CaseSnapshot['satisfaction'] };
}

const DECISION_STATUS: Record<DecisionError['code'], number> = { unknown_action: 400, forbidden: 403, invalid_state: 409, precondition_failed: 409, invalid_input: 400 };

function decisionError(error: DecisionError): Error {
  if (error.code === 'invalid_input') return new ValidationError([{ field: error.field, message: error.message }]);
  if (error.code === 'unknown_action') return new HttpError(400, error.code, error.message, [{ field: 'action', message: 'unknown' }]);
  return new HttpError(DECISION_STATUS[error.code], error.code, error.message);
}

/** Checks on other records that the table cannot see: the dispatch target and the merge target. */
async function checkReferences(db: Executor, actor: Actor, row: NonNullable<CaseRow>, action: string, input: ActionRequest): Promise<void> {
  if (action === 'dispatch' && input.departmentId) {
    const dept = await db.selectFrom('departments').select(['id', 'active']).where('id', '=', input.departmentId).executeTakeFirst();
    if (!dept || dept.active !== 1) throw new ValidationError([{ field: 'departmentId', message: `no active department ${input.departmentId}` }]);
  }
  if (action === 'merge' && input.mergeTargetId) {
    if (input.mergeTargetId === row.id) throw new ValidationError([{ field: 'mergeTargetId', message: 'a case cannot be merged into itself' }]);
    const target = await db.selectFrom('cases').select(['id', 'state', 'territory_path', 'department_id']).where('id', '=', input.mergeTargetId).executeTakeFirst();
    if (!target || !canReadCase(actor, { territoryPath: target.territory_path, departmentId: target.department_id })) {
      throw new ValidationError([{ field: 'mergeTargetId', message: `no case ${input.mergeTargetId} in your scope` }]);
    }
    if (!isCaseState(target.state) || CASE_STATES[target.state].terminal) {
      throw new ValidationError([{ field: 'mergeTargetId', message: `case ${input.mergeTargetId} is ${target.state}; merge into an open case` }]);
    }
  }
}

/** What each action stamps on the case besides its state (first dispatch, feedback, closing …). */
function stamps(action: string, to: CaseState, now: number, row: NonNullable<CaseRow>): Updateable<CaseTable> {
  const out: Updateable<CaseTable> = {};
  if (action === 'register') out.registered_at = now;
  if (action === 'dispatch') {
    out.dispatched_at = now;
    if (row.first_dispatched_at === null) out.first_dispatched_at = now;
  }
  if (action === 'feedback') out.handled_at = now;
  if (action === 'check_fail') out.handled_at = null;
  if (to === 'closed' && row.state !== 'closed') out.closed_at = now;
  if (CASE_STATES[to].terminal && !CASE_STATES[row.state as CaseState].terminal) out.ended_at = now;
  if (action === 'self_handle') out.self_handled = 1;
  return out;
}

export interface TransitionResult {
  caseId: number;
  action: string;
  fromState: string;
  toState: string;
  role: Role;
  eventSeq: number;
  version: number;
}

export async function applyTransition(
  trx: Executor,
  deps: WorkflowDeps,
  actor: Actor,
  caseId: number,
  action: string,
  input: ActionRequest,
  now: number,
): Promise<TransitionResult> {
  const row = await loadCaseRow(trx, caseId);
  const target = row ? { territoryPath: row.territory_path, departmentId: row.department_id } : null;
  const roles = target && row ? coveringRoles(actor, target) : [];
  if (!row || (!canReadCase(actor, target!) && roles.length === 0)) throw notFound(`case ${caseId}`);
  if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
    throw new HttpError(409, 'stale_version', `case ${row.code} has changed (version ${row.version}, you sent ${input.expectedVersion}); reload it and try again`);
  }
  const attachmentIds = input.attachmentIds ?? [];
  const decision = decide(snapshotOf(row), action, { ...input, attachmentCount: attachmentIds.length }, roles, deps.policy);
  if (!decision.ok) throw decisionError(decision.error);
  await checkReferences(trx, actor, row, action, input);
  const { row: rule, to, role } = decision;

  let clock = handlingClockOf(row);
  if (rule.clock) {
    try {
      clock = applyClockEffect(clock, rule.clock, now);
    } catch (error) {
      throw new HttpError(409, 'clock_conflict', (error as Error).message);
    }
  }
  const handling = handlingColumns(deps.calendar, clock, deps.policy.maxExtensions);
  const changes: Updateable<CaseTable> = { ...handling, ...stamps(action, to, now, row), updated_at: now, version: row.version + 1 };
  if (to !== row.state) Object.assign(changes, { state: to }, stageColumns(deps.calendar, to, now, deps.stageLimits, handling));
  else if (CASE_STATES[to].stage === 'handle' || CASE_STATES[to].stage === 'sign') {
    // Extensions move the handling deadline; the sign stage keeps its own clock.
    if (CASE_STATES[to].stage === 'handle') Object.assign(changes, { stage_due_at: handling.handling_due_at, stage_warn_at: handling.handling_warn_at });
  }
  if (rule.application !== undefined) changes.application = rule.application;
  if (rule.count) changes[`${rule.count}_count`] = row[`${rule.count}_count`] + 1;
  if (rule.department === 'set') changes.department_id = input.departmentId ?? null;
  if (rule.department === 'clear') changes.department_id = null;
  if (action === 'rate') changes.satisfaction = input.satisfaction ?? null;
  if (action === 'merge') changes.merged_into_id = input.mergeTargetId ?? null;

  const updated = await trx.updateTable('cases').set(changes).where('id', '=', caseId).where('version', '=', row.version).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new HttpError(409, 'conflict', `case ${row.code} was changed by someone else at the same time; reload it and try again`);
  }
  const data: Record<string, unknown> = {};
  if (rule.clock) Object.assign(data, { handlingDueAt: handling.handling_due_at, handlingLimit: handling.handling_limit_value !== null ? { value: handling.handling_limit_value, unit: handling.handling_limit_unit } : null });
  if (action === 'rate') data.satisfaction = input.satisfaction;
  if (action === 'merge') data.mergeTargetId = input.mergeTargetId;
  if (input.note) data.note = input.note;
  const event = await appendCaseEvent(trx, {
    caseId, action, fromState: row.state, toState: to, at: now, actor, role,
    departmentId: rule.department === 'set' ? (input.departmentId ?? null) : row.department_id,
    reason: input.reason?.trim() || null, data: Object.keys(data).length ? data : null,
  });
  if (attachmentIds.length) await claimAttachments(trx, actor, attachmentIds, caseId, event.id);
  return { caseId, action, fromState: row.state, toState: to, role, eventSeq: event.seq, version: row.version + 1 };
}
