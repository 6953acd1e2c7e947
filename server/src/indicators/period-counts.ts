// The counts of one window, put together: the whole half-months the kept counts answer (kept-cells.ts),
// the rest of the window from the records (measure-queries.ts), and what depends on the window's end in
// a way no half-month key holds: rounds still running past their deadline, and 超期未结案, a count of
// distinct cases. `useKept: false` counts everything from the records: the reference the tests hold
// the kept counts to.
import type { MeasureCode, Measures } from '@cityops/domain/indicators/measures';
import type { Executor } from '../db/database.ts';
import { keptSpan, readKeptCells, readKeptPersonCells } from './kept-cells.ts';
import { POST_ACTIONS, postStepsFromEvents, postStepsInWindow } from './kept-post-steps.ts';
import {
  caseCells, overdueUnclosed, recordedOverdueCells, runningOverdueCells, runningPastDue, personTallies, roundCellsFromRows, rulingCells,
  type CellCounts, type PersonTally, type Window,
} from './measure-queries.ts';

/**
 * The counts of a window by grid (every count, for the territory tree) and by department (those a
 * department holds), 应结案 included: the closed cases and, counted once per grid or department, the
 * cases overdue in the window and not closed by its end.
 */
export interface PeriodCells {
  grids: Map<number, Partial<Measures>>;
  departments: Map<number, Partial<Measures>>;
}

export interface CountOptions {
  useKept?: boolean;
}

/** The kept half-months of the window, and the part of it left to the records (null: none). */
function split(w: Window, options: CountOptions) {
  const span = options.useKept === false ? null : keptSpan(w);
  const rest: Window | null = span === null ? w : span.coveredTo < w.asOf ? { from: span.coveredTo, asOf: w.asOf, live: w.live } : null;
  return { span, rest };
}

type KeptCounts = Awaited<ReturnType<typeof readKeptCells>>['grids'][number]['counts'];

function measuresOfKept(k: KeptCounts): Partial<Measures> {
  return {
    reported: k.reported, complaints_received: k.complaints_received, complaints_routed: k.complaints_routed,
    registered: k.registered, registered_inspector: k.registered_inspector, registered_public: k.registered_public,
    closed: k.closed, closed_on_time: k.closed_on_time, callbacks: k.callbacks, satisfied: k.satisfied,
    dispatched: k.dispatched, handled: k.handled, handled_on_time: k.handled_on_time, reworked: k.reworked, rectified_on_time: k.rectified_on_time,
    overdue: k.overdue, extended: k.extended, returned: k.returned, suspended: k.suspended,
    // 应处置 / 应整改: reported back in the window, plus gone overdue in it and not reported back by its end.
    due_to_handle: k.handled + k.overdue - k.overdue_handled,
    rectification_due: k.rect_handled + k.rect_overdue - k.rect_overdue_handled,
  };
}

function addInto(map: Map<number, Partial<Measures>>, id: number, counts: Partial<Measures>): void {
  const into = map.get(id);
  if (!into) map.set(id, { ...counts });
  else for (const [k, v] of Object.entries(counts)) into[k as MeasureCode] = (into[k as MeasureCode] ?? 0) + (v ?? 0);
}

/** Every cell count of a window counted from the records, but for the rounds still running (counted over the whole window apart). */
async function cellsFromRecords(db: Executor, w: Window): Promise<CellCounts[]> {
  const parts = await Promise.all([caseCells(db, w), roundCellsFromRows(db, w), recordedOverdueCells(db, w), rulingCells(db, w)]);
  return parts.flat();
}

export async function loadPeriodCells(db: Executor, w: Window, options: CountOptions = {}): Promise<PeriodCells> {
  const { span, rest } = split(w, options);
  // The rounds still running past due are read once: they feed both the overdue cells and 超期未结案.
  const runningRows = await runningPastDue(db, w);
  const [kept, recorded, unclosed] = await Promise.all([
    span ? readKeptCells(db, span) : { grids: [], departments: [] },
    rest ? cellsFromRecords(db, rest) : [],
    overdueUnclosed(db, w, runningRows),
  ]);
  const running = runningOverdueCells(runningRows, w.asOf);
  const grids = new Map<number, Partial<Measures>>();
  const departments = new Map<number, Partial<Measures>>();
  for (const g of kept.grids) addInto(grids, g.id, measuresOfKept(g.counts));
  for (const d of kept.departments) addInto(departments, d.id, measuresOfKept(d.counts));
  for (const cell of [...recorded, ...running]) {
    addInto(grids, cell.gridId, cell.counts);
    if (cell.departmentId !== null) addInto(departments, cell.departmentId, cell.counts);
  }
  // 应结案 = 结案 + 超期未结案, the latter a distinct count per grid and per department.
  for (const [totals, overdueUnclosedBy] of [[grids, unclosed.byGrid], [departments, unclosed.byDepartment]] as const) {
    for (const [id, count] of overdueUnclosedBy) addInto(totals, id, { due_to_close: count });
    for (const m of totals.values()) m.due_to_close = (m.due_to_close ?? 0) + (m.closed ?? 0);
  }
  return { grids, departments };
}

async function keptPersonTallies(db: Executor, span: NonNullable<ReturnType<typeof keptSpan>>): Promise<Map<number, PersonTally>> {
  const rows = await readKeptPersonCells(db, span);
  return new Map(rows.map(({ personId, counts: k }) => [personId, {
    reports_made: k.reports_made, reports_valid: k.reports_valid,
    dispatches_accurate: k.dispatch_rounds - k.dispatches_returned, registrations_merged: k.registrations_merged,
  }]));
}

/** Counts per person (岗位): their steps and whether each ended its stage in time, their reports, their accuracy. */
export async function loadPersonCounts(db: Executor, w: Window, options: CountOptions = {}): Promise<Map<number, Partial<Measures>>> {
  const { span, rest } = split(w, options);
  const [steps, kept, recorded] = await Promise.all([
    options.useKept === false ? postStepsFromEvents(db, w.from, w.asOf) : postStepsInWindow(db, w),
    span ? keptPersonTallies(db, span) : new Map<number, PersonTally>(),
    rest ? personTallies(db, rest) : new Map<number, PersonTally>(),
  ]);
  const out = new Map<number, Partial<Measures>>();
  const merged = new Map<number, number>();
  const add = (person: number, code: MeasureCode, value: number) => {
    if (!value) return;
    const m = out.get(person) ?? {};
    m[code] = (m[code] ?? 0) + value;
    out.set(person, m);
  };
  for (const s of steps) for (const [count, onTime] of POST_ACTIONS[s.action] ?? []) { add(s.actor_id, count, s.n); add(s.actor_id, onTime, s.on_time); }
  for (const tallies of [kept, recorded]) {
    for (const [person, t] of tallies) {
      add(person, 'reports_made', t.reports_made ?? 0);
      add(person, 'reports_valid', t.reports_valid ?? 0);
      add(person, 'dispatches_accurate', t.dispatches_accurate ?? 0);
      merged.set(person, (merged.get(person) ?? 0) + (t.registrations_merged ?? 0));
    }
  }
  // 准确立案 = registrations less those merged away as duplicates by the window's end.
  for (const [person, m] of out) if (m.registrations) m.registrations_accurate = m.registrations - (merged.get(person) ?? 0);
  return out;
}
