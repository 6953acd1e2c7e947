// The kept counts of decision 0009: written in the transaction of each step from the items of
// kept-cell-items.ts, read for the whole half-months of a period, rebuilt from the records when their
// definition changes (kept-counts-version.ts).
import { halfMonthIndex, halfMonthStart } from '@cityops/domain/indicators/periods';
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { insertAll, rowInsert, type RowInsert } from '../db/row-insert.ts';
import {
  CELL_COUNTS, PERSON_COUNTS, caseItems, mergedRegistrationItems, roundItems, rulingItems, RULING_COUNTS,
  type CellCount, type KeptItem, type PersonCount,
} from './kept-cell-items.ts';

/** Department 0 in the kept cells stands for none (ids start at 1), so that every key column is not null. */
const NO_DEPARTMENT = 0;

type CellRow = { since_half: number; half: number; grid_id: number; department_id: number } & Record<CellCount, number>;
type PersonRow = { since_half: number; half: number; person_id: number } & Record<PersonCount, number>;

/** Items summed by their row key; rows whose changes cancel out are dropped. */
export class KeptTally {
  readonly cells = new Map<string, CellRow>();
  readonly persons = new Map<string, PersonRow>();
  /** The reports of each grid and half-month again, on their own: a map of a period reads one row per grid and half. */
  readonly gridReports = new Map<string, { half: number; grid_id: number; reported: number }>();

  add(items: Iterable<KeptItem>): this {
    for (const i of items) {
      const since = halfMonthIndex(i.since);
      const half = halfMonthIndex(i.at);
      if (i.kind === 'cell') {
        const department = i.departmentId ?? NO_DEPARTMENT;
        const key = `${since}:${half}:${i.gridId}:${department}`;
        let row = this.cells.get(key);
        if (!row) this.cells.set(key, (row = { since_half: since, half, grid_id: i.gridId, department_id: department, ...zeros(CELL_COUNTS) }));
        row[i.count] += i.n;
        if (i.count === 'reported') {
          const gridKey = `${half}:${i.gridId}`;
          let grid = this.gridReports.get(gridKey);
          if (!grid) this.gridReports.set(gridKey, (grid = { half, grid_id: i.gridId, reported: 0 }));
          grid.reported += i.n;
        }
      } else {
        const key = `${since}:${half}:${i.personId}`;
        let row = this.persons.get(key);
        if (!row) this.persons.set(key, (row = { since_half: since, half, person_id: i.personId, ...zeros(PERSON_COUNTS) }));
        row[i.count] += i.n;
      }
    }
    return this;
  }
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

const changed = <K extends string>(keys: readonly K[]) => (row: Record<K, number>) => keys.some((k) => row[k] !== 0);

/** The tally's additions to the kept rows, as inserts for insertAll (one additive upsert per table). */
export function tallyInserts(tally: KeptTally): RowInsert[] {
  return [
    rowInsert('kept_cells', [...tally.cells.values()].filter(changed(CELL_COUNTS)), { addOnConflict: { key: ['since_half', 'half', 'grid_id', 'department_id'], add: CELL_COUNTS } }),
    rowInsert('kept_person_cells', [...tally.persons.values()].filter(changed(PERSON_COUNTS)), { addOnConflict: { key: ['since_half', 'half', 'person_id'], add: PERSON_COUNTS } }),
    ...gridReportInserts(tally),
  ];
}

/** Adds the tally to the kept rows. */
export async function writeTally(db: Executor, tally: KeptTally): Promise<void> {
  await insertAll(db, tallyInserts(tally));
}

/** The calendar year (Beijing) a half-month falls in: half-months are numbered from January 1970, 24 a year. */
export const yearOfHalf = (half: number) => 1970 + Math.floor(half / 24);

/** The tally's reports per grid and half-month, and per grid and year, as inserts for insertAll. */
function gridReportInserts(tally: KeptTally): RowInsert[] {
  const halves = [...tally.gridReports.values()].filter((r) => r.reported !== 0);
  // The year rows are the half-month rows summed by calendar year (24 half-months a year).
  const byYear = new Map<string, { year: number; grid_id: number; reported: number }>();
  for (const r of halves) {
    const year = yearOfHalf(r.half);
    const key = `${year}:${r.grid_id}`;
    const row = byYear.get(key) ?? { year, grid_id: r.grid_id, reported: 0 };
    row.reported += r.reported;
    byYear.set(key, row);
  }
  return [
    rowInsert('kept_grid_reports', halves, { addOnConflict: { key: ['half', 'grid_id'], add: ['reported'] } }),
    rowInsert('kept_grid_year_reports', [...byYear.values()].filter((r) => r.reported !== 0), { addOnConflict: { key: ['year', 'grid_id'], add: ['reported'] } }),
  ];
}

/** Adds the tally's reports per grid and half-month, and per grid and year, to the kept tables. */
export async function writeGridReports(db: Executor, tally: KeptTally): Promise<void> {
  await insertAll(db, gridReportInserts(tally));
}

/** Recomputes kept_grid_reports alone from the cases (its own family: the other kept cells stay). */
export async function rebuildKeptGridReports(db: Executor): Promise<void> {
  await db.deleteFrom('kept_grid_reports').execute();
  await db.deleteFrom('kept_grid_year_reports').execute();
  const tally = new KeptTally();
  for (let after = 0; ;) {
    const page = await db.selectFrom('cases').select(['id', 'grid_id', 'reported_at']).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) break;
    tally.add(page.map((c) => ({ kind: 'cell', count: 'reported', since: c.reported_at, at: c.reported_at, gridId: c.grid_id, departmentId: null, n: 1 })));
    after = page.at(-1)!.id;
  }
  await writeGridReports(db, tally);
}

export const keepItems = (db: Executor, items: KeptItem[]) => (items.length ? writeTally(db, new KeptTally().add(items)) : Promise.resolve());

/** The register steps of a case, for the items of its merge (mergedRegistrationItems). */
export async function registrationsOf(db: Executor, caseId: number) {
  const rows = await db.selectFrom('case_events').select(['at', 'actor_kind', 'actor_id']).where('case_id', '=', caseId).where('action', '=', 'register').execute();
  return rows.map((r) => ({ at: r.at, actorKind: r.actor_kind, actorId: r.actor_id }));
}

const PAGE = 20_000;

/** Recomputes the kept cells from the cases, rounds and steps, a page at a time, summed in memory and written once. */
export async function rebuildKeptCells(db: Executor): Promise<void> {
  await db.deleteFrom('kept_cells').execute();
  await db.deleteFrom('kept_person_cells').execute();
  // The tally writes the grid reports too: they are rebuilt with the cells, not added twice.
  await db.deleteFrom('kept_grid_reports').execute();
  await db.deleteFrom('kept_grid_year_reports').execute();
  const tally = new KeptTally();
  for (let after = 0; ;) {
    const page = await db.selectFrom('cases').select(['id', 'grid_id', 'department_id', 'source', 'reported_at', 'reported_by_kind', 'reported_by_id', 'registered_at', 'first_dispatched_at', 'closed_at', 'overdue_rounds', 'rated_at', 'satisfaction'])
      .where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) break;
    for (const c of page) tally.add(caseItems(c));
    after = page.at(-1)!.id;
  }
  for (let after = 0; ;) {
    const page = await db.selectFrom('handling_rounds').select(['id', 'kind', 'source', 'grid_id', 'department_id', 'started_at', 'started_by', 'handled_at', 'overdue_at', 'reworked_at', 'end_kind', 'ended_at'])
      .where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) break;
    for (const r of page) tally.add(roundItems(r));
    after = page.at(-1)!.id;
  }
  const rulings = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .where('e.action', 'in', Object.keys(RULING_COUNTS)).select(['e.action', 'e.at', 'e.department_id', 'c.grid_id']).execute();
  for (const r of rulings) tally.add(rulingItems({ action: r.action, at: r.at, departmentId: r.department_id }, r.grid_id));
  const merged = await db.selectFrom('cases as c').innerJoin('case_events as e', 'e.case_id', 'c.id')
    .where('c.state', '=', 'merged').where('e.action', '=', 'register').select(['c.ended_at', 'e.at', 'e.actor_kind', 'e.actor_id']).execute();
  for (const m of merged) if (m.ended_at !== null) tally.add(mergedRegistrationItems(m.ended_at, [{ at: m.at, actorKind: m.actor_kind, actorId: m.actor_id }]));
  await writeTally(db, tally);
}

/**
 * How much of a window the kept counts answer: the whole half-months from its start, [from, coveredTo),
 * with `bounded` when the window ends on a half-month boundary (then only what happened before it
 * counts). A window running to now (`live`) also takes the half-months before the current one, with
 * everything recorded since. Null when the window does not start on a half-month, or ends inside a past
 * half-month (a custom range, a past day): the records answer those.
 */
export function keptSpan(w: { from: number; asOf: number; live?: boolean }): { fromHalf: number; toHalf: number; coveredTo: number; bounded: boolean } | null {
  const fromHalf = halfMonthIndex(w.from);
  if (halfMonthStart(fromHalf) !== w.from) return null;
  const toHalf = halfMonthIndex(w.asOf);
  const coveredTo = halfMonthStart(toHalf);
  const bounded = coveredTo === w.asOf;
  if (toHalf <= fromHalf || (!bounded && !w.live)) return null;
  return { fromHalf, toHalf, coveredTo, bounded };
}

type Span = NonNullable<ReturnType<typeof keptSpan>>;

/**
 * The kept cells of a span, summed two ways: by grid (every count, for the territory tree) and by
 * department (the counts a department holds). Two small results instead of one row per (grid,
 * department): reading rows out of the database, not summing them, is what costs at a city's size.
 */
export async function readKeptCells(db: Executor, span: Span) {
  const sums = CELL_COUNTS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c));
  const inSpan = () => {
    let q = db.selectFrom('kept_cells').where('since_half', '>=', span.fromHalf).where('since_half', '<', span.toHalf);
    if (span.bounded) q = q.where('half', '<', span.toHalf);
    return q;
  };
  const counts = (r: Record<CellCount, number | string | null>) => Object.fromEntries(CELL_COUNTS.map((c) => [c, Number(r[c] ?? 0)])) as Record<CellCount, number>;
  const [grids, departments] = await Promise.all([
    inSpan().select('grid_id').select(sums).groupBy('grid_id').execute(),
    inSpan().where('department_id', '<>', NO_DEPARTMENT).select('department_id').select(sums).groupBy('department_id').execute(),
  ]);
  return {
    grids: grids.map((r) => ({ id: r.grid_id, counts: counts(r) })),
    departments: departments.map((r) => ({ id: r.department_id, counts: counts(r) })),
  };
}

export async function readKeptPersonCells(db: Executor, span: Span) {
  let q = db.selectFrom('kept_person_cells').where('since_half', '>=', span.fromHalf).where('since_half', '<', span.toHalf);
  if (span.bounded) q = q.where('half', '<', span.toHalf);
  const rows = await q.select(['person_id']).select(PERSON_COUNTS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
    .groupBy('person_id').execute();
  return rows.map((r) => ({ personId: r.person_id, counts: Object.fromEntries(PERSON_COUNTS.map((c) => [c, Number(r[c] ?? 0)])) as Record<PersonCount, number> }));
}
