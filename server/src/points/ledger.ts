// The ledger both points features write through: entries are appended (never updated), a total is a sum,
// a correction is a reversing entry of the same year, and a closed year takes no more entries. After each
// entry the subject's and its unit's running totals are held to the thresholds, and a level reached for the
// first time in the year is recorded once as an alert.
import type { Actor } from '@cityops/domain/access/scope';
import { crossingsInDateOrder } from '@cityops/domain/points/engine';
import { ALERT_LEVEL_ORDER, type AlertLevel } from '@cityops/domain/points/responsibility-rules';
import { recordAudit } from '../audit/audit.ts';
import { sql, type Kysely } from 'kysely';
import { isPostgres, type Executor } from '../db/database.ts';
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

type KeyKind = 'area' | UnitKind;
const KEY_KINDS: readonly KeyKind[] = ['area', 'department', 'territory'];

/**
 * For the subjects of one kind (areas, or the units of a kind), their totals before `fromMs` and their entries
 * from `fromMs` on, in the year: what a date-ordered replay needs. Asked in chunks, one query of each per chunk.
 */
async function replayInputs(db: Executor, ledger: PointsLedger, year: number, kind: KeyKind, ids: number[], fromMs: number) {
  const base = new Map<number, number>();
  const since = new Map<number, { id: number; points: number; occurredAt: number }[]>();
  const idColumn = kind === 'area' ? 'subject_id' : 'unit_id';
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const scoped = () => {
      const q = db.selectFrom('points_entries').where('ledger', '=', ledger).where('year', '=', year);
      return kind === 'area' ? q.where('subject_kind', '=', 'area').where('subject_id', 'in', chunk) : q.where('unit_kind', '=', kind).where('unit_id', 'in', chunk);
    };
    const sums = await scoped().select([`${idColumn} as key_id`, (eb) => eb.fn.sum<number>('points').as('total')]).where('occurred_at', '<', fromMs).groupBy(idColumn).execute();
    for (const r of sums) base.set(Number(r.key_id), Number(r.total));
    const rows = await scoped().select([`${idColumn} as key_id`, 'id', 'points', 'occurred_at']).where('occurred_at', '>=', fromMs).execute();
    for (const r of rows) {
      const list = since.get(Number(r.key_id)) ?? [];
      list.push({ id: Number(r.id), points: Number(r.points), occurredAt: Number(r.occurred_at) });
      since.set(Number(r.key_id), list);
    }
  }
  return { base, since };
}

/** The keys whose totals an entry moves: its area (if any) and its unit. */
function keysOf(e: NewEntry): string[] {
  const keys: string[] = [];
  if (e.subjectKind === 'area') keys.push(subjectKey('area', e.subjectId));
  if (e.unitKind && e.unitId !== null) keys.push(subjectKey(e.unitKind, e.unitId));
  return keys;
}

/**
 * Holds the ledger's writers one at a time until the caller's transaction ends. Two writers at once (the
 * hourly sweep and the office's button, a bonus during a sweep) would each find a source unrecorded or a level
 * not reached and both write it: the second then failed on the unique key, a 500 seen in a browser run on
 * PostgreSQL. There, a transaction-scoped advisory lock per ledger; SQLite writes one transaction at a time.
 */
export async function lockLedger(trx: Executor, ledger: PointsLedger): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${`cityops.points.${ledger}`}))`.execute(trx);
}

/**
 * Appends entries in the order of their dates, within the caller's transaction, and records each threshold
 * reached for the first time. Crossings are found in the order of the entries' dates (crossingsInDateOrder):
 * for each subject the new entries touch, from its total before the earliest of them, over its entries from
 * that date on, so a late-recorded finding takes its place on its date. A subject whose levels are all
 * reached is not read again. Answers the ids and the alerts raised.
 */
export async function appendEntries(trx: Executor, actor: Actor, entries: NewEntry[], thresholdsOf: ThresholdsOf | null, now: number) {
  const sorted = [...entries].sort((a, b) => a.occurredAt - b.occurredAt);
  if (sorted[0]) await lockLedger(trx, sorted[0].ledger);
  const ids: number[] = [];
  const alerts: { subject: string; level: string; total: number; crossedAt: number }[] = [];
  const by = actor.kind === 'user' ? actor.id : null;
  const row = (e: NewEntry) => ({
    ledger: e.ledger, year: e.year, subject_kind: e.subjectKind, subject_id: e.subjectId, unit_kind: e.unitKind, unit_id: e.unitId, event: e.event, points: e.points,
    occurred_at: e.occurredAt, source_key: e.sourceKey, source_ref: e.sourceRef, reason: e.reason, evidence: e.evidence ? JSON.stringify(e.evidence) : null,
    reverses_id: e.reversesId, rule_version: e.ruleVersion, recorded_at: now, recorded_by: by, recorded_by_name: actor.name,
  });
  // A sweep's entries (each with its source key) go 200 to a statement, their ids matched back by key: the
  // order of a multi-row RETURNING is not promised. An entry without a key (a bonus) goes alone.
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && j - i < 200 && sorted[j]!.sourceKey !== null) j++;
    if (j === i) {
      const one = await trx.insertInto('points_entries').values(row(sorted[i]!)).returning('id').executeTakeFirstOrThrow();
      ids.push(Number(one.id));
      i++;
      continue;
    }
    const chunk = sorted.slice(i, j);
    const rows = await trx.insertInto('points_entries').values(chunk.map(row)).returning(['id', 'source_key']).execute();
    const idOf = new Map(rows.map((r) => [r.source_key, Number(r.id)]));
    for (const e of chunk) ids.push(idOf.get(e.sourceKey)!);
    i = j;
  }
  if (!thresholdsOf || !sorted.length) return { ids, alerts };

  const ledger = sorted[0]!.ledger;
  // Replayed from the earliest new date of the batch (per year): any earlier start gives the same crossings
  // for levels already recorded, and one read serves every subject the batch touches.
  for (const year of [...new Set(sorted.map((e) => e.year))]) {
    const ofYear = sorted.filter((e) => e.year === year);
    const fromMs = ofYear[0]!.occurredAt;
    const recorded = new Map<string, Set<string>>();
    for (const r of await trx.selectFrom('points_alerts').select(['subject_kind', 'subject_id', 'level']).where('ledger', '=', ledger).where('year', '=', year).execute()) {
      const key = subjectKey(r.subject_kind, Number(r.subject_id));
      recorded.set(key, (recorded.get(key) ?? new Set()).add(r.level));
    }
    for (const kind of KEY_KINDS) {
      // The subjects of this kind the batch moves whose thresholds still hold a level not reached.
      const open = new Map<number, Partial<Record<AlertLevel, number>>>();
      for (const key of new Set(ofYear.flatMap(keysOf))) {
        const [k, id] = key.split(':') as [string, string];
        const thresholds = k === kind ? thresholdsOf(key) : undefined;
        if (thresholds && ALERT_LEVEL_ORDER.some((level) => thresholds[level] !== undefined && !recorded.get(key)?.has(level))) open.set(Number(id), thresholds);
      }
      if (!open.size) continue;
      const { base, since } = await replayInputs(trx, ledger, year, kind, [...open.keys()], fromMs);
      for (const [id, thresholds] of open) {
        const key = subjectKey(kind, id);
        for (const c of crossingsInDateOrder(ALERT_LEVEL_ORDER, thresholds, base.get(id) ?? 0, since.get(id) ?? [], recorded.get(key) ?? new Set())) {
          await trx.insertInto('points_alerts').values({ ledger, year, subject_kind: kind, subject_id: id, level: c.level, total: c.total, threshold: thresholds[c.level]!, crossed_at: c.occurredAt, entry_id: c.entryId }).execute();
          alerts.push({ subject: key, level: c.level, total: c.total, crossedAt: c.occurredAt });
        }
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
