// The editable definition of a work calendar (工作日历): timetable, weekend pattern, and the yearly
// holiday / adjusted-working-day (调休) data an operator imports each year. Plain data, validated here,
// compiled for fast queries in work-calendar.ts.
import { parseHhMm, parseIsoDate, weekdayOfDays } from './civil-date.ts';

export type CalendarYearStatus = 'official' | 'provisional';
export type CalendarDayEntryKind = 'holiday' | 'workday';

export interface TimetablePeriod {
  /** Local wall time 'HH:MM'. */
  start: string;
  /** Local wall time 'HH:MM' ('24:00' allowed for a period that runs to midnight). */
  end: string;
}

export interface CalendarYear {
  year: number;
  /** 'provisional' = statutory dates only, before the State Council notice is published. */
  status: CalendarYearStatus;
  /** Where the data comes from (notice title and number), shown to users next to deadlines. */
  source: string;
}

export interface CalendarDayEntry {
  date: string;
  /** 'holiday' = day off (放假, also on weekend days inside a holiday block); 'workday' = 调休上班 on a weekend. */
  kind: CalendarDayEntryKind;
  name: string;
}

export interface WorkCalendarDefinition {
  code: string;
  name: string;
  /** IANA zone name. */
  timezone: string;
  timetable: TimetablePeriod[];
  /** 0 = Sunday … 6 = Saturday. */
  weekendDays: number[];
  years: CalendarYear[];
  days: CalendarDayEntry[];
}

/** Shape of one yearly seed file (server/seed-data/calendar/<code>-<year>.json). */
export interface CalendarYearFile extends CalendarYear {
  days: CalendarDayEntry[];
}

export interface CalendarFieldError {
  field: string;
  message: string;
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
export const DEFAULT_TIMETABLE: readonly TimetablePeriod[] = Object.freeze([
  Object.freeze({ start: '08:00', end: '12:00' }),
  Object.freeze({ start: '14:00', end: '18:00' }),
]);
export const DEFAULT_WEEKEND_DAYS: readonly number[] = Object.freeze([0, 6]);

/** Earliest / latest year a definition may declare; keeps Intl offsets and prefix sums sane. */
export const MIN_CALENDAR_YEAR = 1900;
export const MAX_CALENDAR_YEAR = 2999;

/**
 * Assembles a definition from yearly files (one per year, any order), using the defaults for
 * whatever the caller does not override. Does not validate: call validateCalendarDefinition.
 */
export function buildCalendarDefinition(
  base: { code: string; name: string; timezone?: string; timetable?: readonly TimetablePeriod[]; weekendDays?: readonly number[] },
  yearFiles: readonly CalendarYearFile[],
): WorkCalendarDefinition {
  const sorted = [...yearFiles].sort((a, b) => a.year - b.year);
  return {
    code: base.code,
    name: base.name,
    timezone: base.timezone ?? DEFAULT_TIMEZONE,
    timetable: (base.timetable ?? DEFAULT_TIMETABLE).map((p) => ({ start: p.start, end: p.end })),
    weekendDays: [...(base.weekendDays ?? DEFAULT_WEEKEND_DAYS)],
    years: sorted.map((f) => ({ year: f.year, status: f.status, source: f.source })),
    days: sorted.flatMap((f) => f.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name }))),
  };
}

export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Every problem found in a definition, each naming the offending field (e.g. 'timetable[1].start',
 * 'days[12].date'), so an import screen can point at the exact cell. Accepts unknown input (parsed
 * JSON / CSV) and never throws. An empty list means compileWorkCalendar will accept it.
 */
export function validateCalendarDefinition(def: unknown): CalendarFieldError[] {
  const errors: CalendarFieldError[] = [];
  const err = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  if (!isRecord(def)) {
    err('', 'calendar definition must be an object');
    return errors;
  }
  if (!isNonEmptyString(def['code'])) err('code', 'code is required');
  if (!isNonEmptyString(def['name'])) err('name', 'name is required');
  if (!isNonEmptyString(def['timezone'])) err('timezone', 'timezone is required (IANA name, e.g. Asia/Shanghai)');
  else if (!isKnownTimezone(def['timezone'])) err('timezone', `unknown time zone '${def['timezone']}'`);

  validateTimetable(def['timetable'], err);
  const weekend = validateWeekendDays(def['weekendDays'], err);
  const years = validateYears(def['years'], err);
  validateDays(def['days'], years, weekend, err);
  return errors;
}

type Report = (field: string, message: string) => void;

function validateTimetable(timetable: unknown, err: Report): void {
  if (!Array.isArray(timetable) || timetable.length === 0) {
    err('timetable', 'timetable must list at least one working period');
    return;
  }
  let previousEnd: number | null = null;
  let previousIndex = -1;
  timetable.forEach((period: unknown, i) => {
    const f = `timetable[${i}]`;
    if (!isRecord(period)) {
      err(f, 'period must be an object { start, end }');
      previousEnd = null;
      return;
    }
    const rawStart = period['start'];
    const rawEnd = period['end'];
    const start = typeof rawStart === 'string' ? parseHhMm(rawStart, false) : null;
    const end = typeof rawEnd === 'string' ? parseHhMm(rawEnd, true) : null;
    if (start === null) err(`${f}.start`, `start must be a time HH:MM (00:00–23:59), got ${JSON.stringify(rawStart)}`);
    if (end === null) err(`${f}.end`, `end must be a time HH:MM (00:00–24:00), got ${JSON.stringify(rawEnd)}`);
    if (start !== null && end !== null && start >= end) {
      err(`${f}.end`, `end ${String(rawEnd)} must be after start ${String(rawStart)} (periods cannot cross midnight)`);
    }
    if (start !== null && previousEnd !== null && start < previousEnd) {
      err(`${f}.start`, `period must start at or after the end of timetable[${previousIndex}] (periods ordered, not overlapping)`);
    }
    previousEnd = end;
    previousIndex = i;
  });
}

function validateWeekendDays(weekendDays: unknown, err: Report): Set<number> {
  const weekend = new Set<number>();
  if (!Array.isArray(weekendDays)) {
    err('weekendDays', 'weekendDays must be a list of weekday numbers (0 = Sunday … 6 = Saturday)');
    return weekend;
  }
  weekendDays.forEach((d: unknown, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 6) {
      err(`weekendDays[${i}]`, `weekday must be an integer 0–6 (0 = Sunday), got ${JSON.stringify(d)}`);
    } else if (weekend.has(d)) {
      err(`weekendDays[${i}]`, `weekday ${d} is listed twice`);
    } else {
      weekend.add(d);
    }
  });
  return weekend;
}

function validateYears(years: unknown, err: Report): Set<number> {
  const declared = new Set<number>();
  if (!Array.isArray(years) || years.length === 0) {
    err('years', 'at least one year of holiday data must be loaded');
    return declared;
  }
  let previous: number | null = null;
  years.forEach((entry: unknown, i) => {
    const f = `years[${i}]`;
    if (!isRecord(entry)) {
      err(f, 'year entry must be an object { year, status, source }');
      previous = null;
      return;
    }
    const year = entry['year'];
    if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) {
      err(`${f}.year`, `year must be an integer ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}, got ${JSON.stringify(year)}`);
      previous = null;
    } else {
      if (declared.has(year)) err(`${f}.year`, `year ${year} is declared twice`);
      else if (previous !== null && year !== previous + 1) {
        err(`${f}.year`, `years must be contiguous and ascending: expected ${previous + 1} after ${previous}, got ${year}`);
      }
      declared.add(year);
      previous = year;
    }
    if (entry['status'] !== 'official' && entry['status'] !== 'provisional') {
      err(`${f}.status`, `status must be 'official' or 'provisional', got ${JSON.stringify(entry['status'])}`);
    }
    if (!isNonEmptyString(entry['source'])) err(`${f}.source`, 'source is required (the notice the data comes from)');
  });
  return declared;
}

function validateDays(days: unknown, years: Set<number>, weekend: Set<number>, err: Report): void {
  if (!Array.isArray(days)) {
    err('days', 'days must be a list (possibly empty) of { date, kind, name }');
    return;
  }
  const firstIndexByDate = new Map<string, number>();
  days.forEach((entry: unknown, i) => {
    const f = `days[${i}]`;
    if (!isRecord(entry)) {
      err(f, 'day entry must be an object { date, kind, name }');
      return;
    }
    const rawDate = entry['date'];
    const kind = entry['kind'];
    const parsed = typeof rawDate === 'string' ? parseIsoDate(rawDate) : null;
    if (kind !== 'holiday' && kind !== 'workday') {
      err(`${f}.kind`, `kind must be 'holiday' or 'workday' (调休上班), got ${JSON.stringify(kind)}`);
    }
    if (!isNonEmptyString(entry['name'])) err(`${f}.name`, 'name is required (e.g. 春节, 春节调休上班)');
    if (parsed === null || typeof rawDate !== 'string') {
      err(`${f}.date`, `date must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(rawDate)}`);
      return;
    }
    if (!years.has(parsed.year)) {
      err(`${f}.date`, `${rawDate} is not inside a declared year (declare ${parsed.year} in years)`);
    }
    const first = firstIndexByDate.get(rawDate);
    if (first !== undefined) err(`${f}.date`, `${rawDate} is listed twice (first at days[${first}])`);
    else firstIndexByDate.set(rawDate, i);
    // A 'workday' entry only means something on a weekend day; elsewhere it is a data-entry slip.
    if (kind === 'workday' && !weekend.has(weekdayOfDays(parsed.days))) {
      err(`${f}.kind`, `${rawDate} is not a weekend day, so it cannot be an adjusted working day (调休上班)`);
    }
  });
}
