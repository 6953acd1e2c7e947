// Keeps the counted cells of ended periods (migration 005). A period counted as of its end is final:
// later steps have later times. Only records entered afterwards with earlier times can change it (a
// history import, a backdated report, a step dated in the past by a tool). So the stored counts carry
// the last case and event ids they saw, and are used only while no newer case or event is dated before
// the period's end: one look at the newest rows on read, nothing for the writers to remember.
import { MEASURE_CODES, type MeasureCode, type Measures } from '@cityops/domain/indicators/measures';
import type { Period } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import type { Window } from './measure-queries.ts';
import { loadPeriodCells, loadPersonCounts, type CountOptions, type PeriodCells } from './period-counts.ts';

export interface CountedPeriod extends PeriodCells {
  persons: Map<number, Partial<Measures>>;
}

/** Column-wise, so a month of a large city stays a few megabytes: [id, ...counts in MEASURE_CODES order]. */
interface Stored {
  /** 5: by grid and by department, 应结案 included. */
  format: 5;
  /** The newest case and event when counting began. */
  seen: { caseId: number; eventId: number };
  measures: MeasureCode[];
  grids: number[][];
  departments: number[][];
  persons: [number, Partial<Measures>][];
}

const packTotals = (totals: Map<number, Partial<Measures>>) => [...totals].map(([id, m]) => [id, ...MEASURE_CODES.map((code) => m[code] ?? 0)]);

function pack(c: CountedPeriod, seen: Stored['seen']): Stored {
  return { format: 5, seen, measures: MEASURE_CODES, grids: packTotals(c.grids), departments: packTotals(c.departments), persons: [...c.persons] };
}

function unpack(s: Stored): CountedPeriod | null {
  if (s.format !== 5) return null;
  const totals = (rows: number[][]) => new Map(rows.map((row) => {
    const counts: Partial<Measures> = {};
    s.measures.forEach((m, i) => { const v = row[i + 1]!; if (v) counts[m] = v; });
    return [row[0]!, counts];
  }));
  return { grids: totals(s.grids), departments: totals(s.departments), persons: new Map(s.persons) };
}

async function count(db: Executor, w: Window, options: CountOptions): Promise<CountedPeriod> {
  const [cells, persons] = await Promise.all([loadPeriodCells(db, w, options), loadPersonCounts(db, w, options)]);
  return { ...cells, persons };
}

/**
 * The cells of a period as of min(its end, now): from the store when the period has ended and was
 * counted before, else counted (and stored when it has ended). `useStore: false` always counts;
 * `useKept: false` counts from the records alone (and stores nothing).
 */
export async function countedPeriod(db: Executor, period: Period, now: number, options: { useStore?: boolean } & CountOptions = {}): Promise<CountedPeriod> {
  const ended = now >= period.toMs;
  const w: Window = { from: period.fromMs, asOf: Math.min(period.toMs, now), live: !ended };
  if (!ended || options.useStore === false || options.useKept === false) return count(db, w, options);
  const stored = await db.selectFrom('period_cells').select(['cells', 'from_ms', 'to_ms']).where('period_code', '=', period.code).executeTakeFirst();
  if (stored && Number(stored.from_ms) === period.fromMs && Number(stored.to_ms) === period.toMs) {
    const s = JSON.parse(stored.cells) as Stored;
    const unpacked = unpack(s);
    if (unpacked && !(await enteredSince(db, s.seen, period.toMs))) return unpacked;
  }
  const seen = await newest(db);
  const counted = await count(db, w, options);
  const cells = JSON.stringify(pack(counted, seen));
  // A stored row of another layout, range or age is replaced.
  await db.insertInto('period_cells').values({ period_code: period.code, from_ms: period.fromMs, to_ms: period.toMs, cells, computed_at: now })
    .onConflict((oc) => oc.column('period_code').doUpdateSet({ from_ms: period.fromMs, to_ms: period.toMs, cells, computed_at: now })).execute();
  return counted;
}

async function newest(db: Executor): Promise<Stored['seen']> {
  const [c, e] = await Promise.all([
    db.selectFrom('cases').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
    db.selectFrom('case_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
  ]);
  return { caseId: Number(c?.id ?? 0), eventId: Number(e?.id ?? 0) };
}

/** Whether a case or event written after `seen` is dated before `toMs` (it belongs to the stored period). */
async function enteredSince(db: Executor, seen: Stored['seen'], toMs: number): Promise<boolean> {
  const [c, e] = await Promise.all([
    db.selectFrom('cases').select('id').where('id', '>', seen.caseId).where('reported_at', '<', toMs).limit(1).executeTakeFirst(),
    db.selectFrom('case_events').select('id').where('id', '>', seen.eventId).where('at', '<', toMs).limit(1).executeTakeFirst(),
  ]);
  return c !== undefined || e !== undefined;
}
