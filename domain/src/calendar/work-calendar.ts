// Compiled work calendar (工作日历): every working period of every loaded day as UTC instants, plus
// prefix sums of working time, so deadline queries are two binary searches with no allocation, no
// Date objects and no Intl. All time-zone work (Intl) happens once per day at compile time.
import {
  validateCalendarDefinition,
  type CalendarFieldError,
  type CalendarYear,
  type WorkCalendarDefinition,
} from './calendar-definition.ts';
import { daysFromCivil, formatIsoDate, MS_PER_DAY, MS_PER_MINUTE, parseHhMm, parseIsoDate, weekdayOfDays } from './civil-date.ts';
import { makeOffsetFn, noonOffset } from './zone-offset.ts';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface DayKindInfo {
  kind: DayKind;
  /** Holiday or 调休 name from the data ('春节', '春节调休上班'); absent for ordinary days. */
  name?: string;
}

export interface CalendarCoverage {
  firstYear: number;
  lastYear: number;
  /** Local midnight starting 1 January of firstYear. */
  fromMs: number;
  /** Local midnight starting 1 January of lastYear + 1 (exclusive end; the instant itself is allowed). */
  toMs: number;
}

export interface WorkingPeriod {
  startMs: number;
  endMs: number;
}

export interface WorkCalendar {
  readonly code: string;
  readonly name: string;
  readonly timezone: string;
  readonly years: readonly CalendarYear[];
  /** Working time in one full day of the timetable (8 h for 08:00–12:00 + 14:00–18:00). */
  readonly workingDayMs: number;
  readonly coverage: CalendarCoverage;
  isWorkday(date: string): boolean;
  dayKind(date: string): DayKindInfo;
  /** Working ms in [a, b]; negative when b < a. */
  workingMsBetween(a: number, b: number): number;
  /** Earliest instant t >= start with workingMsBetween(start, t) === ms (ms >= 0; 0 returns start). */
  addWorkingMs(start: number, ms: number): number;
  /** The local calendar date ('YYYY-MM-DD' in the calendar's time zone) of an instant. */
  localDate(instantMs: number): string;
  /** The working periods of one date as UTC instants (empty on days off). */
  workingPeriods(date: string): WorkingPeriod[];
}

/** Thrown whenever a computation needs a day outside the loaded years: we never guess. */
export class CalendarRangeError extends Error {
  readonly code: 'calendar_out_of_range' = 'calendar_out_of_range';
  readonly date: string;
  readonly calendarCode: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly loadedYears: readonly number[];

  constructor(date: string, calendarCode: string, firstYear: number, lastYear: number, detail: string) {
    super(
      `work calendar '${calendarCode}' has no data for ${date}: only ${firstYear}–${lastYear} are loaded` +
        ` (${detail}); load the holiday notice for ${date.slice(0, 4)} first`,
    );
    this.name = 'CalendarRangeError';
    this.date = date;
    this.calendarCode = calendarCode;
    this.firstYear = firstYear;
    this.lastYear = lastYear;
    this.loadedYears = Object.freeze(Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i));
  }
}

/** Thrown by compileWorkCalendar for a definition that fails validateCalendarDefinition. */
export class CalendarDefinitionError extends Error {
  readonly code: 'calendar_invalid' = 'calendar_invalid';
  readonly errors: readonly CalendarFieldError[];

  constructor(errors: readonly CalendarFieldError[]) {
    super(`invalid work calendar definition: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'CalendarDefinitionError';
    this.errors = errors;
  }
}

// Day kinds as small integers so the per-day table is a Uint8Array.
const KIND_WORKDAY = 0;
const KIND_WEEKEND = 1;
const KIND_HOLIDAY = 2;
const KIND_ADJUSTED = 3;
const KIND_NAMES: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'adjusted_workday'];

/** Validates, then precomputes every working period of the loaded years. Throws CalendarDefinitionError. */
export function compileWorkCalendar(def: WorkCalendarDefinition): WorkCalendar {
  const errors = validateCalendarDefinition(def);
  if (errors.length > 0) throw new CalendarDefinitionError(errors);
  return new CompiledWorkCalendar(def);
}

class CompiledWorkCalendar implements WorkCalendar {
  readonly code: string;
  readonly name: string;
  readonly timezone: string;
  readonly years: readonly CalendarYear[];
  readonly workingDayMs: number;
  readonly coverage: CalendarCoverage;

  private readonly firstCivilDay: number;
  private readonly dayCount: number;
  private readonly kinds: Uint8Array;
  private readonly names: Map<number, string>;
  /** dayStarts[i] = UTC instant of local midnight of day i; length dayCount + 1. */
  private readonly dayStarts: Float64Array;
  /** dayFirstPeriod[i] = index of the first period of day i; length dayCount + 1. */
  private readonly dayFirstPeriod: Int32Array;
  private readonly periodStarts: Float64Array;
  private readonly periodEnds: Float64Array;
  /** cumEnd[k] = working ms from coverage.fromMs up to the end of period k (prefix sum). */
  private readonly cumEnd: Float64Array;
  private readonly totalMs: number;
  private readonly offsetAt: (utcMs: number) => number;

  constructor(def: WorkCalendarDefinition) {
    this.code = def.code;
    this.name = def.name;
    this.timezone = def.timezone;
    this.years = Object.freeze(def.years.map((y) => Object.freeze({ ...y })));
    const firstYear = def.years[0]?.year ?? 0;
    const lastYear = def.years[def.years.length - 1]?.year ?? 0;
    this.firstCivilDay = daysFromCivil(firstYear, 1, 1);
    this.dayCount = daysFromCivil(lastYear + 1, 1, 1) - this.firstCivilDay;
    this.offsetAt = makeOffsetFn(def.timezone);

    const periods = def.timetable.map((p) => ({
      startMin: parseHhMm(p.start, false) ?? 0,
      endMin: parseHhMm(p.end, true) ?? 0,
    }));
    this.workingDayMs = periods.reduce((sum, p) => sum + (p.endMin - p.startMin) * MS_PER_MINUTE, 0);

    const weekend = new Set(def.weekendDays);
    this.kinds = new Uint8Array(this.dayCount);
    for (let i = 0; i < this.dayCount; i++) {
      this.kinds[i] = weekend.has(weekdayOfDays(this.firstCivilDay + i)) ? KIND_WEEKEND : KIND_WORKDAY;
    }
    this.names = new Map();
    for (const entry of def.days) {
      const i = (parseIsoDate(entry.date)?.days ?? 0) - this.firstCivilDay;
      this.kinds[i] = entry.kind === 'holiday' ? KIND_HOLIDAY : KIND_ADJUSTED;
      this.names.set(i, entry.name);
    }

    this.dayStarts = new Float64Array(this.dayCount + 1);
    this.dayFirstPeriod = new Int32Array(this.dayCount + 1);
    let workingDays = 0;
    for (let i = 0; i < this.dayCount; i++) if (this.isWorkingKind(i)) workingDays++;
    const periodCount = workingDays * periods.length;
    this.periodStarts = new Float64Array(periodCount);
    this.periodEnds = new Float64Array(periodCount);
    this.cumEnd = new Float64Array(periodCount);
    let k = 0;
    let cum = 0;
    for (let i = 0; i <= this.dayCount; i++) {
      const civil = this.firstCivilDay + i;
      const offset = noonOffset(this.offsetAt, civil);
      const wallMidnight = civil * MS_PER_DAY;
      this.dayStarts[i] = wallMidnight - offset;
      this.dayFirstPeriod[i] = k;
      if (i === this.dayCount || !this.isWorkingKind(i)) continue;
      for (const p of periods) {
        const start = wallMidnight + p.startMin * MS_PER_MINUTE - offset;
        const end = wallMidnight + p.endMin * MS_PER_MINUTE - offset;
        cum += end - start;
        this.periodStarts[k] = start;
        this.periodEnds[k] = end;
        this.cumEnd[k] = cum;
        k++;
      }
    }
    this.totalMs = cum;
    this.coverage = Object.freeze({
      firstYear,
      lastYear,
      fromMs: this.dayStarts[0] ?? 0,
      toMs: this.dayStarts[this.dayCount] ?? 0,
    });
  }

  isWorkday(date: string): boolean {
    return this.isWorkingKind(this.dayIndexOfDate(date));
  }

  dayKind(date: string): DayKindInfo {
    const i = this.dayIndexOfDate(date);
    const kind = KIND_NAMES[this.kinds[i] ?? KIND_WORKDAY] ?? 'workday';
    const name = this.names.get(i);
    return name === undefined ? { kind } : { kind, name };
  }

  workingMsBetween(a: number, b: number): number {
    return this.workingMsUntil(b) - this.workingMsUntil(a);
  }

  addWorkingMs(start: number, ms: number): number {
    if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`working ms to add must be a finite number >= 0, got ${ms}`);
    const target = this.workingMsUntil(start) + ms;
    if (ms === 0) return start;
    if (target > this.totalMs) {
      throw this.rangeError(formatIsoDate(this.firstCivilDay + this.dayCount), 'the result falls after the last loaded year');
    }
    // Smallest k with cumEnd[k] >= target: the period in which the running total reaches target.
    const cumEnd = this.cumEnd;
    let lo = 0;
    let hi = cumEnd.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumEnd[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return (this.periodEnds[lo] as number) - ((cumEnd[lo] as number) - target);
  }

  localDate(instantMs: number): string {
    this.checkInstant(instantMs);
    if (instantMs === this.coverage.toMs) return formatIsoDate(this.firstCivilDay + this.dayCount);
    const starts = this.dayStarts;
    let lo = 0;
    let hi = this.dayCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= instantMs) lo = mid;
      else hi = mid - 1;
    }
    return formatIsoDate(this.firstCivilDay + lo);
  }

  workingPeriods(date: string): WorkingPeriod[] {
    const i = this.dayIndexOfDate(date);
    const out: WorkingPeriod[] = [];
    const end = this.dayFirstPeriod[i + 1] as number;
    for (let k = this.dayFirstPeriod[i] as number; k < end; k++) {
      out.push({ startMs: this.periodStarts[k] as number, endMs: this.periodEnds[k] as number });
    }
    return out;
  }

  /** Working ms from coverage.fromMs to t: the prefix sum up to the last period starting at or before t. */
  private workingMsUntil(t: number): number {
    if (!(t >= this.coverage.fromMs && t <= this.coverage.toMs)) this.checkInstant(t);
    const starts = this.periodStarts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const end = this.periodEnds[lo - 1] as number;
    return (this.cumEnd[lo - 1] as number) - (t < end ? end - t : 0);
  }

  private isWorkingKind(dayIndex: number): boolean {
    const kind = this.kinds[dayIndex];
    return kind === KIND_WORKDAY || kind === KIND_ADJUSTED;
  }

  private dayIndexOfDate(date: string): number {
    const parsed = parseIsoDate(date);
    if (parsed === null) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
    const i = parsed.days - this.firstCivilDay;
    if (i < 0 || i >= this.dayCount) throw this.rangeError(date, 'date requested');
    return i;
  }

  /** Error path only (uses Intl to name the offending local date). */
  private checkInstant(t: number): void {
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new RangeError(`instant must be finite epoch ms, got ${t}`);
    if (t >= this.coverage.fromMs && t <= this.coverage.toMs) return;
    const civil = Math.floor((t + this.offsetAt(t)) / MS_PER_DAY);
    throw this.rangeError(formatIsoDate(civil), `instant ${t} requested`);
  }

  private rangeError(date: string, detail: string): CalendarRangeError {
    return new CalendarRangeError(date, this.code, this.coverage.firstYear, this.coverage.lastYear, detail);
  }
}
