// The points engine shared by both ledgers (累计加减分 of responsibility areas and units, 信用积分 of credit
// subjects): points are integers in tenths, a ledger's total is the sum of its entries (never a stored
// number), thresholds turn a total into alert levels and score bands into credit levels. Rule sets are data
// (responsibility-rules.ts, credit-rules.ts); nothing here knows a particular event or level.
import type { FieldIssue } from '../errors.ts';

/** Rule numbers are written in points with at most one decimal; the ledger keeps tenths (exact integers). */
export function toTenths(points: number): number | null {
  if (typeof points !== 'number' || !Number.isFinite(points)) return null;
  const tenths = Math.round(points * 10);
  return Math.abs(tenths - points * 10) < 1e-6 ? tenths : null;
}

export const fromTenths = (tenths: number): number => tenths / 10;

/** A points number of a rule set: finite, at most one decimal, within the sign the rule needs. */
export function checkPoints(value: unknown, field: string, sign: 'negative' | 'positive', issues: FieldIssue[]): void {
  const tenths = typeof value === 'number' ? toTenths(value) : null;
  if (tenths === null) issues.push({ field, message: 'must be a number with at most one decimal' });
  else if (sign === 'negative' && tenths >= 0) issues.push({ field, message: 'must be below 0 (a deduction)' });
  else if (sign === 'positive' && tenths <= 0) issues.push({ field, message: 'must be above 0' });
  else if (Math.abs(tenths) > 10_000) issues.push({ field, message: 'must be at most 1000 points' });
}

/** The sum of entries, in tenths. */
export const totalOf = (entries: readonly { points: number }[]): number => entries.reduce((sum, e) => sum + e.points, 0);

/**
 * The alert levels a total has reached: a threshold is reached when the total is at or below it (both
 * negative, in tenths). `levels` lists the levels from the mildest to the most severe.
 */
export function reachedLevels<L extends string>(levels: readonly L[], thresholds: Partial<Record<L, number>> | undefined, totalTenths: number): L[] {
  if (!thresholds) return [];
  return levels.filter((level) => {
    const at = thresholds[level];
    return at !== undefined && totalTenths <= at;
  });
}

/**
 * The levels a write makes the subject cross for the first time: reached now and never recorded before.
 * An alert is recorded once per subject, year and level, however often the total dips below again.
 */
export function newCrossings<L extends string>(levels: readonly L[], thresholds: Partial<Record<L, number>> | undefined, totalTenths: number, recorded: ReadonlySet<string>): L[] {
  return reachedLevels(levels, thresholds, totalTenths).filter((l) => !recorded.has(l));
}

/**
 * The levels first reached when a subject's entries are taken in the order of their dates (then of their
 * recording): from the total before the first of them, each entry moves the total and each level reached and
 * not recorded yet is crossed there, once. Alerts so follow the dates of what happened, whatever order the
 * entries were recorded in (a finding entered a week late takes its place in that week).
 */
export function crossingsInDateOrder<L extends string>(levels: readonly L[], thresholds: Partial<Record<L, number>> | undefined, baseTenths: number,
  entries: readonly { id: number; points: number; occurredAt: number }[], recorded: ReadonlySet<string>): { level: L; entryId: number; occurredAt: number; total: number }[] {
  const seen = new Set(recorded);
  const out: { level: L; entryId: number; occurredAt: number; total: number }[] = [];
  let total = baseTenths;
  for (const e of [...entries].sort((x, y) => x.occurredAt - y.occurredAt || x.id - y.id)) {
    total += e.points;
    for (const level of newCrossings(levels, thresholds, total, seen)) {
      seen.add(level);
      out.push({ level, entryId: e.id, occurredAt: e.occurredAt, total });
    }
  }
  return out;
}

/** The band a score falls in: bands best first, each from its `min` (tenths) up; the last has no minimum. */
export function bandOf<B extends { code: string; min: number | null }>(bands: readonly B[], scoreTenths: number): B {
  for (const band of bands) if (band.min === null || scoreTenths >= band.min) return band;
  return bands[bands.length - 1]!;
}

/** Calendar year in Beijing time (UTC+8, no daylight saving) of an instant: the year a ledger entry counts in. */
export function beijingYear(ms: number): number {
  return new Date(ms + 8 * 3_600_000).getUTCFullYear();
}

/** The instants [from, to) of a Beijing calendar year. */
export function beijingYearRange(year: number): { fromMs: number; toMs: number } {
  return { fromMs: Date.UTC(year, 0, 1) - 8 * 3_600_000, toMs: Date.UTC(year + 1, 0, 1) - 8 * 3_600_000 };
}
