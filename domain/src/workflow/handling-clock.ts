// The handling clock (处置时限) of a dispatched case: what each workflow effect does to it. Stored on
// the case as plain columns so that "overdue now" and "overdue at period end" are index range scans.
import { computeDeadline, DEFAULT_TRAFFIC_LIGHT, extendLimit, type Pause } from '../calendar/deadlines.ts';
import type { TimeLimit } from '../calendar/time-limits.ts';
import type { WorkCalendar } from '../calendar/work-calendar.ts';
import type { ClockEffect } from './transitions.ts';

export interface HandlingClock {
  /** When the current round started (dispatch, or the last rework). null before dispatch. */
  startedAtMs: number | null;
  /** The 立结案标准 limit of the case; each approved extension adds it once more. */
  baseLimit: TimeLimit;
  /** Extensions approved in the current round (they lengthen the current limit). */
  roundExtensions: number;
  pauses: Pause[];
  /** When the department reported back (处理反馈); ends the clock for this round. */
  stoppedAtMs: number | null;
}

export interface ClockDeadlines {
  /** null before dispatch or while a suspension holds the clock. */
  dueAtMs: number | null;
  /** When 80 % of the limit has run: the traffic light turns yellow. */
  warnAtMs: number | null;
  limit: TimeLimit;
}

export function initialClock(baseLimit: TimeLimit): HandlingClock {
  return { startedAtMs: null, baseLimit, roundExtensions: 0, pauses: [], stoppedAtMs: null };
}

/** The effect of one transition on the clock at `nowMs`. Pure; throws RangeError on an impossible effect. */
export function applyClockEffect(clock: HandlingClock, effect: ClockEffect, nowMs: number): HandlingClock {
  switch (effect) {
    case 'start':
    case 'restart':
      return { ...clock, startedAtMs: nowMs, roundExtensions: 0, pauses: [], stoppedAtMs: null };
    case 'clear':
      return initialClock(clock.baseLimit);
    case 'extend':
      return { ...clock, roundExtensions: clock.roundExtensions + 1 };
    case 'pause':
      if (clock.pauses.some((p) => p.toMs === null)) throw new RangeError('the clock is already paused');
      return { ...clock, pauses: [...clock.pauses, { fromMs: nowMs, toMs: null }] };
    case 'resume':
      if (!clock.pauses.some((p) => p.toMs === null)) throw new RangeError('the clock is not paused');
      return { ...clock, pauses: clock.pauses.map((p) => (p.toMs === null ? { fromMs: p.fromMs, toMs: nowMs } : p)) };
    case 'stop':
      return { ...clock, stoppedAtMs: nowMs };
  }
}

/** The current limit (base × (1 + extensions)) and the due and warning instants on the calendar. */
export function clockDeadlines(calendar: WorkCalendar, clock: HandlingClock, maxExtensions: number): ClockDeadlines {
  const extended = extendLimit(clock.baseLimit, clock.roundExtensions, { multiplier: 1, maxExtensions: Math.max(maxExtensions, clock.roundExtensions) });
  if (!extended.ok) throw new RangeError(extended.error.message);
  const limit = extended.limit;
  if (clock.startedAtMs === null) return { dueAtMs: null, warnAtMs: null, limit };
  const due = computeDeadline(calendar, clock.startedAtMs, limit, clock.pauses);
  const warnLimit: TimeLimit = { value: limit.value * DEFAULT_TRAFFIC_LIGHT.yellowFrom, unit: limit.unit };
  const warn = computeDeadline(calendar, clock.startedAtMs, warnLimit, clock.pauses);
  return { dueAtMs: due.dueAtMs, warnAtMs: warn.dueAtMs, limit };
}
