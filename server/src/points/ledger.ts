// The ledger both points features write through: entries are appended (never updated), a total is a sum,
// a correction is a reversing entry of the same year, and a closed year takes no more entries. After each
// entry the subject's and its unit's running totals are held to the thresholds, and a level reached for the
// first time in the year is recorded once as an alert.
import type { Actor } from '@cityops/domain/access/scope';
import { newCrossings } from '@cityops/domain/points/engine';
import { ALERT_LEVEL_ORDER, type AlertLevel } from '@cityops/domain/points/responsibility-rules';
import { recordAudit } from '../audit/audit.ts';
import type { Kysely } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { PointsEntryTable, PointsLedger } from '../db/schema-points.ts';
import { HttpError, notFound } from '../http/errors.ts';

export type SubjectKind = PointsEntryTable['subject_kind'];
export type UnitKind = 'department' | 'territory';

export interface NewEntry {
  ledger: PointsLedger;
  year: number;
  subjectKind: SubjectKind;
  subjectId: number;
  unitKind: UnitKind | null;
  unitId: number | null;
  event: string;
  /** Tenths of a point. */
  points: number;
  occurredAt: number;
  sourceKey: string | null;
  sourceRef: string | null;
  reason: string | null;
  evidence: number[] | null;
  reversesId: number | null;
  ruleVersion: number;
}

/** The thresholds (tenths) a subject is held to, by its key ('area:12', 'department:3'); none for credit. */
export type ThresholdsOf = (key: string) => Partial<Record<AlertLevel, number>> | undefined;

export const subjectKey = (kind: string, id: number) => `${kind}:${id}`;

export async function closedYears(db: Executor, ledger: PointsLedger): Promise<Set<number>> {
  return new Set((await db.selectFrom('points_years').select('year').where('ledger', '=', ledger).execute()).map((r) => Number(r.year)));
}

export async function assertYearOpen(db: Executor, ledger: PointsLedger, year: number, field = 'year'): Promise<void> {
  if ((await closedYears(db, ledger)).has(year)) throw new HttpError(409, 'year_closed', `${field}: the ${ledger} points of ${year} are closed: its totals are frozen`);
}

/** The year's totals (tenths) of the given subject keys, from the entries. */
async function totalsOf(db: Executor, ledger: PointsLedger, year: number, keys: Set<string>): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const k of keys) totals.set(k, 0);
  const bySubject = await db.selectFrom('points_entries').select(['subject_kind', 'subject_id', (eb) => eb.fn.sum<number>('points').as('total')])
    .where('ledger', '=', ledger).where('year', '=', year).where('subject_kind', '=', 'area').groupBy(['subject_kind', 'subject_id']).execute();
  const byUnit = await db.selectFrom('points_entries').select(['unit_kind', 'unit_id', (eb) => eb.fn.sum<number>('points').as('total')])
    .where('ledger', '=', ledger).where('year', '=', year).where('unit_kind', 'is not', null).groupBy(['unit_kind', 'unit_id']).execute();
  for (const r of bySubject) { const k = subjectKey('area', Number(r.subject_id)); if (totals.has(k)) totals.set(k, Number(r.total)); }
  for (const r of byUnit) { const k = subjectKey(r.unit_kind!, Number(r.unit_id)); if (totals.has(k)) totals.set(k, Number(r.total)); }
  return totals;
}

/** The keys whose totals an entry moves: its area (if any) and its unit. */
function keysOf(e: NewEntry): string[] {
  const keys: string[] = [];
  if (e.subjectKind === 'area') keys.push(subjectKey('area', e.subjectId));
  if (e.unitKind && e.unitId !== null) keys.push(subjectKey(e.unitKind, e.unitId));
  return keys;
}

/**
 * Appends entries in the order of their dates, within the caller's transaction, and records each threshold
 * crossed for the first time (crossed on the date of the entry that took the total over). Answers the ids
 * and the alerts raised.
 */
export async function appendEntries(trx: Executor, actor: Actor, entries: NewEntry[], thresholdsOf: ThresholdsOf | null, now: number) {
  const sorted = [...entries].sort((a, b) => a.occurredAt - b.occurredAt);
  const ids: number[] = [];
  const alerts: { subject: string; level: string; total: number; crossedAt: number }[] = [];
  const years = [...new Set(sorted.map((e) => e.year))];
  const totals = new Map<number, Map<string, number>>();
  const recorded = new Map<string, Set<string>>();
  if (thresholdsOf && sorted.length) {
    const ledger = sorted[0]!.ledger;
    for (const year of years) totals.set(year, await totalsOf(trx, ledger, year, new Set(sorted.filter((e) => e.year === year).flatMap(keysOf))));
    const rows = await trx.selectFrom('points_alerts').select(['year', 'subject_kind', 'subject_id', 'level']).where('ledger', '=', ledger).where('year', 'in', years).execute();
    for (const r of rows) {
      const k = `${r.year}/${subjectKey(r.subject_kind, Number(r.subject_id))}`;
      if (!recorded.has(k)) recorded.set(k, new Set());
      recorded.get(k)!.add(r.level);
    }
  }
  const by = actor.kind === 'user' ? actor.id : null;
  for (const e of sorted) {
    const row = await trx.insertInto('points_entries').values({
      ledger: e.ledger, year: e.year, subject_kind: e.subjectKind, subject_id: e.subjectId, unit_kind: e.unitKind, unit_id: e.unitId, event: e.event, points: e.points,
      occurred_at: e.occurredAt, source_key: e.sourceKey, source_ref: e.sourceRef, reason: e.reason, evidence: e.evidence ? JSON.stringify(e.evidence) : null,
      reverses_id: e.reversesId, rule_version: e.ruleVersion, recorded_at: now, recorded_by: by, recorded_by_name: actor.name,
    }).returning('id').executeTakeFirstOrThrow();
    const id = Number(row.id);
    ids.push(id);
    if (!thresholdsOf) continue;
    const yearTotals = totals.get(e.year)!;
    for (const key of keysOf(e)) {
      const total = (yearTotals.get(key) ?? 0) + e.points;
      yearTotals.set(key, total);
      const thresholds = thresholdsOf(key);
      const seen = recorded.get(`${e.year}/${key}`) ?? new Set<string>();
      recorded.set(`${e.year}/${key}`, seen);
      for (const level of newCrossings(ALERT_LEVEL_ORDER, thresholds, total, seen)) {
        const [kind, subjectId] = key.split(':') as [string, string];
        await trx.insertInto('points_alerts').values({ ledger: e.ledger, year: e.year, subject_kind: kind, subject_id: Number(subjectId), level, total, threshold: thresholds![level]!, crossed_at: e.occurredAt, entry_id: id }).execute();
        seen.add(level);
        alerts.push({ subject: key, level, total, crossedAt: e.occurredAt });
      }
    }
  }
  return { ids, alerts };
}

/**
 * A correction: the entry's points reversed by a new entry of the same year, with the reason. An entry is
 * reversed at most once, a reversal is not itself reversed (enter the right entry instead), and a closed
 * year is not corrected.
 */
export async function reverseEntry(trx: Executor, actor: Actor, entryId: number, reason: string, sourceRef: string | null, thresholdsOf: ThresholdsOf | null, now: number) {
  const entry = await trx.selectFrom('points_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!entry) throw notFound(`points entry ${entryId}`);
  if (entry.reverses_id !== null) throw new HttpError(409, 'conflict', `entry ${entryId} is itself a correction of entry ${entry.reverses_id}: record the right entry instead`);
  const already = await trx.selectFrom('points_entries').select('id').where('reverses_id', '=', entryId).executeTakeFirst();
  if (already) throw new HttpError(409, 'conflict', `entry ${entryId} was reversed already by entry ${already.id}`);
  await assertYearOpen(trx, entry.ledger, entry.year);
  const { ids, alerts } = await appendEntries(trx, actor, [{
    ledger: entry.ledger, year: entry.year, subjectKind: entry.subject_kind, subjectId: Number(entry.subject_id), unitKind: entry.unit_kind, unitId: entry.unit_id === null ? null : Number(entry.unit_id),
    event: 'correction', points: -entry.points, occurredAt: now, sourceKey: `reversal:${entryId}`, sourceRef, reason, evidence: null, reversesId: entryId, ruleVersion: entry.rule_version,
  }], thresholdsOf, now);
  await recordAudit(trx, actor, 'points_entry.reverse', { type: 'points_entry', ref: entryId }, { reversal: ids[0], reason, points: -entry.points }, now);
  return { id: ids[0]!, reverses: entryId, points: -entry.points, alerts };
}

/** Runs `fn` in the caller's transaction, or in a new one on the root handle (a scheduled job passes the root). */
export function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : (db as Kysely<Database>).transaction().execute(fn);
}
