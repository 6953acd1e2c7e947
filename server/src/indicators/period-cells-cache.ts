// Keeps the counted cells of ended periods (migration 005). A period counted as of its end is final:
// later steps have later times. Only records entered with earlier times can change it, and the places
// that write such records (a history import, a backdated report) call forgetPeriodsFrom() in their
// transaction.
import type { Measures } from '@cityops/domain/indicators/measures';
import type { Period } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import { loadPeriodCells, loadPersonCounts, type PeriodCells, type Window } from './measure-queries.ts';

export interface CountedPeriod extends PeriodCells {
  persons: Map<number, Partial<Measures>>;
}

interface Stored {
  cells: PeriodCells['cells'];
  overdueUnclosedByGrid: [number, number][];
  overdueUnclosedByDepartment: [number, number][];
  persons: [number, Partial<Measures>][];
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
    const s = JSON.parse(stored.cells) as Stored;
    return { cells: s.cells, overdueUnclosedByGrid: new Map(s.overdueUnclosedByGrid), overdueUnclosedByDepartment: new Map(s.overdueUnclosedByDepartment), persons: new Map(s.persons) };
  }
  const counted = await count(db, w);
  const payload: Stored = {
    cells: counted.cells, overdueUnclosedByGrid: [...counted.overdueUnclosedByGrid], overdueUnclosedByDepartment: [...counted.overdueUnclosedByDepartment], persons: [...counted.persons],
  };
  await db.insertInto('period_cells').values({ period_code: period.code, from_ms: period.fromMs, to_ms: period.toMs, cells: JSON.stringify(payload), computed_at: now })
    .onConflict((oc) => oc.column('period_code').doNothing()).execute();
  return counted;
}

/** Drops every stored period that ends after `ms`: records with times from `ms` on were just entered. */
export async function forgetPeriodsFrom(db: Executor, ms: number): Promise<void> {
  await db.deleteFrom('period_cells').where('to_ms', '>', ms).execute();
}
