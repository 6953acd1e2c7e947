import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { Executor } from '../server/src/db/database.ts';
import { keptSpan, readKeptCells, readKeptPersonCells } from '../server/src/indicators/kept-cells.ts';
import { postStepsFromEvents, postStepsInWindow } from '../server/src/indicators/kept-post-steps.ts';
import {
  caseCells, overdueUnclosed, personTallies, recordedOverdueCells, roundCellsFromRows, rulingCells, runningPastDue, type Window,
} from '../server/src/indicators/measure-queries.ts';
import { loadPeriodMeasures } from '../server/src/indicators/period-measures.ts';
import type { BenchEntry } from './entry.ts';
import { EVALUATION_DATA, OCTOBER, openEvaluationData } from './data-sets.ts';

/**
 * The monthly evaluation (issue 8 target: < 3 s on each database): every count of October 2026 for
 * every territory node, department and person, run after the month is over, over a data set of
 * 1,000,000 October cases with their handling rounds and events in a 10,000-grid demo city
 * (bench/data-sets.ts; kept between runs). `monthly_evaluation` counts from the records
 * (loadPeriodMeasures with useStore: false), as the first evaluation of an ended month and every
 * evaluation of the current month do; `monthly_evaluation_stored` reads the ended month's stored counts
 * (period_cells), as every later one does. Best of 3 after a warm-up. Anchor: one hand-written GROUP BY
 * over the same month of cases, the floor of a single pass on this machine. A third entry times each
 * query of measure-queries.ts alone, one after another.
 */
/** Two weeks after October: the period is over, so the counts run to its end. */
const NOW = OCTOBER.toMs + 14 * 86_400_000;
const WINDOW: Window = { from: OCTOBER.fromMs, asOf: Math.min(OCTOBER.toMs, NOW) };

async function bestOf<T>(runs: number, body: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  let best = Infinity;
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await body();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, result: result as T };
}

const floorQuery = (db: Executor) => sql<{ grid_id: number; department_id: number | null; n: number; closed: number }>`
  select grid_id, department_id, count(*) as n, sum(case when closed_at is not null then 1 else 0 end) as closed
  from cases where reported_at >= ${WINDOW.from} and reported_at < ${WINDOW.asOf}
  group by grid_id, department_id`.execute(db);

const SPAN = keptSpan(WINDOW)!;
/** The queries of an evaluation of the ended month: the kept half-months, and what depends on the window's end. */
const QUERIES: Record<string, (db: Executor, w: Window) => Promise<unknown>> = {
  kept_cells: (db) => readKeptCells(db, SPAN), kept_person_cells: (db) => readKeptPersonCells(db, SPAN), person_steps: postStepsInWindow,
  running_past_due: runningPastDue, overdue_unclosed: async (db, w) => overdueUnclosed(db, w, await runningPastDue(db, w)),
};
/** The same counts from the records (the reference the kept counts are tested against). */
const FROM_RECORDS: Record<string, (db: Executor, w: Window) => Promise<unknown>> = {
  case_cells: caseCells, round_cells: roundCellsFromRows, recorded_overdue: recordedOverdueCells, ruling_cells: rulingCells,
  person_steps: (db, w) => postStepsFromEvents(db, w.from, w.asOf), person_tallies: personTallies,
};

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const entries: BenchEntry[] = [];
  for (const dialect of EVALUATION_DATA.databases) {
    const data = await openEvaluationData(dialect, log);
    const { db } = data.handle;
    try {
      const warm = performance.now();
      const first = await loadPeriodMeasures(db, OCTOBER, NOW, { useStore: false });
      log(`evaluation [${dialect}]: warm-up ${round3((performance.now() - warm) / 1000)} s; ${first.territory.size} territory nodes, ${first.departments.size} departments, ${first.persons.size} persons`);
      const evaluation = await bestOf(3, () => loadPeriodMeasures(db, OCTOBER, NOW, { useStore: false }));
      // The first evaluation once the month has ended counts and stores; later ones read the store.
      await db.deleteFrom('period_cells').where('period_code', '=', OCTOBER.code).execute();
      const firstStored = await bestOf(1, () => loadPeriodMeasures(db, OCTOBER, NOW));
      const stored = await bestOf(3, () => loadPeriodMeasures(db, OCTOBER, NOW));
      const same = isDeepStrictEqual([...stored.result.territory], [...evaluation.result.territory])
        && isDeepStrictEqual([...stored.result.persons].map(([k, v]) => [k, v.measures]), [...evaluation.result.persons].map(([k, v]) => [k, v.measures]));
      if (!same) throw new Error(`evaluation [${dialect}]: the stored counts differ from the counted ones`);
      await floorQuery(db);
      const floor = await bestOf(3, () => floorQuery(db));
      const city = [...evaluation.result.nodes.values()].find((n) => n.parentId === null)!;
      const m = evaluation.result.territory.get(city.id)!;
      log(`evaluation [${dialect}]: city counts reported ${m.reported}, registered ${m.registered}, closed ${m.closed} (on time ${m.closed_on_time}), due to close ${m.due_to_close}, dispatched ${m.dispatched}, handled ${m.handled} (on time ${m.handled_on_time}), overdue ${m.overdue}, reworked ${m.reworked}, returned ${m.returned}, extended ${m.extended}, callbacks ${m.callbacks}; floor rows ${floor.result.rows.length}`);
      log(`evaluation [${dialect}]: counted ${round3(evaluation.seconds)} s; first after the month (count and store) ${round3(firstStored.seconds)} s; stored ${round3(stored.seconds)} s; floor ${round3(floor.seconds)} s`);
      const breakdown: Record<string, number> = {};
      for (const [name, query] of Object.entries(QUERIES)) breakdown[name] = round3((await bestOf(2, () => query(db, WINDOW))).seconds);
      log(`evaluation [${dialect}]: each query alone: ${Object.entries(breakdown).map(([k, v]) => `${k} ${v} s`).join(', ')}`);
      // The same month counted from the records alone must give the same numbers, to the unit.
      const reference = await bestOf(1, () => loadPeriodMeasures(db, OCTOBER, NOW, { useStore: false, useKept: false }));
      const measuresOf = (r: typeof evaluation.result) => [[...r.territory], [...r.departments].map(([k, v]) => [k, v.measures]), [...r.persons].map(([k, v]) => [k, v.measures])];
      if (!isDeepStrictEqual(measuresOf(reference.result), measuresOf(evaluation.result))) throw new Error(`evaluation [${dialect}]: the kept counts differ from the records`);
      const fromRecords: Record<string, number> = {};
      for (const [name, query] of Object.entries(FROM_RECORDS)) fromRecords[name] = round3((await bestOf(1, () => query(db, WINDOW))).seconds);
      log(`evaluation [${dialect}]: from the records alone ${round3(reference.seconds)} s (the same counts); each query: ${Object.entries(fromRecords).map(([k, v]) => `${k} ${v} s`).join(', ')}`);
      const anchor = { name: `one GROUP BY (grid, department) over the month's ${EVALUATION_DATA.cases.toLocaleString('en')} cases`, value: round3(floor.seconds), unit: 's' };
      entries.push(
        { name: 'monthly_evaluation', database: dialect, value: round3(evaluation.seconds), unit: 's', target: 3, better: 'lower', anchor, ratio: Math.round((evaluation.seconds / floor.seconds) * 10) / 10 },
        { name: 'monthly_evaluation_stored', database: dialect, value: round3(stored.seconds), unit: 's', target: 3, better: 'lower', anchor, ratio: Math.round((stored.seconds / floor.seconds) * 100) / 100 },
      );
      const queries: BenchEntry & { breakdown: Record<string, number>; fromRecords: Record<string, number>; fromRecordsTotal: number; firstCountAndStore: number; dataSet: Record<string, number | null> } = {
        name: 'monthly_evaluation_queries', database: dialect, value: round3(Object.values(breakdown).reduce((a, b) => a + b, 0)), unit: 's (sum of each query alone)',
        target: null, better: 'lower', anchor: null, ratio: null, breakdown, fromRecords, fromRecordsTotal: round3(reference.seconds), firstCountAndStore: round3(firstStored.seconds),
        dataSet: { ...data.counts, grids: EVALUATION_DATA.grids, buildSeconds: data.buildSeconds },
      };
      entries.push(queries);
    } finally {
      await data.handle.close();
    }
  }
  return entries;
}
