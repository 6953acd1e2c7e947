// Writes replayed cases in bulk: numbers from the daily counters, cases, their events, reporters,
// duplicate flags and merge links, in the caller's transaction. Rows go in chunks that keep under the
// bound-parameter limits of both databases (SQLite 32,766, PostgreSQL 65,535).
import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CaseEventTable, CaseTable } from '../../db/schema-cases.ts';
import { beijingDay } from '../case-codes.ts';
import { keepPostSteps } from '../../indicators/kept-post-steps.ts';
import { caseItems, mergedRegistrationItems, roundItems, rulingItems } from '../../indicators/kept-cell-items.ts';
import { KeptTally, writeTally } from '../../indicators/kept-cells.ts';
import type { ReplayedCase } from './history-replay.ts';

const CASE_CHUNK = 400;
const EVENT_CHUNK = 1500;

async function allocateCodes(db: Executor, cases: ReplayedCase[]): Promise<void> {
  const byDay = new Map<string, ReplayedCase[]>();
  for (const c of [...cases].sort((a, b) => a.row.reported_at - b.row.reported_at || a.line - b.line)) {
    const day = beijingDay(c.row.reported_at);
    byDay.set(day, [...(byDay.get(day) ?? []), c]);
  }
  for (const [day, list] of byDay) {
    // One upsert reserves the whole day's range, so live intake running meanwhile never collides.
    const row = await db.insertInto('case_code_counters').values({ day, last: list.length })
      .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ last: eb('case_code_counters.last', '+', list.length) })))
      .returning('last').executeTakeFirstOrThrow();
    const first = row.last - list.length + 1;
    list.forEach((c, i) => { c.row.code = `${day}${String(first + i).padStart(5, '0')}`; });
  }
}

export interface StoredHistory {
  cases: number;
  events: number;
}

export async function storeReplayedCases(db: Executor, cases: ReplayedCase[]): Promise<StoredHistory> {
  await allocateCodes(db, cases);
  const idOf = new Map<number, number>();
  const codeOf = new Map<number, string>();
  for (let i = 0; i < cases.length; i += CASE_CHUNK) {
    const chunk = cases.slice(i, i + CASE_CHUNK);
    const values: Insertable<CaseTable>[] = chunk.map(({ row }) => {
      const { id: _placeholder, ...rest } = row;
      return { ...rest, merged_into_id: null };
    });
    const inserted = await db.insertInto('cases').values(values).returning(['id', 'code']).execute();
    const byCode = new Map(inserted.map((r) => [r.code, r.id]));
    for (const c of chunk) {
      idOf.set(c.row.id, byCode.get(c.row.code)!);
      codeOf.set(c.row.id, c.row.code);
    }
  }
  const realId = (id: number) => (id < 0 ? idOf.get(id)! : id);
  for (const c of cases) {
    if (c.row.merged_into_id !== null) await db.updateTable('cases').set({ merged_into_id: realId(c.row.merged_into_id) }).where('id', '=', realId(c.row.id)).execute();
  }
  const events: Insertable<CaseEventTable>[] = [];
  for (const c of cases) {
    const caseId = realId(c.row.id);
    c.events.forEach(({ at, actor, event }, k) => {
      let data = event.data;
      if (event.action === 'report' && c.duplicates.length) data = { ...data, duplicateCandidates: c.duplicates.map((d) => d.storedCode ?? codeOf.get(d.id)) };
      if (event.action === 'merge' && typeof data?.mergeTargetId === 'number') data = { ...data, mergeTargetId: realId(data.mergeTargetId) };
      events.push({
        case_id: caseId, seq: k + 1, action: event.action, from_state: event.fromState, to_state: event.toState, at,
        actor_kind: actor.kind, actor_id: actor.id, actor_name: actor.name, actor_role: event.role,
        department_id: event.departmentId, reason: event.reason, data: data ? JSON.stringify(data) : null, on_time: event.onTime,
      });
    });
  }
  for (let i = 0; i < events.length; i += EVENT_CHUNK) await db.insertInto('case_events').values(events.slice(i, i + EVENT_CHUNK)).execute();
  await keepPostSteps(db, events.map((e) => ({ at: e.at, actorKind: e.actor_kind, actorId: e.actor_id ?? null, action: e.action, onTime: e.on_time ?? null })));
  const rounds = cases.flatMap((c) => c.rounds.map((r) => ({ ...r, case_id: realId(c.row.id), case_closed_at: c.row.closed_at })));
  for (let i = 0; i < rounds.length; i += EVENT_CHUNK) await db.insertInto('handling_rounds').values(rounds.slice(i, i + EVENT_CHUNK)).execute();
  // What the replayed cases add to the kept counts, from their final facts.
  const tally = new KeptTally();
  for (const c of cases) {
    tally.add(caseItems(c.row));
    for (const { at, event } of c.events) tally.add(rulingItems({ action: event.action, at, departmentId: event.departmentId }, c.row.grid_id));
    if (c.row.state === 'merged' && c.row.ended_at !== null) {
      tally.add(mergedRegistrationItems(c.row.ended_at, c.events.filter((e) => e.event.action === 'register').map((e) => ({ at: e.at, actorKind: e.actor.kind, actorId: e.actor.id }))));
    }
  }
  for (const r of rounds) tally.add(roundItems({ ...r, started_by: r.started_by ?? null, handled_at: r.handled_at ?? null, overdue_at: r.overdue_at ?? null, reworked_at: r.reworked_at ?? null, end_kind: r.end_kind ?? null, ended_at: r.ended_at ?? null }));
  await writeTally(db, tally);
  const reporters = cases.filter((c) => c.reporter).map((c) => ({ case_id: realId(c.row.id), name: c.reporter!.name, phone: c.reporter!.phone, email: null, user_id: c.reporter!.userId }));
  for (let i = 0; i < reporters.length; i += EVENT_CHUNK) await db.insertInto('case_reporters').values(reporters.slice(i, i + EVENT_CHUNK)).execute();
  const duplicates = cases.flatMap((c) => c.duplicates.map((d) => ({ case_id: realId(c.row.id), candidate_id: realId(d.id), distance_m: d.distanceM })));
  for (let i = 0; i < duplicates.length; i += EVENT_CHUNK) await db.insertInto('case_duplicate_candidates').values(duplicates.slice(i, i + EVENT_CHUNK)).execute();
  return { cases: cases.length, events: events.length };
}
