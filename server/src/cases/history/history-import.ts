// History import (历史案卷导入): a log of past events replayed through the workflow table and stored in
// one transaction. A line that breaks a rule is reported with its number and nothing is kept.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import { DEFAULT_DUPLICATE_RULE } from '@cityops/domain/workflow/duplicates';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { TerritoryLocator } from '../../territory/territory-locator.ts';
import type { WorkflowDeps } from '../case-transition-plan.ts';
import type { HistoryRecord } from './history-records.ts';
import { replayHistory } from './history-replay.ts';
import { loadReplayWorld, type WorldNeeds } from './replay-world.ts';
import { storeReplayedCases } from './history-store.ts';

export interface HistoryImportResult {
  cases: number;
  events: number;
  /** How many imported cases stand in each state after their last event. */
  byState: Record<string, number>;
  from: string;
  to: string;
}

function needsOf(records: HistoryRecord[]): WorldNeeds {
  const needs: WorldNeeds = { usernames: new Set(), componentCodes: new Set(), caseCodes: new Set(), refs: [], fromMs: Infinity, toMs: -Infinity, windowMs: DEFAULT_DUPLICATE_RULE.windowMs };
  for (const r of records) {
    if (r.actor) needs.usernames.add(r.actor);
    if (r.mergeInto) needs.caseCodes.add(r.mergeInto);
    if (r.report) {
      if (r.report.componentCode) needs.componentCodes.add(r.report.componentCode);
      needs.refs.push({ source: r.report.source, ref: r.caseRef });
      needs.fromMs = Math.min(needs.fromMs, r.at);
      needs.toMs = Math.max(needs.toMs, r.at);
    }
  }
  return needs;
}

/** Replays and stores `records` in the caller's transaction (or a new one); throws ValidationError with line numbers. */
export async function importHistory(
  db: Executor,
  deps: WorkflowDeps & { locator: TerritoryLocator },
  actor: Actor,
  records: HistoryRecord[],
  now: number,
): Promise<HistoryImportResult> {
  if (!db.isTransaction) return db.transaction().execute((trx) => importHistory(trx, deps, actor, records, now));
  const world = await loadReplayWorld(db, deps, deps.locator, needsOf(records));
  const replay = await replayHistory(records, world, now);
  if (replay.issues.length) throw new ValidationError([...replay.issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
  const stored = await storeReplayedCases(db, replay.cases);
  const byState: Record<string, number> = {};
  for (const c of replay.cases) byState[c.row.state] = (byState[c.row.state] ?? 0) + 1;
  let [first, last] = [Infinity, -Infinity];
  for (const r of records) [first, last] = [Math.min(first, r.at), Math.max(last, r.at)];
  const result = { ...stored, byState, from: new Date(first).toISOString(), to: new Date(last).toISOString() };
  await recordAudit(db, actor, 'case.import_history', { type: 'case' }, { cases: stored.cases, events: stored.events, from: result.from, to: result.to }, now);
  return result;
}
