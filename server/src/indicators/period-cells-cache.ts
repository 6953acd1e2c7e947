// Keeps the counted cells of ended periods (migration 005). A period counted as of its end is final:
// later steps have later times. Only records entered with earlier times can change it, and the places
// that write such records (a history import, a backdated report) call forgetPeriodsFrom() in their
// transaction.
import { MEASURE_CODES, type MeasureCode, type Measures } from '@cityops/domain/indicators/measures';
import type { Period } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import { loadPeriodCells, loadPersonCounts, type PeriodCells, type Window } from './measure-queries.ts';

export interface CountedPeriod extends PeriodCells {
  persons: Map<number, Partial<Measures>>;
}

/** Column-wise, so a month of a large city stays a few megabytes: [gridId, departmentId, ...counts in MEASURE_CODES order]. */
interface Stored {
  format: 2;
  measures: MeasureCode[];
  cells: (number | null)[][];
  overdueUnclosedByGrid: [number, number][];
  overdueUnclosedByDepartment: [number, number][];
  persons: [number, Partial<Measures>][];
}

function pack(c: CountedPeriod): Stored {
  return {
    format: 2, measures: MEASURE_CODES,
    cells: c.cells.map((cell) => [cell.gridId, cell.departmentId, ...MEASURE_CODES.map((m) => cell.counts[m] ?? 0)]),
    overdueUnclosedByGrid: [...c.overdueUnclosedByGrid], overdueUnclosedByDepartment: [...c.overdueUnclosedByDepartment], persons: [...c.persons],
  };
}

function unpack(s: Stored): CountedPeriod | null {
  if (s.format !== 2) return null;
  const cells = s.cells.map((row) => {
    const counts: Partial<Measures> = {};
    s.measures.forEach((m, i) => { const v = row[i + 2] as number; if (v) counts[m] = v; });
    return { gridId: row[0] as number, departmentId: row[1] as number | null, counts };
  });
  return { cells, overdueUnclosedByGrid: new Map(s.overdueUnclosedByGrid), overdueUnclosedByDepartment: new Map(s.overdueUnclosedByDepartment), persons: new Map(s.persons) };
}

async function count(db: Executor, w: Window): Promise<CountedPeriod> {
  const [cells, persons] = await Promise.all([loadPeriodCells(db, w), loadPersonCounts(db, w)]);
  return { ...cells, persons };
}

/**
 * The cells of a period as of min(its end, now): from the store when the period has ended and was
 * counted before, else counted (and stored when it has ended). `useStore: false` always counts.
 */
export async function countedPeriod(db: Executor, period: Period, now: number, options: { useStore?: boolean } = {}): Promise<CountedPeriod> {
  const w: Window = { from: period.fromMs, asOf: Math.min(period.toMs, now) };
  const ended = w.asOf === period.toMs;
  if (!ended || options.useStore === false) return count(db, w);
  const stored = await db.selectFrom('period_cells').select(['cells', 'from_ms', 'to_ms']).where('period_code', '=', period.code).executeTakeFirst();
  if (stored && Number(stored.from_ms) === period.fromMs && Number(stored.to_ms) === period.toMs) {
    const unpacked = unpack(JSON.parse(stored.cells) as Stored);
    if (unpacked) return unpacked;
  }
  const counted = await count(db, w);
  // A stored row of another layout or range is replaced.
  await db.insertInto('period_cells').values({ period_code: period.code, from_ms: period.fromMs, to_ms: period.toMs, cells: JSON.stringify(pack(counted)), computed_at: now })
    .onConflict((oc) => oc.column('period_code').doUpdateSet({ from_ms: period.fromMs, to_ms: period.toMs, cells: JSON.stringify(pack(counted)), computed_at: now })).execute();
  return counted;
}

/** Drops every stored period that ends after `ms`: records with times from `ms` on were just entered. */
export async function forgetPeriodsFrom(db: Executor, ms: number): Promise<void> {
  await db.deleteFrom('period_cells').where('to_ms', '>', ms).execute();
}
