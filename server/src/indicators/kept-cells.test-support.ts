// Checks shared by the tests of the kept counts: a window counted with them equals the same window
// counted from the records alone, and the kept rows themselves, in a comparable order.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { halfMonthIndex } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import type { Window } from './measure-queries.ts';
import { loadPeriodCells, loadPersonCounts, type PeriodCells } from './period-counts.ts';

/** The totals by grid and by department, zeros dropped, sorted. */
function normalCells(p: PeriodCells) {
  const normal = (totals: Map<number, Partial<Record<string, number>>>) => [...totals]
    .map(([id, m]) => [id, Object.fromEntries(Object.entries(m).filter(([, v]) => v).sort())] as const)
    .filter(([, m]) => Object.keys(m).length > 0).sort(([a], [b]) => a - b);
  return { grids: normal(p.grids), departments: normal(p.departments) };
}

function normalPersons(m: Map<number, Record<string, number | undefined>>) {
  return [...m.entries()].map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, x]) => x).sort())] as const)
    .filter(([, v]) => Object.keys(v).length > 0).sort(([a], [b]) => a - b);
}

/** Asserts that the window reads the same with the kept counts as from the records; returns the totals (for checks that they are not empty). */
export async function keptAgreesWithRecords(db: Executor, w: Window) {
  const label = `${new Date(w.from).toISOString()} – ${new Date(w.asOf).toISOString()}${w.live ? ' (live)' : ''}`;
  const [kept, records] = await Promise.all([loadPeriodCells(db, w), loadPeriodCells(db, w, { useKept: false })]);
  assert.deepEqual(normalCells(kept), normalCells(records), label);
  const [keptPersons, recordPersons] = await Promise.all([loadPersonCounts(db, w), loadPersonCounts(db, w, { useKept: false })]);
  assert.deepEqual(normalPersons(keptPersons), normalPersons(recordPersons), label);
  return normalCells(kept);
}

/** The newest instant of any case or step: a window running to just after it sees everything recorded. */
export async function latestFact(db: Executor): Promise<number> {
  const row = await sql<{ at: number | null }>`select max(at) as at from (select max(at) as at from case_events union all select max(reported_at) from cases) t`.execute(db);
  return Math.max(Number(row.rows[0]?.at ?? 0), Date.now());
}

/** Every kept row, without the zero rows an upsert may leave, in key order. */
export async function keptRows(db: Executor) {
  const cells = await db.selectFrom('kept_cells').selectAll().orderBy('since_half').orderBy('half').orderBy('grid_id').orderBy('department_id').execute();
  const persons = await db.selectFrom('kept_person_cells').selectAll().orderBy('since_half').orderBy('half').orderBy('person_id').execute();
  const steps = await db.selectFrom('kept_post_steps').selectAll().orderBy('day').orderBy('actor_id').orderBy('action').execute();
  const gridReports = await db.selectFrom('kept_grid_reports').selectAll().orderBy('half').orderBy('grid_id').execute();
  // The reports kept per grid and half-month are the cases counted the same way from the records.
  const counted = await db.selectFrom('cases').select(['grid_id', 'reported_at']).execute();
  const expected = new Map<string, number>();
  for (const c of counted) expected.set(`${halfMonthIndex(c.reported_at)}:${c.grid_id}`, (expected.get(`${halfMonthIndex(c.reported_at)}:${c.grid_id}`) ?? 0) + 1);
  assert.deepEqual(
    new Map(gridReports.filter((r) => Number(r.reported) !== 0).map((r) => [`${r.half}:${r.grid_id}`, Number(r.reported)])),
    expected,
    'kept_grid_reports holds each grid\'s reports per half-month',
  );
  const yearRows = await db.selectFrom('kept_grid_year_reports').selectAll().execute();
  const expectedYears = new Map<string, number>();
  for (const c of counted) {
    const key = `${new Date(c.reported_at + 8 * 3_600_000).getUTCFullYear()}:${c.grid_id}`;
    expectedYears.set(key, (expectedYears.get(key) ?? 0) + 1);
  }
  assert.deepEqual(new Map(yearRows.filter((r) => Number(r.reported) !== 0).map((r) => [`${r.year}:${r.grid_id}`, Number(r.reported)])), expectedYears, 'kept_grid_year_reports holds each grid\'s reports per year');
  const nonZero = <T extends Record<string, unknown>>(rows: T[], keys: string[]) => rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])))
    .filter((r) => Object.entries(r).some(([k, v]) => !keys.includes(k) && v !== 0));
  return {
    cells: nonZero(cells, ['since_half', 'half', 'grid_id', 'department_id']),
    persons: nonZero(persons, ['since_half', 'half', 'person_id']),
    steps: steps.map((r) => ({ ...r, day: Number(r.day), actor_id: Number(r.actor_id), n: Number(r.n), on_time: Number(r.on_time) })),
    gridReports: nonZero(gridReports, ['half', 'grid_id']),
  };
}
