// Handling-round counts kept per half-month and (grid, department) as the rounds change (decision
// 0009): a dispatch counts in the half-month it was made, a feedback (on time or not) and a rework in
// theirs. A period made of whole half-months sums its rows; the rest of a window (a partial day, a
// custom range) and the overdue counts are read from the rounds, which stay the reference.
import { halfMonthIndex, halfMonthStart } from '@cityops/domain/indicators/periods';
import type { Measures } from '@cityops/domain/indicators/measures';
import type { Executor } from '../db/database.ts';
import type { CellCounts, Window } from './measure-queries.ts';

const COUNTS = ['dispatched', 'handled', 'handled_on_time', 'reworked', 'rect_handled', 'rectified_on_time'] as const;
type KeptCount = (typeof COUNTS)[number];

export interface RoundDelta {
  at: number;
  gridId: number;
  departmentId: number;
  counts: Partial<Record<KeptCount, number>>;
}

/** What one round adds, given its facts: its dispatch, its feedback, its rework (each at its own instant). */
export function roundDeltas(r: { kind: string; source: string; gridId: number; departmentId: number; startedAt: number | null; handledAt: number | null; overdueAt: number | null; reworkedAt: number | null }): RoundDelta[] {
  const out: RoundDelta[] = [];
  const base = { gridId: r.gridId, departmentId: r.departmentId };
  if (r.startedAt !== null && r.kind === 'dispatch') out.push({ ...base, at: r.startedAt, counts: { dispatched: 1 } });
  if (r.handledAt !== null) {
    const onTime = r.overdueAt === null ? 1 : 0;
    const rect = r.source === 'third_party' ? 1 : 0;
    out.push({ ...base, at: r.handledAt, counts: { handled: 1, handled_on_time: onTime, rect_handled: rect, rectified_on_time: rect * onTime } });
  }
  if (r.reworkedAt !== null) out.push({ ...base, at: r.reworkedAt, counts: { reworked: 1 } });
  return out;
}

/** What a transition's round plan adds: a dispatch opened, a feedback given, a round sent back for rework. */
export function deltasOfRoundPlan(
  row: { grid_id: number; source: string; department_id: number | null; handling_overdue_at: number | null },
  round: { update: { changes: { handled_at?: number | null; reworked_at?: number | null; overdue_at?: number | null } } | null; open: { kind: string; department_id: number } | null; caseChanges: { handling_overdue_at?: number | null } },
  now: number,
): RoundDelta[] {
  const out: RoundDelta[] = [];
  const changes = round.update?.changes;
  if (changes && row.department_id !== null) {
    const overdueAt = round.caseChanges.handling_overdue_at !== undefined ? round.caseChanges.handling_overdue_at : row.handling_overdue_at;
    if (changes.handled_at != null || changes.reworked_at != null) {
      out.push(...roundDeltas({
        kind: 'rework', source: row.source, gridId: row.grid_id, departmentId: row.department_id, startedAt: null,
        handledAt: changes.handled_at ?? null, overdueAt: overdueAt ?? null, reworkedAt: changes.reworked_at ?? null,
      }));
    }
  }
  if (round.open?.kind === 'dispatch') out.push({ at: now, gridId: row.grid_id, departmentId: round.open.department_id, counts: { dispatched: 1 } });
  return out;
}

export async function keepRoundDeltas(db: Executor, deltas: RoundDelta[]): Promise<void> {
  const byKey = new Map<string, { half: number; grid_id: number; department_id: number } & Record<KeptCount, number>>();
  for (const d of deltas) {
    const half = halfMonthIndex(d.at);
    const key = `${half}:${d.gridId}:${d.departmentId}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { half, grid_id: d.gridId, department_id: d.departmentId, dispatched: 0, handled: 0, handled_on_time: 0, reworked: 0, rect_handled: 0, rectified_on_time: 0 }));
    for (const c of COUNTS) row[c] += d.counts[c] ?? 0;
  }
  const rows = [...byKey.values()];
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('kept_round_cells').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['half', 'grid_id', 'department_id']).doUpdateSet((eb) => Object.fromEntries(
        COUNTS.map((c) => [c, eb(`kept_round_cells.${c}`, '+', eb.ref(`excluded.${c}`))]),
      ) as never))
      .execute();
  }
}

/** Recomputes the kept counts from the rounds, a page at a time (after a bulk load, or to repair). */
export async function rebuildKeptRoundCells(db: Executor): Promise<void> {
  await db.deleteFrom('kept_round_cells').execute();
  let after = 0;
  for (;;) {
    const page = await db.selectFrom('handling_rounds').select(['id', 'kind', 'source', 'grid_id', 'department_id', 'started_at', 'handled_at', 'overdue_at', 'reworked_at'])
      .where('id', '>', after).orderBy('id').limit(20_000).execute();
    if (page.length === 0) return;
    await keepRoundDeltas(db, page.flatMap((r) => roundDeltas({
      kind: r.kind, source: r.source, gridId: r.grid_id, departmentId: r.department_id, startedAt: r.started_at, handledAt: r.handled_at, overdueAt: r.overdue_at, reworkedAt: r.reworked_at,
    })));
    after = page.at(-1)!.id;
  }
}

/**
 * The part of a window that whole half-months cover, from its start: [from, coveredTo). Empty when the
 * window does not start on a half-month boundary.
 */
export function keptSpan(w: Window): { fromHalf: number; toHalf: number; coveredTo: number } | null {
  const fromHalf = halfMonthIndex(w.from);
  if (halfMonthStart(fromHalf) !== w.from) return null;
  const toHalf = halfMonthIndex(w.asOf); // halves before it are whole
  if (toHalf <= fromHalf) return null;
  return { fromHalf, toHalf, coveredTo: halfMonthStart(toHalf) };
}

export async function keptRoundCells(db: Executor, fromHalf: number, toHalf: number): Promise<CellCounts[]> {
  const rows = await db.selectFrom('kept_round_cells').where('half', '>=', fromHalf).where('half', '<', toHalf)
    .select(['grid_id', 'department_id'])
    .select((eb) => COUNTS.map((c) => eb.fn.sum<number>(c).as(c)))
    .groupBy(['grid_id', 'department_id']).execute();
  return rows.map((r) => {
    const counts: Partial<Measures> = {};
    const v = (c: KeptCount) => Number(r[c] ?? 0);
    counts.dispatched = v('dispatched');
    counts.handled = v('handled');
    counts.handled_on_time = v('handled_on_time');
    counts.reworked = v('reworked');
    counts.rectified_on_time = v('rectified_on_time');
    // 应处置 and 应整改 add the overdue-unhandled rounds, read from the rounds by the caller.
    counts.due_to_handle = v('handled');
    counts.rectification_due = v('rect_handled');
    return { gridId: r.grid_id, departmentId: r.department_id, counts };
  });
}
