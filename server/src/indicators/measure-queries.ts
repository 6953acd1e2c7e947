// The counts of domain/src/indicators/measures.ts in SQL, for one period [from, asOf): a few grouped
// scans, each over one index range, that run the same on SQLite and PostgreSQL. Nothing here loads
// cases; each query returns one row per (grid, department) or per person. Definitions: docs/indicators.md.
import { CASE_SOURCES } from '@cityops/domain/workflow/case-sources';
import type { MeasureCode, Measures } from '@cityops/domain/indicators/measures';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import { POST_ACTIONS, postStepsInWindow } from './kept-post-steps.ts';
import { keptRoundCells, keptSpan } from './kept-round-cells.ts';

export interface Window {
  from: number;
  /** min(period end, now): nothing after it counts. */
  asOf: number;
}

/** Counts of one (grid, department) cell; department null for what has none (registration, intake). */
export interface CellCounts {
  gridId: number;
  departmentId: number | null;
  counts: Partial<Measures>;
}

const PUBLIC_SOURCES = Object.entries(CASE_SOURCES).filter(([, s]) => s.fromPublic).map(([k]) => k);
const n = (v: unknown) => Number(v ?? 0);
const inWindow = (column: string, w: Window) => sql<boolean>`(${sql.ref(column)} >= ${w.from} and ${sql.ref(column)} < ${w.asOf})`;
const countIf = (cond: RawBuilder<boolean>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
const publicSource = (column: string) => sql<boolean>`${sql.ref(column)} in (${sql.join(PUBLIC_SOURCES)})`;

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
      countIf(sql`${inWindow('c.rated_at', w)} and c.satisfaction in ('satisfied', 'basically_satisfied')`).as('satisfied'),
    ])
    .groupBy(['c.grid_id', 'c.department_id'])
    .execute();
  return rows.map((r) => ({
    gridId: r.grid_id, departmentId: r.department_id,
    counts: {
      reported: n(r.reported), complaints_received: n(r.complaints_received), complaints_routed: n(r.complaints_routed),
      registered: n(r.registered), registered_inspector: n(r.registered_inspector), registered_public: n(r.registered_public),
      closed: n(r.closed), closed_on_time: n(r.closed_on_time), callbacks: n(r.callbacks), satisfied: n(r.satisfied),
    },
  }));
}

const unhandledAtEnd = (w: Window) => sql<boolean>`(r.handled_at is null or r.handled_at >= ${w.asOf})`;

/** Round counts of single instants (dispatch, feedback, rework) read from the rounds of the window. */
async function roundCellsFromRows(db: Executor, w: Window): Promise<CellCounts[]> {
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

/** Rounds that went overdue in the window (recorded, or still running past their deadline), and those not reported back by its end. */
async function overdueRoundCells(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('handling_rounds as r')
    .where((eb) => eb.or([
      eb.and([eb('r.overdue_at', '>=', w.from), eb('r.overdue_at', '<', w.asOf)]),
      eb.and([eb('r.overdue_at', 'is', null), eb('r.ended_at', 'is', null), eb('r.due_at', '>=', w.from), eb('r.due_at', '<', w.asOf)]),
    ]))
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
 * The round counts of the window: whole half-months from the kept counts (kept-round-cells.ts), the
 * rest of the window from the rounds, and the overdue counts (which depend on the window's end) always
 * from the rounds. `useKept: false` reads everything from the rounds (the reference).
 */
export async function roundCells(db: Executor, w: Window, options: { useKept?: boolean } = {}): Promise<CellCounts[]> {
  const span = options.useKept === false ? null : keptSpan(w);
  const [kept, rest, overdue] = await Promise.all([
    span ? keptRoundCells(db, span.fromHalf, span.toHalf) : Promise.resolve([]),
    span ? (span.coveredTo < w.asOf ? roundCellsFromRows(db, { from: span.coveredTo, asOf: w.asOf }) : Promise.resolve([])) : roundCellsFromRows(db, w),
    overdueRoundCells(db, w),
  ]);
  return [...kept, ...rest, ...overdue];
}

/**
 * 超期未结案: cases not closed by asOf with a round that went overdue in the window, counted once per
 * grid (for territories) and once per department of such a round (for departments). One pass returns
 * the (few) such rounds; both distinct counts are taken from them here.
 */
export async function overdueUnclosed(db: Executor, w: Window): Promise<{ byGrid: Map<number, number>; byDepartment: Map<number, number> }> {
  const rows = await db.selectFrom('handling_rounds as r').innerJoin('cases as c', 'c.id', 'r.case_id')
    .where((eb) => eb.or([
      eb.and([eb('r.overdue_at', '>=', w.from), eb('r.overdue_at', '<', w.asOf)]),
      eb.and([eb('r.overdue_at', 'is', null), eb('r.ended_at', 'is', null), eb('r.due_at', '>=', w.from), eb('r.due_at', '<', w.asOf)]),
    ]))
    .where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>=', w.asOf)]))
    .select(['r.case_id', 'c.grid_id', 'r.department_id'])
    .execute();
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

const RULINGS: Record<string, MeasureCode> = { approve_extension: 'extended', approve_return: 'returned', approve_suspension: 'suspended' };

/** The dispatcher's rulings in the window (延期, 回退, 挂账), by the case's grid and the department ruled for. */
export async function rulingCells(db: Executor, w: Window): Promise<CellCounts[]> {
  const rows = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .where('e.action', 'in', Object.keys(RULINGS)).where('e.at', '>=', w.from).where('e.at', '<', w.asOf)
    .select(['c.grid_id', 'e.department_id', 'e.action', sql<number>`count(*)`.as('n')])
    .groupBy(['c.grid_id', 'e.department_id', 'e.action'])
    .execute();
  return rows.map((r) => ({ gridId: r.grid_id, departmentId: r.department_id, counts: { [RULINGS[r.action]!]: n(r.n) } }));
}

export interface PeriodCells {
  cells: CellCounts[];
  overdueUnclosedByGrid: Map<number, number>;
  overdueUnclosedByDepartment: Map<number, number>;
}

export async function loadPeriodCells(db: Executor, w: Window): Promise<PeriodCells> {
  const [cases, rounds, unclosed, rulings] = await Promise.all([caseCells(db, w), roundCells(db, w), overdueUnclosed(db, w), rulingCells(db, w)]);
  // One cell per (grid, department), whichever queries it came from.
  const merged = new Map<string, CellCounts>();
  for (const cell of [...cases, ...rounds, ...rulings]) {
    const key = `${cell.gridId}:${cell.departmentId ?? ''}`;
    const into = merged.get(key);
    if (!into) merged.set(key, { gridId: cell.gridId, departmentId: cell.departmentId, counts: { ...cell.counts } });
    else for (const [k, v] of Object.entries(cell.counts)) into.counts[k as MeasureCode] = (into.counts[k as MeasureCode] ?? 0) + (v ?? 0);
  }
  return { cells: [...merged.values()], overdueUnclosedByGrid: unclosed.byGrid, overdueUnclosedByDepartment: unclosed.byDepartment };
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

/** Counts per person (岗位): their steps and whether each ended its stage in time, their reports, their accuracy. */
export async function loadPersonCounts(db: Executor, w: Window): Promise<Map<number, Partial<Measures>>> {
  const [steps, merged, dispatches, reports] = await Promise.all([postStepsInWindow(db, w), mergedRegistrations(db, w), dispatchAccuracy(db, w), inspectorReports(db, w)]);
  const mergedBy = new Map(merged.map((r) => [r.actor_id, n(r.n)]));
  const out = new Map<number, Partial<Measures>>();
  const add = (person: number | null, code: MeasureCode, value: number) => {
    if (person === null) return;
    const m = out.get(person) ?? {};
    m[code] = (m[code] ?? 0) + value;
    out.set(person, m);
  };
  for (const s of steps) for (const [count, onTime] of POST_ACTIONS[s.action] ?? []) { add(s.actor_id, count, n(s.n)); add(s.actor_id, onTime, n(s.on_time)); }
  for (const s of steps) if (s.action === 'register') add(s.actor_id, 'registrations_accurate', n(s.n) - (mergedBy.get(s.actor_id) ?? 0));
  for (const d of dispatches) add(d.started_by, 'dispatches_accurate', n(d.accurate));
  for (const r of reports) { add(r.reported_by_id, 'reports_made', n(r.made)); add(r.reported_by_id, 'reports_valid', n(r.valid)); }
  return out;
}
