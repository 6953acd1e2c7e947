// The handling rounds (处置轮次) a transition opens, updates or ends, computed without I/O beside the
// transition plan. A round runs from a dispatch (or a rework) to the department's feedback (or an
// approved return). Its overdue instant is recorded by the first step taken after its deadline passed,
// so that an extension or a suspension approved late never turns an overdue round into an on-time one,
// and a report for a past period reads the same whenever it is run (docs/decisions/0008).
import type { ClockEffect } from '@cityops/domain/workflow/transitions';
import type { Insertable, Updateable } from 'kysely';
import type { CaseTable, HandlingRoundTable } from '../db/schema-cases.ts';
import type { CaseRecord } from './case-transition-plan.ts';
import type { HandlingColumns } from './case-clock.ts';

export interface RoundPlan {
  /** Changes to the current round (seq), applied before any new round opens. */
  update: { seq: number; changes: Updateable<HandlingRoundTable> } | null;
  open: Insertable<HandlingRoundTable> | null;
  /** Case columns that mirror the current round. */
  caseChanges: Pick<Updateable<CaseTable>, 'handling_round' | 'handling_overdue_at' | 'overdue_rounds'>;
}

/** Effects that end the round and those that keep it running but move its deadline. */
const ENDS: Partial<Record<ClockEffect, 'handled' | 'returned'>> = { stop: 'handled', clear: 'returned' };
const OPENS: readonly ClockEffect[] = ['start', 'restart'];

export function planRound(row: CaseRecord, effect: ClockEffect | undefined, now: number, handling: HandlingColumns, actorId: number | null, departmentId: number | null): RoundPlan {
  const plan: RoundPlan = { update: null, open: null, caseChanges: {} };
  if (!effect) return plan;
  const current = row.handling_round;
  // The step happens after the deadline of a running round: the round went overdue at that deadline.
  const running = current > 0 && row.handling_started_at !== null && row.handling_stopped_at === null;
  const lateNow = running && row.handling_overdue_at === null && row.handling_due_at !== null && now > row.handling_due_at;
  const overdueAt = lateNow ? row.handling_due_at : row.handling_overdue_at;
  if (lateNow) plan.caseChanges.overdue_rounds = row.overdue_rounds + 1;

  if (effect === 'restart') {
    // A failed check reopens the last round's work: the old round is marked reworked, a new one starts.
    plan.update = { seq: current, changes: { reworked_at: now } };
  } else if (running) {
    const changes: Updateable<HandlingRoundTable> = {};
    if (lateNow) changes.overdue_at = overdueAt;
    const end = ENDS[effect];
    if (end) Object.assign(changes, { ended_at: now, end_kind: end, ...(end === 'handled' ? { handled_at: now } : {}) });
    else changes.due_at = handling.handling_due_at;
    if (effect === 'extend') changes.extensions = row.handling_round_extensions + 1;
    plan.update = { seq: current, changes };
    plan.caseChanges.handling_overdue_at = overdueAt;
  }

  if (OPENS.includes(effect)) {
    if (departmentId === null) throw new RangeError(`case ${row.id}: a handling round needs a department`);
    plan.open = {
      case_id: row.id, seq: current + 1, kind: effect === 'restart' ? 'rework' : 'dispatch', department_id: departmentId, grid_id: row.grid_id, street_id: row.street_id, district_id: row.district_id,
      source: row.source, started_at: now, started_by: actorId, due_at: handling.handling_due_at, overdue_at: null, extensions: 0,
      handled_at: null, ended_at: null, end_kind: null, reworked_at: null, case_closed_at: null,
    };
    Object.assign(plan.caseChanges, { handling_round: current + 1, handling_overdue_at: null });
  }
  return plan;
}
