// The window a points sweep reads (decision 0018, "incremental sweep"). A ledger's sweep reads what happened
// between its mark and now, by the sources' own timestamps (a finding recorded, a case registered, a deadline
// passed, an appeal ruled), in slices of at most a week, each slice in its own transaction that also moves the
// mark: so the hourly job reads an hour, the first run catches up two years in bounded memory, and a run
// stopped half-way resumes from its last committed slice. Every source is recorded once (the ledger's unique
// source key), so reading a slice again changes nothing.
import { beijingYear, beijingYearRange } from '@cityops/domain/points/engine';
import type { Executor } from '../db/database.ts';
import type { PointsLedger } from '../db/schema-points.ts';
import { closedYears, inTransaction, lockLedger } from './ledger.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Each window starts this long before the mark: a write stamped just before the last sweep's read (a case
 * registered in a batch still open) may commit after it. Ten minutes re-read is a few hundred rows.
 */
export const SWEEP_OVERLAP_MS = 10 * MINUTE;
/** The longest slice read in one transaction: a week of a large city's registrations (about 60,000 cases). */
export const SWEEP_SLICE_MS = 7 * DAY;

/**
 * `catch_up` reads from the ledger's mark (the job, the office's button, the last sweep before closing a
 * year); `year` re-reads a whole year against today's overlays and register and leaves the mark alone (for
 * records written with past timestamps, such as an import).
 */
export type SweepMode = { kind: 'catch_up' } | { kind: 'year'; year: number };

export interface SweepWindow {
  /** The timestamps read (ms): from `fromMs` on, up to (not including) `toMs`. */
  fromMs: number;
  toMs: number;
  /** The years whose events are recorded: open ones only. */
  years: number[];
  moveMark: boolean;
}

export async function sweepMark(db: Executor, ledger: PointsLedger): Promise<number | null> {
  const row = await db.selectFrom('points_sweep_marks').select('swept_to').where('ledger', '=', ledger).executeTakeFirst();
  return row ? Number(row.swept_to) : null;
}

/** The window of a sweep: by default this year and the last, from the mark (or from the last year's start, the first time). */
export async function planWindow(db: Executor, ledger: PointsLedger, mode: SweepMode, now: number): Promise<SweepWindow> {
  const closed = await closedYears(db, ledger);
  if (mode.kind === 'year') {
    return { fromMs: beijingYearRange(mode.year).fromMs, toMs: now, years: closed.has(mode.year) ? [] : [mode.year], moveMark: false };
  }
  const thisYear = beijingYear(now);
  const years = [thisYear - 1, thisYear].filter((y) => !closed.has(y));
  const mark = await sweepMark(db, ledger);
  const fromMs = mark === null ? beijingYearRange(thisYear - 1).fromMs : Math.min(mark, now) - SWEEP_OVERLAP_MS;
  return { fromMs, toMs: now, years, moveMark: true };
}

/** The window cut into slices [a, b) of at most `size` ms. */
export function slicesOf(window: Pick<SweepWindow, 'fromMs' | 'toMs'>, size = SWEEP_SLICE_MS): [number, number][] {
  const out: [number, number][] = [];
  for (let a = window.fromMs; a < window.toMs; a += size) out.push([a, Math.min(a + size, window.toMs)]);
  return out;
}

async function moveMark(trx: Executor, ledger: PointsLedger, to: number, now: number): Promise<void> {
  const mark = await sweepMark(trx, ledger);
  if (mark === null) await trx.insertInto('points_sweep_marks').values({ ledger, swept_to: to, updated_at: now }).execute();
  else if (to > mark) await trx.updateTable('points_sweep_marks').set({ swept_to: to, updated_at: now }).where('ledger', '=', ledger).execute();
}

/**
 * Runs `slice` over each slice of the window, each in a transaction of its own (or all in the caller's), and
 * moves the mark with each. Answers the window read and the number of slices.
 */
export async function sweepSlices(db: Executor, ledger: PointsLedger, window: SweepWindow, now: number, slice: (trx: Executor, fromMs: number, toMs: number) => Promise<void>) {
  const slices = window.years.length ? slicesOf(window) : [];
  for (const [a, b] of slices) {
    await inTransaction(db, async (trx) => {
      // One sweep of a ledger at a time: a second one waits, then finds the slice recorded and adds nothing.
      await lockLedger(trx, ledger);
      await slice(trx, a, b);
      if (window.moveMark) await moveMark(trx, ledger, b, now);
    });
  }
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString(), slices: slices.length };
}

/** Which of the given source keys the ledger holds already (asked in chunks: a slice may carry thousands). */
export async function recordedKeys(db: Executor, ledger: PointsLedger, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const rows = await db.selectFrom('points_entries').select('source_key').where('ledger', '=', ledger).where('source_key', 'in', chunk).execute();
    for (const r of rows) found.add(r.source_key!);
  }
  return found;
}

/** The findings an appeal ruled in [a, b) voided (upheld): their entries are to be reversed. */
export async function findingsVoidedIn(db: Executor, fromMs: number, toMs: number) {
  return db.selectFrom('evaluation_appeals').select(['id', 'finding_id']).where('outcome', '=', 'upheld').where('finding_id', 'is not', null)
    .where('ruled_at', '>=', fromMs).where('ruled_at', '<', toMs).orderBy('id').execute();
}

/** A finding's entries in a ledger that are not corrections and not reversed yet. */
export async function openEntriesOfFinding(db: Executor, ledger: PointsLedger, findingId: number) {
  return db.selectFrom('points_entries as e').leftJoin('points_entries as r', 'r.reverses_id', 'e.id').select(['e.id', 'e.year'])
    .where('e.ledger', '=', ledger).where('e.source_ref', '=', `finding ${findingId}`).where('e.reverses_id', 'is', null).where('r.id', 'is', null).orderBy('e.id').execute();
}
