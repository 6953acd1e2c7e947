// The counts of domain/src/indicators/measures.ts counted from the records, for one window [from,
// asOf): a few grouped scans, each over one index range, that run the same on SQLite and PostgreSQL.
// Nothing here loads cases; each query returns one row per (grid, department) or per person. They are
// the reference the kept counts (kept-cells.ts) must equal, and they count what those do not cover (a
// day, a custom range, the current half-month). Definitions: docs/indicators.md.
import type { MeasureCode, Measures } from '@cityops/domain/indicators/measures';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import { PUBLIC_SOURCE_CODES, RULING_COUNTS, SATISFIED_LEVELS } from './kept-cell-items.ts';

export interface Window {
  from: number;
  /** min(period end, now): nothing after it counts. */
  asOf: number;
  /** asOf is now (the period is not over): everything recorded so far happened before it. */
  live?: boolean;
}

/** Counts of one (grid, department) cell; department null for what has none (registration, intake). */
export interface CellCounts {
  gridId: number;
  departmentId: number | null;
  counts: Partial<Measures>;
}

const n = (v: unknown) => Number(v ?? 0);
const inWindow = (column: string, w: Window) => sql<boolean>`(${sql.ref(column)} >= ${w.from} and ${sql.ref(column)} < ${w.asOf})`;
const countIf = (cond: RawBuilder<boolean>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
const publicSource = (column: string) => sql<boolean>`${sql.ref(column)} in (${sql.join(PUBLIC_SOURCE_CODES)})`;

/** One pass over the cases that were reported, registered, closed or called back in the window. */
export async function caseCells(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('cases as c')
    .where((eb) => eb.or([
      eb.and([eb('c.reported_at', '>=', w.from), eb('c.reported_at', '<', w.asOf)]),
      eb.and([eb('c.registered_at', '>=', w.from), eb('c.registered_at', '<', w.asOf)]),
      eb.and([eb('c.closed_at', '>=', w.from), eb('c.closed_at', '<', w.asOf)]),
      eb.and([eb('c.rated_at', '>=', w.from), eb('c.rated_at', '<', w.asOf)]),
    ]))
    .select(['c.grid_id', 'c.department_id'])
    .select([
      countIf(inWindow('c.reported_at', w)).as('reported'),
      countIf(sql`${inWindow('c.reported_at', w)} and ${publicSource('c.source')}`).as('complaints_received'),
      countIf(sql`${inWindow('c.reported_at', w)} and ${publicSource('c.source')} and c.first_dispatched_at < ${w.asOf}`).as('complaints_routed'),
      countIf(inWindow('c.registered_at', w)).as('registered'),
      countIf(sql`${inWindow('c.registered_at', w)} and c.source = 'inspector'`).as('registered_inspector'),
      countIf(sql`${inWindow('c.registered_at', w)} and ${publicSource('c.source')}`).as('registered_public'),
      countIf(inWindow('c.closed_at', w)).as('closed'),
      countIf(sql`${inWindow('c.closed_at', w)} and c.overdue_rounds = 0`).as('closed_on_time'),
      countIf(inWindow('c.rated_at', w)).as('callbacks'),
      countIf(sql`${inWindow('c.rated_at', w)} and c.satisfaction in (${sql.join(SATISFIED_LEVELS)})`).as('satisfied'),
    ])
    .groupBy(['c.grid_id', 'c.department_id'])
    .execute();
  // Intake and registration belong to the territory only (no department held them); the closing and the
  // callback to the department that handled the case last.
  return rows.flatMap((r) => [
    {
      gridId: r.grid_id, departmentId: null,
      counts: {
        reported: n(r.reported), complaints_received: n(r.complaints_received), complaints_routed: n(r.complaints_routed),
        registered: n(r.registered), registered_inspector: n(r.registered_inspector), registered_public: n(r.registered_public),
      },
    },
    { gridId: r.grid_id, departmentId: r.department_id, counts: { closed: n(r.closed), closed_on_time: n(r.closed_on_time), callbacks: n(r.callbacks), satisfied: n(r.satisfied) } },
  ]);
}

const unhandledAtEnd = (w: Window) => sql<boolean>`(r.handled_at is null or r.handled_at >= ${w.asOf})`;

/** Round counts of single instants (dispatch, feedback, rework) read from the rounds of the window. */
export async function roundCellsFromRows(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('handling_rounds as r')
    .where((eb) => eb.or([
      eb.and([eb('r.started_at', '>=', w.from), eb('r.started_at', '<', w.asOf)]),
      eb.and([eb('r.handled_at', '>=', w.from), eb('r.handled_at', '<', w.asOf)]),
      eb.and([eb('r.reworked_at', '>=', w.from), eb('r.reworked_at', '<', w.asOf)]),
    ]))
    .select(['r.grid_id', 'r.department_id'])
    .select([
      countIf(sql`${inWindow('r.started_at', w)} and r.kind = 'dispatch'`).as('dispatched'),
      countIf(inWindow('r.handled_at', w)).as('handled'),
      countIf(sql`${inWindow('r.handled_at', w)} and r.overdue_at is null`).as('handled_on_time'),
      countIf(inWindow('r.reworked_at', w)).as('reworked'),
      countIf(sql`r.source = 'third_party' and ${inWindow('r.handled_at', w)}`).as('rect_handled'),
      countIf(sql`r.source = 'third_party' and ${inWindow('r.handled_at', w)} and r.overdue_at is null`).as('rectified_on_time'),
    ])
    .groupBy(['r.grid_id', 'r.department_id'])
    .execute();
  return rows.map((r) => ({
    gridId: r.grid_id, departmentId: r.department_id,
    counts: {
      dispatched: n(r.dispatched), handled: n(r.handled), handled_on_time: n(r.handled_on_time), due_to_handle: n(r.handled), reworked: n(r.reworked),
      rectification_due: n(r.rect_handled), rectified_on_time: n(r.rectified_on_time),
    },
  }));
}

/**
 * Rounds still running past a deadline that fell in the window, whose overdue instant no step has
 * recorded yet: from the partial index on open rounds (few rows). Whether the instant is recorded is
 * checked here, not in SQL, where a test on overdue_at would steer SQLite to the index of recorded
 * instants, in which almost every round has none.
 */
export async function runningPastDue(db: Executor, w: Window) {
  const rows = await db.selectFrom('handling_rounds as r')
    .where('r.ended_at', 'is', null).where('r.due_at', '>=', w.from).where('r.due_at', '<', w.asOf)
    .select(['r.case_id', 'r.grid_id', 'r.department_id', 'r.source', 'r.overdue_at', 'r.handled_at', 'r.case_closed_at'])
    .execute();
  return rows.filter((r) => r.overdue_at === null);
}

export type RunningPastDue = Awaited<ReturnType<typeof runningPastDue>>;

const unhandledBy = (asOf: number) => (r: { handled_at: number | null }) => r.handled_at === null || r.handled_at >= asOf;

/** The rounds of runningPastDue as cells: each went overdue in the window; those not reported back by its end are due to handle too. */
export function runningOverdueCells(running: RunningPastDue, asOf: number): CellCounts[] {
  const cells = new Map<string, CellCounts & { counts: { overdue: number; due_to_handle: number; rectification_due: number } }>();
  for (const r of running) {
    const key = `${r.grid_id}:${r.department_id}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { gridId: r.grid_id, departmentId: r.department_id, counts: { overdue: 0, due_to_handle: 0, rectification_due: 0 } }));
    const unhandled = unhandledBy(asOf)(r) ? 1 : 0;
    cell.counts.overdue += 1;
    cell.counts.due_to_handle += unhandled;
    if (r.source === 'third_party') cell.counts.rectification_due += unhandled;
  }
  return [...cells.values()];
}

/**
 * Rounds whose overdue instant a later step recorded in the window, and of those the ones not reported
 * back by its end (they are due to handle too). Rounds still running past due: runningOverdueCells.
 */
export async function recordedOverdueCells(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('handling_rounds as r')
    .where('r.overdue_at', '>=', w.from).where('r.overdue_at', '<', w.asOf)
    .select(['r.grid_id', 'r.department_id'])
    .select([
      sql<number>`count(*)`.as('overdue'),
      countIf(unhandledAtEnd(w)).as('overdue_unhandled'),
      countIf(sql`r.source = 'third_party' and ${unhandledAtEnd(w)}`).as('rect_overdue_unhandled'),
    ])
    .groupBy(['r.grid_id', 'r.department_id'])
    .execute();
  return rows.map((r) => ({ gridId: r.grid_id, departmentId: r.department_id, counts: { overdue: n(r.overdue), due_to_handle: n(r.overdue_unhandled), rectification_due: n(r.rect_overdue_unhandled) } }));
}

/**
 * 超期未结案: cases not closed by asOf with a round that went overdue in the window, counted once per
 * grid (for territories) and once per department of such a round (for departments). The recorded
 * overdue instants are one range of an index that also holds the case's closing instant; the rounds
 * still running are runningPastDue's, read once by the caller. Both distinct counts are taken from these (few) rounds here.
 */
export async function overdueUnclosed(db: Executor, w: Window, running: RunningPastDue): Promise<{ byGrid: Map<number, number>; byDepartment: Map<number, number> }> {
  const openAtEnd = (r: { case_closed_at: number | null }) => r.case_closed_at === null || r.case_closed_at >= w.asOf;
  const recorded = await db.selectFrom('handling_rounds as r')
    .where('r.overdue_at', '>=', w.from).where('r.overdue_at', '<', w.asOf)
    .where((eb) => eb.or([eb('r.case_closed_at', 'is', null), eb('r.case_closed_at', '>=', w.asOf)]))
    .select(['r.case_id', 'r.grid_id', 'r.department_id'])
    .execute();
  const rows = [...recorded, ...running.filter(openAtEnd)];
  const distinctCases = (key: (r: (typeof rows)[number]) => number) => {
    const cases = new Map<number, Set<number>>();
    for (const r of rows) {
      const set = cases.get(key(r));
      if (set) set.add(r.case_id);
      else cases.set(key(r), new Set([r.case_id]));
    }
    return new Map([...cases].map(([k, set]) => [k, set.size]));
  };
  return { byGrid: distinctCases((r) => r.grid_id), byDepartment: distinctCases((r) => r.department_id) };
}

/** The dispatcher's rulings in the window (延期, 回退, 挂账), by the case's grid and the department ruled for. */
export async function rulingCells(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .where('e.action', 'in', Object.keys(RULING_COUNTS)).where('e.at', '>=', w.from).where('e.at', '<', w.asOf)
    .select(['c.grid_id', 'e.department_id', 'e.action', sql<number>`count(*)`.as('n')])
    .groupBy(['c.grid_id', 'e.department_id', 'e.action'])
    .execute();
  return rows.map((r) => ({ gridId: r.grid_id, departmentId: r.department_id, counts: { [RULING_COUNTS[r.action]! as MeasureCode]: n(r.n) } }));
}

/**
 * Registrations in the window whose case was merged away as a duplicate by asOf, per person: the
 * inaccurate ones (registrations_accurate = registrations − these). It starts from the few merged
 * cases and reads their events by case (the conditions on the event stay in the count, so that no
 * database walks the month's registrations instead); persons with none come back with 0.
 */
export function mergedRegistrations(db: Executor, w: Window) {
  return db.selectFrom('cases as c').innerJoin('case_events as e', 'e.case_id', 'c.id')
    .where('c.state', '=', 'merged').where('c.ended_at', '<', w.asOf)
    .select(['e.actor_id', countIf(sql`e.action = 'register' and e.at >= ${w.from} and e.at < ${w.asOf} and e.actor_kind = 'user'`).as('n')])
    .groupBy('e.actor_id').execute();
}

/** Dispatches per dispatcher that were not returned as wrong. */
export function dispatchAccuracy(db: Executor, w: Window) {
  return db.selectFrom('handling_rounds as r')
    .where('r.kind', '=', 'dispatch').where('r.started_at', '>=', w.from).where('r.started_at', '<', w.asOf).where('r.started_by', 'is not', null)
    .select(['r.started_by', countIf(sql`not (coalesce(r.end_kind, '') = 'returned' and coalesce(r.ended_at, ${w.asOf}) < ${w.asOf})`).as('accurate')])
    .groupBy('r.started_by').execute();
}

/** Inspectors' own reports, and those registered. */
export function inspectorReports(db: Executor, w: Window) {
  return db.selectFrom('cases as c')
    .where('c.reported_at', '>=', w.from).where('c.reported_at', '<', w.asOf).where('c.source', '=', 'inspector').where('c.reported_by_kind', '=', 'user')
    .select(['c.reported_by_id', sql<number>`count(*)`.as('made'), countIf(sql`c.registered_at < ${w.asOf}`).as('valid')])
    .groupBy('c.reported_by_id').execute();
}

/** The person counts the records give beside the post steps: reports made and valid, accurate dispatches, merged registrations. */
export type PersonTally = Partial<Record<'reports_made' | 'reports_valid' | 'dispatches_accurate' | 'registrations_merged', number>>;

export async function personTallies(db: Executor, w: Window): Promise<Map<number, PersonTally>> {
  const [merged, dispatches, reports] = await Promise.all([mergedRegistrations(db, w), dispatchAccuracy(db, w), inspectorReports(db, w)]);
  const out = new Map<number, PersonTally>();
  const add = (person: number | null, key: keyof PersonTally, value: number) => {
    if (person === null || !value) return;
    const t = out.get(person) ?? {};
    t[key] = (t[key] ?? 0) + value;
    out.set(person, t);
  };
  for (const m of merged) add(m.actor_id, 'registrations_merged', n(m.n));
  for (const d of dispatches) add(d.started_by, 'dispatches_accurate', n(d.accurate));
  for (const r of reports) { add(r.reported_by_id, 'reports_made', n(r.made)); add(r.reported_by_id, 'reports_valid', n(r.valid)); }
  return out;
}
