// The workbench's counts (工作台): how many cases of each state are in one's scope, and how many of them
// are red or yellow now, in one grouped query instead of a list request per tile.
import { sql } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { CASE_STATES, OPEN_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import type { Executor } from '../db/database.ts';
import { lightClockSql, scopedCases, type CaseListFilter, type CaseQuery } from './cases.queries.ts';

export interface StateCount {
  state: string;
  stateLabel: string;
  total: number;
  /** Past the clock that matters now (the handling clock while a department holds the case, else the stage's). */
  red: number;
  /** Inside the warning time of that clock. */
  yellow: number;
}


export async function caseSummary(db: Executor, actor: Actor, filter: Omit<CaseListFilter, 'light' | 'sort' | 'limit' | 'offset'>, now: number): Promise<{ items: StateCount[]; total: number }> {
  // Without states, the open ones: every closed case of the city's history would be counted (20 s at
  // 10,000,000 cases), and years of closed cases are a report, not a tile.
  const states = filter.states?.length ? filter.states : [...OPEN_STATES];
  const scoped = scopedCases(db, actor, { ...filter, states, sort: 'reported_desc', limit: 0, offset: 0 }, now);
  const { due, warn } = lightClockSql();
  const rows = await scoped.select([
    'c.state',
    (eb) => eb.fn.countAll<number | string>().as('total'),
    sql<number | string>`sum(case when ${due} < ${now} then 1 else 0 end)`.as('red'),
    sql<number | string>`sum(case when ${due} >= ${now} and ${warn} <= ${now} then 1 else 0 end)`.as('yellow'),
  ]).groupBy('c.state').execute();
  const order = Object.keys(CASE_STATES);
  const items = rows
    .map((r) => ({ state: r.state, stateLabel: CASE_STATES[r.state as CaseState]?.zh ?? r.state, total: Number(r.total), red: Number(r.red ?? 0), yellow: Number(r.yellow ?? 0) }))
    .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
  return { items, total: items.reduce((n, r) => n + r.total, 0) };
}
