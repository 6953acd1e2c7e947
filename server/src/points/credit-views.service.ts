// Reads of the credit register (the office's: with contact persons) and its public list, and the appeals of
// credit subjects: filed on the public route with the entry's number and a reason, ruled by the office; an
// upheld appeal reverses the entry (a correction in the ledger), so the score and the level move back.
// Public answers carry what is public by design (a company's or shop's registered name, its unified social
// credit code, kind, district, score and level, and which kinds of violation were recorded when) and nothing
// about persons: no contact, no reasons typed by the office, no appeal text.
import { randomInt } from 'node:crypto';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { beijingYear } from '@cityops/domain/points/engine';
import { CREDIT_EVENTS, CREDIT_SUBJECT_KINDS } from '@cityops/domain/points/credit-rules';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { creditScores } from './credit.service.ts';
import { assertYearOpen, reverseEntry } from './ledger.ts';
import { currentRules } from './rule-sets.service.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const kindName = (kind: string) => (Object.hasOwn(CREDIT_SUBJECT_KINDS, kind) ? CREDIT_SUBJECT_KINDS[kind as keyof typeof CREDIT_SUBJECT_KINDS] : null);
const eventName = (event: string) => (Object.hasOwn(CREDIT_EVENTS, event) ? CREDIT_EVENTS[event as keyof typeof CREDIT_EVENTS] : null);

async function levelOf(db: Executor, year: number) {
  const { rules } = await currentRules(db, 'credit');
  const { closed, scores } = await creditScores(db, rules, year);
  const levels = Object.fromEntries(rules.levels.map((l) => [l.code, l.zh]));
  return { closed, scores, levels, base: rules.baseScore };
}

export async function listSubjects(db: Executor, q: { year: number; kind?: string | undefined }) {
  let query = db.selectFrom('credit_subjects as s').leftJoin('responsibility_areas as a', 'a.id', 's.area_id').leftJoin('territory_nodes as t', 't.id', 's.territory_node_id')
    .select(['s.id', 's.kind', 's.name', 's.credit_code', 's.address', 's.lon', 's.lat', 's.contact_name', 's.contact_phone', 's.active', 'a.code as area_code', 'a.name as area_name', 't.name as territory_name']);
  if (q.kind) query = query.where('s.kind', '=', q.kind);
  const rows = await query.orderBy('s.name').execute();
  const { closed, scores, levels } = await levelOf(db, q.year);
  return {
    year: q.year, closed,
    items: rows.map((s) => {
      const sc = scores.get(Number(s.id));
      return {
        id: Number(s.id), kind: s.kind, kindName: kindName(s.kind), name: s.name, creditCode: s.credit_code, address: s.address, location: s.lon === null ? null : { lon: s.lon, lat: s.lat },
        area: s.area_code ? { code: s.area_code, name: s.area_name } : null, territory: s.territory_name, contact: { name: s.contact_name, phone: s.contact_phone }, active: s.active === 1,
        score: sc ? sc.score / 10 : null, entries: sc?.entries ?? 0, level: sc?.level ? { code: sc.level, zh: levels[sc.level] ?? sc.level } : null,
      };
    }),
  };
}

async function entriesOf(db: Executor, subjectId: number, year: number) {
  const rows = await db.selectFrom('points_entries').selectAll().where('ledger', '=', 'credit').where('subject_kind', '=', 'credit_subject').where('subject_id', '=', subjectId).where('year', '=', year).orderBy('occurred_at').orderBy('id').execute();
  const reversed = new Set(rows.filter((r) => r.reverses_id !== null).map((r) => Number(r.reverses_id)));
  return rows.map((e) => ({ e, reversed: reversed.has(Number(e.id)) }));
}

export async function subjectDetail(db: Executor, id: number, year: number) {
  const list = await listSubjects(db, { year });
  const subject = list.items.find((s) => s.id === id);
  if (!subject) throw notFound(`credit subject ${id}`);
  const appeals = await db.selectFrom('credit_appeals').selectAll().where('subject_id', '=', id).orderBy('id').execute();
  return {
    ...subject, year,
    entries: (await entriesOf(db, id, year)).map(({ e, reversed }) => ({
      id: Number(e.id), event: e.event, eventName: eventName(e.event), points: e.points / 10, occurredAt: iso(e.occurred_at), source: e.source_ref, reason: e.reason,
      evidence: e.evidence ? (JSON.parse(e.evidence) as number[]) : [], reverses: e.reverses_id === null ? null : Number(e.reverses_id), reversed, recordedBy: e.recorded_by_name, recordedAt: iso(e.recorded_at),
    })),
    appeals: appeals.map((a) => ({ id: Number(a.id), code: a.code, entryId: Number(a.entry_id), reason: a.reason, filedAt: iso(a.filed_at), state: a.state, ruling: a.ruling, ruledAt: iso(a.ruled_at), reversalEntryId: a.reversal_entry_id === null ? null : Number(a.reversal_entry_id) })),
  };
}

/** The public credit list (信用公示): active subjects, their score and level in the year. */
export async function publicCreditList(db: Executor, q: { year: number; kind?: string | undefined }) {
  const list = await listSubjects(db, q);
  return {
    year: q.year, closed: list.closed,
    items: list.items.filter((s) => s.active).map((s) => ({ name: s.name, creditCode: s.creditCode, kind: s.kind, kindName: s.kindName, territory: s.territory, score: s.score, level: s.level })),
  };
}

/** One subject's public record: the year's entries by kind, date and points, with their numbers to appeal. */
export async function publicCreditSubject(db: Executor, creditCode: string, year: number) {
  const s = await db.selectFrom('credit_subjects').select(['id', 'active']).where('credit_code', '=', creditCode.toUpperCase()).executeTakeFirst();
  if (!s || s.active !== 1) throw notFound(`credit subject ${creditCode}`);
  const detail = await subjectDetail(db, Number(s.id), year);
  return {
    name: detail.name, creditCode: detail.creditCode, kind: detail.kind, kindName: detail.kindName, territory: detail.territory, year, score: detail.score, level: detail.level,
    entries: detail.entries.map((e) => ({ id: e.id, event: e.event, eventName: e.eventName, points: e.points, occurredOn: e.occurredAt!.slice(0, 10), reversed: e.reversed, reverses: e.reverses })),
    appeals: detail.appeals.map((a) => ({ code: a.code, entryId: a.entryId, filedAt: a.filedAt, state: a.state })),
  };
}

const APPEAL_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A subject appeals an entry: its credit code and the entry's number identify both; one open appeal per entry. */
export async function fileAppeal(db: Kysely<Database>, input: { creditCode: string; entryId: number; reason: string }, now: number) {
  const issues: FieldIssue[] = [];
  if (!input.reason?.trim() || input.reason.trim().length < 5) issues.push({ field: 'reason', message: 'must say why, in at least 5 characters' });
  const subject = await db.selectFrom('credit_subjects').select(['id', 'name']).where('credit_code', '=', (input.creditCode ?? '').trim().toUpperCase()).where('active', '=', 1).executeTakeFirst();
  if (!subject) issues.push({ field: 'creditCode', message: 'no credit subject with this code' });
  const entry = subject ? await db.selectFrom('points_entries').selectAll().where('id', '=', input.entryId).where('ledger', '=', 'credit').where('subject_id', '=', subject.id).executeTakeFirst() : undefined;
  if (subject && !entry) issues.push({ field: 'entryId', message: `no entry ${input.entryId} of this subject` });
  else if (entry && (entry.points >= 0 || entry.reverses_id !== null)) issues.push({ field: 'entryId', message: 'only a deduction can be appealed' });
  if (issues.length) throw new ValidationError(issues);
  return db.transaction().execute(async (trx) => {
    await assertYearOpen(trx, 'credit', entry!.year, 'entryId');
    if (await trx.selectFrom('points_entries').select('id').where('reverses_id', '=', entry!.id).executeTakeFirst()) throw new HttpError(409, 'conflict', `entryId: entry ${entry!.id} was reversed already`);
    if (await trx.selectFrom('credit_appeals').select('id').where('entry_id', '=', entry!.id).where('state', '=', 'filed').executeTakeFirst()) throw new HttpError(409, 'conflict', `entryId: entry ${entry!.id} has an appeal waiting for its ruling`);
    const code = `XY${beijingYear(now)}${Array.from({ length: 8 }, () => APPEAL_CHARS[randomInt(APPEAL_CHARS.length)]).join('')}`;
    const row = await trx.insertInto('credit_appeals').values({ code, entry_id: entry!.id, subject_id: subject!.id, reason: input.reason.trim(), filed_at: now, state: 'filed', ruling: null, ruled_at: null, ruled_by: null, reversal_entry_id: null })
      .returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, { kind: 'anonymous', id: null, name: `credit subject ${input.creditCode}`, grants: [] }, 'credit_appeal.file', { type: 'credit_appeal', ref: row.id }, { entry: Number(entry!.id), code }, now);
    return { code, state: 'filed', filedAt: iso(now) };
  });
}

/** Following an appeal by its number: its state and ruling, never its text. */
export async function publicAppeal(db: Executor, code: string) {
  const a = await db.selectFrom('credit_appeals as a').innerJoin('credit_subjects as s', 's.id', 'a.subject_id').innerJoin('points_entries as e', 'e.id', 'a.entry_id')
    .select(['a.code', 'a.state', 'a.filed_at', 'a.ruling', 'a.ruled_at', 'a.entry_id', 'e.points', 's.name']).where('a.code', '=', code).executeTakeFirst();
  if (!a) throw notFound(`appeal ${code}`);
  return { code: a.code, subject: a.name, entryId: Number(a.entry_id), points: a.points / 10, state: a.state, filedAt: iso(a.filed_at), ruling: a.ruling, ruledAt: iso(a.ruled_at) };
}

export async function listAppeals(db: Executor, q: { state?: string | undefined }) {
  let query = db.selectFrom('credit_appeals as a').innerJoin('credit_subjects as s', 's.id', 'a.subject_id').innerJoin('points_entries as e', 'e.id', 'a.entry_id')
    .select(['a.id', 'a.code', 'a.state', 'a.reason', 'a.filed_at', 'a.ruling', 'a.ruled_at', 'a.entry_id', 'a.reversal_entry_id', 'e.points', 'e.event', 'e.source_ref', 'e.reason as entry_reason', 's.id as subject_id', 's.name', 's.credit_code']);
  if (q.state) query = query.where('a.state', '=', q.state as 'filed');
  const rows = await query.orderBy('a.id', 'desc').execute();
  return rows.map((a) => ({
    id: Number(a.id), code: a.code, state: a.state, reason: a.reason, filedAt: iso(a.filed_at), ruling: a.ruling, ruledAt: iso(a.ruled_at),
    subject: { id: Number(a.subject_id), name: a.name, creditCode: a.credit_code }, entry: { id: Number(a.entry_id), points: a.points / 10, event: a.event, source: a.source_ref, reason: a.entry_reason },
    reversalEntryId: a.reversal_entry_id === null ? null : Number(a.reversal_entry_id),
  }));
}

export async function ruleAppeal(db: Kysely<Database>, actor: Actor, id: number, input: { outcome: string; ruling: string }, now: number) {
  const issues: FieldIssue[] = [];
  if (input.outcome !== 'upheld' && input.outcome !== 'rejected') issues.push({ field: 'outcome', message: 'must be upheld or rejected' });
  if (!input.ruling?.trim()) issues.push({ field: 'ruling', message: 'is required: the reason of the ruling' });
  if (issues.length) throw new ValidationError(issues);
  return db.transaction().execute(async (trx) => {
    const appeal = await trx.selectFrom('credit_appeals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!appeal) throw notFound(`credit appeal ${id}`);
    if (appeal.state !== 'filed') throw new HttpError(409, 'conflict', `appeal ${appeal.code} was ruled already (${appeal.state})`);
    let reversalId: number | null = null;
    if (input.outcome === 'upheld') reversalId = (await reverseEntry(trx, actor, Number(appeal.entry_id), `申诉成立(${appeal.code}):${input.ruling.trim()}`, `appeal ${appeal.code}`, null, now)).id;
    await trx.updateTable('credit_appeals').set({ state: input.outcome as 'upheld' | 'rejected', ruling: input.ruling.trim(), ruled_at: now, ruled_by: actor.kind === 'user' ? actor.id : null, reversal_entry_id: reversalId })
      .where('id', '=', id).where('state', '=', 'filed').execute();
    await recordAudit(trx, actor, 'credit_appeal.rule', { type: 'credit_appeal', ref: id }, { outcome: input.outcome, ruling: input.ruling.trim(), reversal: reversalId }, now);
    return { id, code: appeal.code, state: input.outcome, reversalEntryId: reversalId };
  });
}
