// Deadlines (时限计算): the clock of the limit's unit runs from the start instant, stops during each
// suspension (挂账), and the deadline is where it has run for the whole limit. Extensions (延期) and
// traffic lights (红黄绿灯) are policy data. Pure: `now` is always passed in.
import { timeLimitUnitRow, type TimeLimit, type TimeLimitUnit } from './time-limits.ts';
import type { WorkCalendar } from './work-calendar.ts';

/** A suspension of the clock (挂账). toMs null = still suspended. */
export interface Pause {
  fromMs: number;
  toMs: number | null;
}

export interface Deadline {
  /** null while an open pause holds the clock before the limit is used up. */
  dueAtMs: number | null;
}

const NO_PAUSES: readonly Pause[] = Object.freeze([]);

/** Length of a limit on its own clock, in whole ms (working_days uses the calendar's workingDayMs). */
export function limitToMs(calendar: WorkCalendar, limit: TimeLimit): number {
  const row = timeLimitUnitRow(limit.unit);
  const value = limit.value;
  if (!(value > 0 && value < Infinity)) throw new RangeError(`time limit value must be a finite number > 0, got ${value}`);
  return Math.round(value * (row.msPerUnit === 'workday' ? calendar.workingDayMs : row.msPerUnit));
}

/** Pauses ordered by start; copies only when the caller's list is out of order. Rejects malformed pauses. */
function orderedPauses(pauses: readonly Pause[]): readonly Pause[] {
  let sorted = true;
  for (let i = 0; i < pauses.length; i++) {
    const p = pauses[i] as Pause;
    if (!Number.isFinite(p.fromMs) || (p.toMs !== null && !(p.toMs >= p.fromMs))) {
      throw new RangeError(`pauses[${i}] must have a finite fromMs and toMs null or >= fromMs`);
    }
    if (i > 0 && p.fromMs < (pauses[i - 1] as Pause).fromMs) sorted = false;
  }
  return sorted ? pauses : [...pauses].sort((a, b) => a.fromMs - b.fromMs);
}

function runningMs(calendar: WorkCalendar, working: boolean, a: number, b: number): number {
  return working ? calendar.workingMsBetween(a, b) : b - a;
}

/**
 * Earliest instant at which the limit's clock, started at startMs and stopped during the pauses,
 * has run for the whole limit. Pauses may be unsorted, may start before startMs, and overlapping
 * pauses count once. Working clocks throw CalendarRangeError past the loaded years.
 */
export function computeDeadline(
  calendar: WorkCalendar,
  startMs: number,
  limit: TimeLimit,
  pauses: readonly Pause[] = NO_PAUSES,
): Deadline {
  const working = timeLimitUnitRow(limit.unit).clock === 'working';
  let remaining = limitToMs(calendar, limit);
  let cursor = startMs;
  const ordered = pauses.length === 0 ? pauses : orderedPauses(pauses);
  for (let i = 0; i < ordered.length; i++) {
    const p = ordered[i] as Pause;
    if (p.toMs !== null && p.toMs <= cursor) continue;
    const pauseFrom = p.fromMs > cursor ? p.fromMs : cursor;
    const available = runningMs(calendar, working, cursor, pauseFrom);
    if (available >= remaining) break; // due before (or exactly when) this pause begins
    remaining -= available;
    if (p.toMs === null) return { dueAtMs: null };
    cursor = p.toMs;
  }
  return { dueAtMs: working ? calendar.addWorkingMs(cursor, remaining) : cursor + remaining };
}

/** Time the unit's clock runs in [a, b] outside the pauses; negative when b < a. */
export function clockMsBetween(
  calendar: WorkCalendar,
  unit: TimeLimitUnit,
  a: number,
  b: number,
  pauses: readonly Pause[] = NO_PAUSES,
): number {
  if (b < a) return -clockMsBetween(calendar, unit, b, a, pauses);
  const working = timeLimitUnitRow(unit).clock === 'working';
  const ordered = pauses.length === 0 ? pauses : orderedPauses(pauses);
  let total = 0;
  let cursor = a;
  for (let i = 0; i < ordered.length && cursor < b; i++) {
    const p = ordered[i] as Pause;
    if (p.fromMs >= b) break;
    if (p.toMs !== null && p.toMs <= cursor) continue;
    const pauseFrom = p.fromMs > cursor ? p.fromMs : cursor;
    total += runningMs(calendar, working, cursor, pauseFrom);
    cursor = p.toMs === null || p.toMs > b ? b : p.toMs;
  }
  if (cursor < b) total += runningMs(calendar, working, cursor, b);
  return total;
}

/** Share of the limit used at nowMs (0 before start; 1 = exactly due; > 1 overdue). */
export function elapsedFraction(
  calendar: WorkCalendar,
  startMs: number,
  limit: TimeLimit,
  pauses: readonly Pause[],
  nowMs: number,
): number {
  if (nowMs <= startMs) return 0;
  return clockMsBetween(calendar, limit.unit, startMs, nowMs, pauses) / limitToMs(calendar, limit);
}

export type TrafficLight = 'green' | 'yellow' | 'red';

export interface TrafficLightThresholds {
  /** Yellow from this fraction of the limit (inclusive). */
  yellowFrom: number;
  /** Red (超时) strictly above this fraction. */
  redAbove: number;
}

/** Green below 80 %, yellow 80 %–100 % inclusive, red above 100 % (PRODUCT.md §4). */
export const DEFAULT_TRAFFIC_LIGHT: Readonly<TrafficLightThresholds> = Object.freeze({ yellowFrom: 0.8, redAbove: 1 });

export function trafficLight(fraction: number, thresholds: TrafficLightThresholds = DEFAULT_TRAFFIC_LIGHT): TrafficLight {
  if (Number.isNaN(fraction)) throw new RangeError('elapsed fraction is NaN');
  if (fraction > thresholds.redAbove) return 'red';
  if (fraction >= thresholds.yellowFrom) return 'yellow';
  return 'green';
}

export interface ExtensionPolicy {
  /** Each approved extension adds multiplier × the original limit (default 1 = doubles it). */
  multiplier: number;
  /** At most this many approved extensions per limit. */
  maxExtensions: number;
}

export const DEFAULT_EXTENSION_POLICY: Readonly<ExtensionPolicy> = Object.freeze({ multiplier: 1, maxExtensions: 2 });

export type ExtendLimitResult =
  | { ok: true; limit: TimeLimit }
  | { ok: false; error: { code: 'extension_limit_exceeded' | 'invalid_extension'; field: string; message: string } };

/**
 * The limit after `approvedExtensions` approved extensions (延期): value × (1 + multiplier × n),
 * same unit, so the extended deadline is recomputed from the original start with the same pauses.
 * Values are rounded to 6 decimals to drop binary float noise.
 */
export function extendLimit(
  limit: TimeLimit,
  approvedExtensions: number,
  policy: ExtensionPolicy = DEFAULT_EXTENSION_POLICY,
): ExtendLimitResult {
  if (!Number.isInteger(approvedExtensions) || approvedExtensions < 0) {
    return { ok: false, error: { code: 'invalid_extension', field: 'approvedExtensions', message: 'approvedExtensions must be an integer >= 0' } };
  }
  if (!(policy.multiplier > 0 && policy.multiplier < Infinity)) {
    return { ok: false, error: { code: 'invalid_extension', field: 'policy.multiplier', message: 'multiplier must be a finite number > 0' } };
  }
  if (!Number.isInteger(policy.maxExtensions) || policy.maxExtensions < 0) {
    return { ok: false, error: { code: 'invalid_extension', field: 'policy.maxExtensions', message: 'maxExtensions must be an integer >= 0' } };
  }
  if (approvedExtensions > policy.maxExtensions) {
    return {
      ok: false,
      error: {
        code: 'extension_limit_exceeded',
        field: 'approvedExtensions',
        message: `at most ${policy.maxExtensions} extensions (延期) are allowed, got ${approvedExtensions}`,
      },
    };
  }
  const value = Math.round(limit.value * (1 + policy.multiplier * approvedExtensions) * 1e6) / 1e6;
  return { ok: true, limit: { value, unit: limit.unit } };
}
