// What one workflow action does to one case, computed without I/O: decide by the table, move the
// clocks, stamp the milestones, count, and describe the event. The live API (case-transitions.ts) and
// the history replay (history/) both apply exactly this plan, so an imported case obeys the same rules.
import type { Role } from '@cityops/domain/access/roles';
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { ValidationError } from '@cityops/domain/errors';
import { CASE_STATES, isCaseState, type CaseState } from '@cityops/domain/workflow/case-states';
import { isCaseSource } from '@cityops/domain/workflow/case-sources';
import { decide, type ActionInput, type CaseSnapshot, type DecisionError, type WorkflowPolicy } from '@cityops/domain/workflow/decide';
import { applyClockEffect } from '@cityops/domain/workflow/handling-clock';
import type { Application, TransitionRow } from '@cityops/domain/workflow/transitions';
import type { Selectable, Updateable } from 'kysely';
import type { CaseTable } from '../db/schema-cases.ts';
import { HttpError } from '../http/errors.ts';
import { handlingClockOf, handlingColumns, stageColumns, type StageLimits } from './case-clock.ts';
import { planRound, type RoundPlan } from './case-rounds.ts';

export interface WorkflowDeps {
  calendar: WorkCalendar;
  stageLimits: StageLimits;
  policy: WorkflowPolicy;
}

export type CaseRecord = Selectable<CaseTable>;

export interface PlannedEvent {
  action: string;
  fromState: string;
  toState: CaseState;
  role: Role;
  departmentId: number | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  /** For a step that ends a timed stage: 1 within its deadline, 0 late; null otherwise. */
  onTime: 0 | 1 | null;
}

export interface TransitionPlan {
  rule: TransitionRow;
  to: CaseState;
  role: Role;
  /** Columns to write, including the next version. */
  changes: Updateable<CaseTable>;
  event: PlannedEvent;
  /** The handling round (处置轮次) the step opens, moves or ends. */
  round: RoundPlan;
}

export function snapshotOf(row: Pick<CaseRecord, 'id' | 'state' | 'source' | 'application' | 'extensions_count' | 'satisfaction'>): CaseSnapshot {
  if (!isCaseState(row.state) || !isCaseSource(row.source)) throw new RangeError(`case ${row.id} has state ${row.state} / source ${row.source} unknown to the workflow`);
  return { state: row.state, source: row.source, application: row.application as Application | null, extensions: row.extensions_count, satisfaction: row.satisfaction as CaseSnapshot['satisfaction'] };
}

const DECISION_STATUS: Record<DecisionError['code'], number> = { unknown_action: 400, forbidden: 403, invalid_state: 409, precondition_failed: 409, invalid_input: 400 };

export function decisionError(error: DecisionError): Error {
  if (error.code === 'invalid_input') return new ValidationError([{ field: error.field, message: error.message }]);
  if (error.code === 'unknown_action') return new HttpError(400, error.code, error.message, [{ field: 'action', message: 'unknown' }]);
  return new HttpError(DECISION_STATUS[error.code], error.code, error.message);
}

/** What each action stamps on the case besides its state (first dispatch, feedback, closing …). */
function stamps(action: string, to: CaseState, now: number, row: CaseRecord): Updateable<CaseTable> {
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

/**
 * Whether a step that leaves a timed stage did so within its deadline: the stage clock, or for the
 * handling stage whether the round is still clear of its deadline (a late extension does not help).
 */
function stageOnTime(row: CaseRecord, to: CaseState, now: number, round: RoundPlan): 0 | 1 | null {
  if (to === row.state) return null;
  const stage = CASE_STATES[row.state as CaseState]?.stage ?? null;
  if (stage === null) return null;
  if (stage === 'handle') {
    const overdueAt = round.caseChanges.handling_overdue_at !== undefined ? round.caseChanges.handling_overdue_at : row.handling_overdue_at;
    const dueAt = row.handling_due_at;
    return overdueAt === null && (dueAt === null || now <= dueAt) ? 1 : 0;
  }
  return row.stage_due_at === null ? null : now <= row.stage_due_at ? 1 : 0;
}

/**
 * Plans `action` on `row` at `now` for an actor whose roles covering the case are `roles`. Throws the
 * error the API answers with (403 forbidden, 409 invalid_state / precondition_failed / clock_conflict,
 * 400 naming the field). References to other records (the dispatch target, the merge target) are the
 * caller's to check.
 */
export function planTransition(
  row: CaseRecord,
  roles: readonly Role[],
  action: string,
  input: ActionInput & { note?: string | null },
  now: number,
  deps: WorkflowDeps,
  actorId: number | null = null,
): TransitionPlan {
  const decision = decide(snapshotOf(row), action, input, roles, deps.policy);
  if (!decision.ok) throw decisionError(decision.error);
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
  // Extensions move the handling deadline, and with it the handling stage's; the sign stage keeps its own clock.
  else if (CASE_STATES[to].stage === 'handle') Object.assign(changes, { stage_due_at: handling.handling_due_at, stage_warn_at: handling.handling_warn_at });
  if (rule.application !== undefined) changes.application = rule.application;
  if (rule.count) changes[`${rule.count}_count`] = row[`${rule.count}_count`] + 1;
  if (rule.department === 'set') changes.department_id = input.departmentId ?? null;
  if (rule.department === 'clear') changes.department_id = null;
  if (action === 'rate') Object.assign(changes, { satisfaction: input.satisfaction ?? null, rated_at: now });
  if (action === 'merge') changes.merged_into_id = input.mergeTargetId ?? null;

  const departmentAfter = rule.department === 'set' ? (input.departmentId ?? null) : rule.department === 'clear' ? null : row.department_id;
  const round = planRound(row, rule.clock, now, handling, actorId, departmentAfter);
  Object.assign(changes, round.caseChanges);

  const data: Record<string, unknown> = {};
  if (rule.clock) Object.assign(data, { handlingDueAt: handling.handling_due_at, handlingLimit: handling.handling_limit_value !== null ? { value: handling.handling_limit_value, unit: handling.handling_limit_unit } : null });
  if (action === 'rate') data.satisfaction = input.satisfaction;
  if (action === 'merge') data.mergeTargetId = input.mergeTargetId;
  if (input.note) data.note = input.note;
  return {
    rule, to, role, changes,
    event: {
      action, fromState: row.state, toState: to, role,
      departmentId: rule.department === 'set' ? (input.departmentId ?? null) : row.department_id,
      reason: input.reason?.trim() || null, data: Object.keys(data).length ? data : null,
      onTime: stageOnTime(row, to, now, round),
    },
    round,
  };
}
