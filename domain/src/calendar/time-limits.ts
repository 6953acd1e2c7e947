// Time-limit units (时限单位) as a data table: which clock runs and how long one unit is. Adding a unit
// is adding a row; deadlines.ts reads the row, never branches on the unit name.
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './civil-date.ts';

/** 'working' = only inside the work calendar's working periods; 'continuous' = wall-clock time. */
export type TimeLimitClock = 'working' | 'continuous';

export interface TimeLimitUnitRow {
  unit: string;
  clock: TimeLimitClock;
  /** Milliseconds of the clock per unit, or 'workday' = the calendar's workingDayMs (8 h by default). */
  msPerUnit: number | 'workday';
  zh: string;
  en: string;
  /** Extra spellings accepted when parsing labels from CSV imports. */
  aliases: readonly string[];
}

export const TIME_LIMIT_UNITS = [
  { unit: 'working_minutes', clock: 'working', msPerUnit: MS_PER_MINUTE, zh: '工作分钟', en: 'working minutes', aliases: [] },
  { unit: 'working_hours', clock: 'working', msPerUnit: MS_PER_HOUR, zh: '工作时', en: 'working hours', aliases: ['工作小时'] },
  { unit: 'working_days', clock: 'working', msPerUnit: 'workday', zh: '工作日', en: 'working days', aliases: ['个工作日'] },
  { unit: 'calendar_hours', clock: 'continuous', msPerUnit: MS_PER_HOUR, zh: '自然时', en: 'calendar hours', aliases: ['自然小时'] },
  { unit: 'calendar_days', clock: 'continuous', msPerUnit: MS_PER_DAY, zh: '自然日', en: 'calendar days', aliases: ['个自然日'] },
  // 紧急工作时: urgent cases run around the clock, nights and holidays included.
  { unit: 'urgent_hours', clock: 'continuous', msPerUnit: MS_PER_HOUR, zh: '紧急工作时', en: 'urgent hours', aliases: ['紧急工作小时'] },
] as const satisfies readonly TimeLimitUnitRow[];

export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number]['unit'];

export interface TimeLimit {
  value: number;
  unit: TimeLimitUnit;
}

export interface TimeLimitFieldError {
  field: string;
  message: string;
}

export type TimeLimitResult = { ok: true; limit: TimeLimit } | { ok: false; errors: TimeLimitFieldError[] };

const ROW_BY_UNIT: ReadonlyMap<string, TimeLimitUnitRow> = new Map(TIME_LIMIT_UNITS.map((row) => [row.unit, row]));

/** Label (zh, en, alias or the code itself) → unit, for imports. */
const UNIT_BY_LABEL: ReadonlyMap<string, TimeLimitUnit> = new Map(
  TIME_LIMIT_UNITS.flatMap((row) =>
    [row.unit, row.zh, row.en, ...row.aliases].map((label): [string, TimeLimitUnit] => [label.toLowerCase(), row.unit]),
  ),
);

export function isTimeLimitUnit(unit: unknown): unit is TimeLimitUnit {
  return typeof unit === 'string' && ROW_BY_UNIT.has(unit);
}

/** The table row of a unit; throws on an unknown unit (callers validate input first). */
export function timeLimitUnitRow(unit: TimeLimitUnit): TimeLimitUnitRow {
  const row = ROW_BY_UNIT.get(unit);
  if (row === undefined) throw new RangeError(`unknown time-limit unit ${JSON.stringify(unit)}`);
  return row;
}

/** True when a number has at most two decimals (1.15 yes, 1.155 no), tolerant of binary float noise. */
function hasAtMostTwoDecimals(value: number): boolean {
  return Math.round(value * 100) / 100 === value;
}

/** Field errors for a limit-like input; empty when valid. `field` prefixes the names ('stageLimits.verify'). */
export function validateTimeLimit(input: unknown, field = 'limit'): TimeLimitFieldError[] {
  const errors: TimeLimitFieldError[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field, message: 'time limit must be an object { value, unit }' }];
  }
  const { value, unit } = input as { value?: unknown; unit?: unknown };
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    errors.push({ field: `${field}.value`, message: `value must be a finite number > 0, got ${JSON.stringify(value)}` });
  } else if (!hasAtMostTwoDecimals(value)) {
    errors.push({ field: `${field}.value`, message: `value may have at most 2 decimals, got ${value}` });
  }
  if (!isTimeLimitUnit(unit)) {
    errors.push({
      field: `${field}.unit`,
      message: `unknown unit ${JSON.stringify(unit)}; expected one of ${TIME_LIMIT_UNITS.map((r) => r.unit).join(', ')}`,
    });
  }
  return errors;
}

/** Validates and returns a clean copy (extra properties dropped). */
export function parseTimeLimit(input: unknown, field = 'limit'): TimeLimitResult {
  const errors = validateTimeLimit(input, field);
  if (errors.length > 0) return { ok: false, errors };
  const { value, unit } = input as TimeLimit;
  return { ok: true, limit: { value, unit } };
}

const LABEL_PATTERN = /^([0-9]+(?:\.[0-9]+)?)\s*(\S(?:.*\S)?)$/u;

/**
 * Parses a label as written in CSV imports: '4 工作时', '15 工作日', '1 自然日', '2 紧急工作时',
 * also without the space ('15工作日'), with full-width digits (NFKC), or with the unit code
 * ('4 working_hours'). Errors name `field`.
 */
export function parseTimeLimitLabel(text: unknown, field = 'limit'): TimeLimitResult {
  if (typeof text !== 'string') return { ok: false, errors: [{ field, message: 'time limit label must be text, e.g. "4 工作时"' }] };
  const normalized = text.normalize('NFKC').trim();
  const m = LABEL_PATTERN.exec(normalized);
  if (m === null) {
    return { ok: false, errors: [{ field, message: `cannot read ${JSON.stringify(text)}; expected a number and a unit, e.g. "4 工作时"` }] };
  }
  const unit = UNIT_BY_LABEL.get((m[2] ?? '').toLowerCase());
  if (unit === undefined) {
    const known = TIME_LIMIT_UNITS.map((r) => r.zh).join('、');
    return { ok: false, errors: [{ field, message: `unknown unit ${JSON.stringify(m[2])} in ${JSON.stringify(text)}; expected one of ${known}` }] };
  }
  const parsed = parseTimeLimit({ value: Number(m[1]), unit }, field);
  if (parsed.ok) return parsed;
  // Re-point the errors at the single label cell the user typed.
  return { ok: false, errors: parsed.errors.map((e) => ({ field, message: e.message })) };
}

/** '4 工作时' / '4 working hours': the inverse of parseTimeLimitLabel for display and CSV export. */
export function formatTimeLimit(limit: TimeLimit, lang: 'zh' | 'en' = 'zh'): string {
  const row = timeLimitUnitRow(limit.unit);
  return `${limit.value} ${lang === 'zh' ? row.zh : row.en}`;
}
