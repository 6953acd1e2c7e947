// Reads cases and their timelines straight from the database and replays each timeline through the
// workflow table: what a crash or a race could leave behind (a state no step leads to, a step taken
// twice, an event without its state change, a counter or an application that the steps do not explain)
// shows here as a named problem, whatever the API would say about it.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { halfMonthIndex, halfMonthStart } from '@cityops/domain/indicators/periods';
import { CASE_STATES, isCaseState } from '@cityops/domain/workflow/case-states';
import { CASE_SOURCES, isCaseSource } from '@cityops/domain/workflow/case-sources';
import { transitionFor, type CaseCounter } from '@cityops/domain/workflow/transitions';
import type { Executor } from '../../server/src/db/database.ts';
import { keptAgreesWithRecords } from '../../server/src/indicators/kept-cells.test-support.ts';
import { beijingDayOf, postStepsFromEvents } from '../../server/src/indicators/kept-post-steps.ts';

export interface WorkflowAudit {
  cases: number;
  events: number;
  /** One line per broken rule, naming the case; empty when every case is consistent. */
  problems: string[];
}

const COUNTER_COLUMNS = { returns: 'returns_count', extensions: 'extensions_count', suspensions: 'suspensions_count', reworks: 'reworks_count' } as const satisfies Record<CaseCounter, string>;
const PAGE = 5_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;

type CaseRow = {
  id: number; code: string; state: string; source: string; version: number; application: string | null; merged_into_id: number | null;
  ended_at: number | null; closed_at: number | null; department_id: number | null;
} & Record<(typeof COUNTER_COLUMNS)[CaseCounter], number>;
type EventRow = { case_id: number; seq: number; action: string; from_state: string | null; to_state: string };

/** The problems of one case's timeline (events in seq order) against the table and the case row. */
export function auditTimeline(c: CaseRow, events: EventRow[]): string[] {
  const problems: string[] = [];
  const say = (message: string) => problems.push(`case ${c.id} (${c.code}): ${message}`);
  if (!isCaseState(c.state)) say(`state ${c.state} is not a workflow state`);
  if (!isCaseSource(c.source)) say(`source ${c.source} is unknown`);
  if (!events.length) return [...problems, `case ${c.id} (${c.code}): no events`];
  events.forEach((e, i) => { if (e.seq !== i + 1) say(`event seq ${e.seq} at position ${i + 1}`); });
  const [first, ...steps] = events;
  if (first!.action !== 'report' || first!.from_state !== null) say(`first event is ${first!.action} from ${first!.from_state}`);
  if (isCaseSource(c.source) && first!.to_state !== CASE_SOURCES[c.source].intakeState) say(`reported into ${first!.to_state}, the source ${c.source} starts in ${CASE_SOURCES[c.source].intakeState}`);
  let state = first!.to_state;
  let application: string | null = null;
  const counted: Record<CaseCounter, number> = { returns: 0, extensions: 0, suspensions: 0, reworks: 0 };
  for (const e of steps) {
    const row = transitionFor(e.action);
    if (!row) { say(`event ${e.seq}: unknown action ${e.action}`); continue; }
    if (e.from_state !== state) say(`event ${e.seq} (${e.action}) starts from ${e.from_state}, the case was ${state}`);
    if (!(row.from as readonly string[]).includes(state)) say(`event ${e.seq}: ${e.action} is not allowed from ${state}`);
    const to = row.to === 'same' ? state : row.to;
    if (e.to_state !== to) say(`event ${e.seq}: ${e.action} from ${state} leads to ${to}, recorded ${e.to_state}`);
    state = e.to_state;
    if (row.application !== undefined) application = row.application;
    if (row.count) counted[row.count]++;
  }
  if (state !== c.state) say(`the timeline ends in ${state}, the case is ${c.state}`);
  // Each step writes its event and the next version in one transaction: one event more than steps taken.
  if (c.version !== events.length) say(`version ${c.version} after ${events.length} events`);
  if (application !== c.application) say(`application ${c.application}, the steps leave ${application}`);
  for (const [counter, column] of Object.entries(COUNTER_COLUMNS) as [CaseCounter, (typeof COUNTER_COLUMNS)[CaseCounter]][]) {
    if (c[column] !== counted[counter]) say(`${column} ${c[column]}, the steps count ${counted[counter]}`);
  }
  if (isCaseState(c.state)) {
    if (CASE_STATES[c.state].terminal !== (c.ended_at !== null)) say(`state ${c.state} with ended_at ${c.ended_at}`);
    if ((c.state === 'closed') !== (c.closed_at !== null)) say(`state ${c.state} with closed_at ${c.closed_at}`);
    if ((c.state === 'merged') !== (c.merged_into_id !== null)) say(`state ${c.state} with merged_into_id ${c.merged_into_id}`);
  }
  return problems;
}

/** Audits the cases with id ≥ fromId (every case by default), a page at a time, and the uniqueness of case numbers. */
export async function auditCases(db: Executor, options: { fromId?: number } = {}): Promise<WorkflowAudit> {
  const audit: WorkflowAudit = { cases: 0, events: 0, problems: [] };
  for (let after = (options.fromId ?? 1) - 1; ;) {
    const cases = await db.selectFrom('cases')
      .select(['id', 'code', 'state', 'source', 'version', 'application', 'merged_into_id', 'ended_at', 'closed_at', 'department_id', ...Object.values(COUNTER_COLUMNS)])
      .where('id', '>', after).orderBy('id').limit(PAGE).execute() as CaseRow[];
    if (!cases.length) break;
    const last = cases.at(-1)!.id;
    const events = await db.selectFrom('case_events').select(['case_id', 'seq', 'action', 'from_state', 'to_state'])
      .where('case_id', '>', after).where('case_id', '<=', last).orderBy('case_id').orderBy('seq').execute();
    const byCase = new Map<number, EventRow[]>();
    for (const e of events) {
      const list = byCase.get(e.case_id);
      if (list) list.push(e); else byCase.set(e.case_id, [e]);
    }
    for (const c of cases) audit.problems.push(...auditTimeline(c, byCase.get(c.id) ?? []));
    audit.cases += cases.length;
    audit.events += events.length;
    after = last;
  }
  const doubled = await db.selectFrom('cases').select(['code', sql<number>`count(*)`.as('n')]).groupBy('code').having(sql`count(*)`, '>', 1).execute();
  for (const d of doubled) audit.problems.push(`case number ${d.code} is held by ${d.n} cases`);
  const orphans = await sql<{ n: number }>`select count(*) as n from case_events e where not exists (select 1 from cases c where c.id = e.case_id)`.execute(db);
  if (Number(orphans.rows[0]?.n) > 0) audit.problems.push(`${orphans.rows[0]!.n} events belong to no case`);
  return audit;
}

/**
 * The kept counts (decision 0009) agree with the records for what happened from `since` to now: the kept
 * cells of the last and the current half-month read as a bounded window against the same window counted from
 * the records, and the post steps kept per day against the step events of those days. Both are written in
 * the transaction of each step, so a lost or doubled additive upsert (two writers on one row, or a crash
 * between a step and its count) shows here.
 */
export async function keptCountsAgree(db: Executor, since: number, now = Date.now()): Promise<{ steps: number }> {
  const half = halfMonthIndex(now);
  await keptAgreesWithRecords(db, { from: halfMonthStart(Math.min(half - 1, halfMonthIndex(since))), asOf: halfMonthStart(half + 1) });
  const [fromDay, toDay] = [beijingDayOf(since), beijingDayOf(now)];
  const kept = await db.selectFrom('kept_post_steps').select(['actor_id', 'action', sql<number>`sum(n)`.as('n'), sql<number>`sum(on_time)`.as('on_time')])
    .where('day', '>=', fromDay).where('day', '<=', toDay).groupBy(['actor_id', 'action']).execute();
  const events = await postStepsFromEvents(db, fromDay * DAY_MS - OFFSET_MS, (toDay + 1) * DAY_MS - OFFSET_MS);
  const normal = (rows: { actor_id: number; action: string; n: number | string; on_time: number | string }[]) =>
    rows.map((r) => `${r.actor_id} ${r.action} ${Number(r.n)} ${Number(r.on_time)}`).filter((line) => !line.endsWith(' 0 0')).sort();
  assert.deepEqual(normal(kept), normal(events), 'the post steps kept per day equal the step events');
  return { steps: events.reduce((sum, r) => sum + r.n, 0) };
}
