// Turns the domain's clocks into the columns stored on a case: the current stage's due and warning
// instants, and the handling clock's. Stored so that "overdue now" is `due < now` on an index.
import { computeDeadline, DEFAULT_TRAFFIC_LIGHT, type Pause } from '@cityops/domain/calendar/deadlines';
import { isTimeLimitUnit, type TimeLimit } from '@cityops/domain/calendar/time-limits';
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import { clockDeadlines, type HandlingClock } from '@cityops/domain/workflow/handling-clock';
import { DEFAULT_STAGE_LIMITS, isTimedStage, type TimedStage } from '@cityops/domain/workflow/stage-limits';
import type { Executor } from '../db/database.ts';
import type { CaseTable } from '../db/schema-cases.ts';

export type StageLimits = Record<TimedStage, TimeLimit>;

/** Instants are stored as whole milliseconds (bigint); a fractional limit (0.8 × 7 min) must not break that. */
const wholeMs = (ms: number | null) => (ms === null ? null : Math.ceil(ms));

/** The city's stage limits: stored rows over the spec's defaults. */
export async function loadStageLimits(db: Executor): Promise<StageLimits> {
  const limits: StageLimits = { ...DEFAULT_STAGE_LIMITS };
  for (const row of await db.selectFrom('stage_time_limits').selectAll().execute()) {
    if (isTimedStage(row.stage) && isTimeLimitUnit(row.limit_unit)) limits[row.stage] = { value: row.limit_value, unit: row.limit_unit };
  }
  return limits;
}

export interface StageColumns {
  stage: string | null;
  stage_started_at: number | null;
  stage_due_at: number | null;
  stage_warn_at: number | null;
}

/**
 * The stage clock for a case entering `state` at `nowMs`. The handling stage mirrors the handling
 * clock (its due moves with extensions and pauses); terminal and suspended states run no clock.
 */
export function stageColumns(calendar: WorkCalendar, state: CaseState, nowMs: number, limits: StageLimits, handling: HandlingColumns): StageColumns {
  const stage = CASE_STATES[state].stage;
  if (stage === null) return { stage: null, stage_started_at: null, stage_due_at: null, stage_warn_at: null };
  if (stage === 'handle') return { stage, stage_started_at: nowMs, stage_due_at: handling.handling_due_at, stage_warn_at: handling.handling_warn_at };
  const limit = limits[stage];
  const due = wholeMs(computeDeadline(calendar, nowMs, limit).dueAtMs);
  const warn = wholeMs(computeDeadline(calendar, nowMs, { value: limit.value * DEFAULT_TRAFFIC_LIGHT.yellowFrom, unit: limit.unit }).dueAtMs);
  return { stage, stage_started_at: nowMs, stage_due_at: due, stage_warn_at: warn };
}

export type HandlingColumns = Pick<CaseTable,
  'handling_started_at' | 'handling_limit_value' | 'handling_limit_unit' | 'handling_due_at' | 'handling_warn_at' | 'handling_stopped_at'> & {
  handling_round_extensions: number;
  handling_pauses: string;
};

export function handlingClockOf(row: {
  limit_value: number; limit_unit: string; handling_started_at: number | null; handling_round_extensions: number; handling_pauses: string; handling_stopped_at: number | null;
}): HandlingClock {
  if (!isTimeLimitUnit(row.limit_unit)) throw new RangeError(`case has an unknown limit unit ${row.limit_unit}`);
  return {
    startedAtMs: row.handling_started_at,
    baseLimit: { value: row.limit_value, unit: row.limit_unit },
    roundExtensions: row.handling_round_extensions,
    pauses: JSON.parse(row.handling_pauses) as Pause[],
    stoppedAtMs: row.handling_stopped_at,
  };
}

export function handlingColumns(calendar: WorkCalendar, clock: HandlingClock, maxExtensions: number): HandlingColumns {
  const d = clockDeadlines(calendar, clock, maxExtensions);
  const started = clock.startedAtMs !== null;
  return {
    handling_started_at: clock.startedAtMs,
    handling_round_extensions: clock.roundExtensions,
    handling_pauses: JSON.stringify(clock.pauses),
    handling_limit_value: started ? d.limit.value : null,
    handling_limit_unit: started ? d.limit.unit : null,
    handling_due_at: wholeMs(d.dueAtMs),
    handling_warn_at: wholeMs(d.warnAtMs),
    handling_stopped_at: clock.stoppedAtMs,
  };
}

export type Light = 'green' | 'yellow' | 'red';

/** Traffic light from the stored instants (same thresholds as the domain, no calendar needed). */
export function lightAt(dueAt: number | null, warnAt: number | null, nowMs: number): Light | null {
  if (dueAt === null) return null;
  if (nowMs > dueAt) return 'red';
  if (warnAt !== null && nowMs >= warnAt) return 'yellow';
  return 'green';
}
