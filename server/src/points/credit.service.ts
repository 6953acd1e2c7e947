// Credit points (信用积分): the register of credit subjects (frontage shops, sanitation contractors,
// muck-transport companies), their violations and good conduct as ledger entries, and the sweep that
// derives violations from the records: a case of a priced class, or an inspection finding of a priced item,
// inside the overlay a subject is linked to (a shop's 门前三包 frontage, a contractor's duty area or road
// segment). A muck-transport company has no overlay: its violations are attributed by the office, case by
// case. A subject's score in a year is the base score plus the sum of the year's entries; its level is the
// band the score falls in.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { bandOf, beijingYear, beijingYearRange, toTenths } from '@cityops/domain/points/engine';
import { creditCodeProblem } from '@cityops/domain/points/credit-code';
import { CREDIT_SUBJECT_KINDS, creditBandsInTenths, findingTenths, violationTenths, type CreditRules, type CreditSubjectKind } from '@cityops/domain/points/credit-rules';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { loadAreaIndex } from './area-index.ts';
import { appendEntries, assertYearOpen, closedYears, inTransaction, reverseEntry, type NewEntry } from './ledger.ts';
import { creditEntryBase } from './credit-sweep.ts';
import { currentRules } from './rule-sets.service.ts';
import { evidenceIssues } from './responsibility.service.ts';

/** Which overlay kinds a subject of each kind may be linked to. */
const LINKABLE: Record<CreditSubjectKind, readonly string[]> = { frontage_shop: ['frontage'], sanitation_contractor: ['duty_area', 'road_segment'], muck_transport: [] };

export interface SubjectInput {
  kind?: string; name?: string; creditCode?: string; address?: string | null;
  location?: { lon: number; lat: number } | null; areaCode?: string | null;
  contactName?: string | null; contactPhone?: string | null; active?: boolean;
}

async function checkSubject(db: Executor, input: SubjectInput, creating: boolean, kindNow: string | null, selfId: number | null, areaNow: number | null = null) {
  const issues: FieldIssue[] = [];
  const kind = input.kind ?? kindNow;
  if (creating || input.kind !== undefined) if (!kind || !Object.hasOwn(CREDIT_SUBJECT_KINDS, kind)) issues.push({ field: 'kind', message: `must be one of ${Object.keys(CREDIT_SUBJECT_KINDS).join(', ')}` });
  if ((creating || input.name !== undefined) && !input.name?.trim()) issues.push({ field: 'name', message: 'is required' });
  if (creating || input.creditCode !== undefined) {
    const code = (input.creditCode ?? '').trim().toUpperCase();
    const problem = creditCodeProblem(code);
    if (problem) issues.push({ field: 'creditCode', message: problem });
    else {
      const other = await db.selectFrom('credit_subjects').select(['id', 'name']).where('credit_code', '=', code).executeTakeFirst();
      if (other && Number(other.id) !== selfId) issues.push({ field: 'creditCode', message: `is registered already (${other.name})` });
    }
  }
  let area: { id: number; territory_node_id: number } | null | undefined;
  if (input.areaCode) {
    const a = await db.selectFrom('responsibility_areas').select(['id', 'kind', 'territory_node_id']).where('code', '=', input.areaCode).executeTakeFirst();
    if (!a) issues.push({ field: 'areaCode', message: `no responsibility overlay ${input.areaCode}` });
    else if (kind && Object.hasOwn(LINKABLE, kind) && !LINKABLE[kind as CreditSubjectKind].includes(a.kind)) issues.push({ field: 'areaCode', message: `a ${kind} is linked to ${LINKABLE[kind as CreditSubjectKind].join(' or ') || 'no overlay'}, not to a ${a.kind}` });
    else area = { id: Number(a.id), territory_node_id: Number(a.territory_node_id) };
  } else if (input.areaCode === null) area = null;
  else if (input.kind !== undefined && areaNow !== null && kind && Object.hasOwn(LINKABLE, kind)) {
    // A new kind keeps the linked overlay only if that kind may be linked to it (a shop turned contractor would
    // otherwise be priced for its frontage's cases as a contractor).
    const linked = await db.selectFrom('responsibility_areas').select(['code', 'kind']).where('id', '=', areaNow).executeTakeFirst();
    if (linked && !LINKABLE[kind as CreditSubjectKind].includes(linked.kind)) issues.push({ field: 'kind', message: `a ${kind} cannot stay linked to ${linked.kind} ${linked.code}: give its areaCode (or null) with the new kind` });
  }
  if (input.location && !(Number.isFinite(input.location.lon) && Number.isFinite(input.location.lat) && Math.abs(input.location.lon) <= 180 && Math.abs(input.location.lat) <= 90)) issues.push({ field: 'location', message: 'must be a longitude and latitude' });
  if (input.contactPhone && !/^[0-9+\- ]{5,20}$/.test(input.contactPhone)) issues.push({ field: 'contactPhone', message: 'must be a phone number' });
  if (issues.length) throw new ValidationError(issues);
  return { kind: kind!, area };
}

export async function createSubject(db: Kysely<Database>, actor: Actor, input: SubjectInput, now: number) {
  const { kind, area } = await checkSubject(db, input, true, null, null);
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('credit_subjects').values({
      kind, name: input.name!.trim(), credit_code: input.creditCode!.trim().toUpperCase(), address: input.address?.trim() || null,
      lon: input.location?.lon ?? null, lat: input.location?.lat ?? null, area_id: area?.id ?? null, territory_node_id: area?.territory_node_id ?? null,
      contact_name: input.contactName?.trim() || null, contact_phone: input.contactPhone?.trim() || null, created_at: now, created_by: actor.kind === 'user' ? actor.id : null, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'credit_subject.create', { type: 'credit_subject', ref: row.id }, { kind, name: input.name!.trim(), creditCode: input.creditCode!.trim().toUpperCase() }, now);
    return { id: Number(row.id) };
  });
}

export async function updateSubject(db: Kysely<Database>, actor: Actor, id: number, input: SubjectInput, now: number) {
  const current = await db.selectFrom('credit_subjects').select(['id', 'kind', 'credit_code', 'area_id']).where('id', '=', id).executeTakeFirst();
  if (!current) throw notFound(`credit subject ${id}`);
  // The unified social credit code is who the subject is: the public record, its appeals and the entries are
  // keyed by it. A subject whose code is wrong is deactivated and registered anew. (The same code is accepted,
  // so a form may send the whole record back.)
  if (input.creditCode !== undefined && input.creditCode.trim().toUpperCase() !== current.credit_code) {
    throw new ValidationError([{ field: 'creditCode', message: `is the subject's identity and cannot change (${current.credit_code}); deactivate this subject and register the right code` }]);
  }
  const { creditCode: _identity, ...editable } = input;
  const { kind, area } = await checkSubject(db, editable, false, current.kind, id, current.area_id === null ? null : Number(current.area_id));
  const changes = {
    ...(input.kind !== undefined ? { kind } : {}), ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(input.address !== undefined ? { address: input.address?.trim() || null } : {}),
    ...(input.location !== undefined ? { lon: input.location?.lon ?? null, lat: input.location?.lat ?? null } : {}),
    ...(area !== undefined ? { area_id: area?.id ?? null, territory_node_id: area?.territory_node_id ?? null } : {}),
    ...(input.contactName !== undefined ? { contact_name: input.contactName?.trim() || null } : {}), ...(input.contactPhone !== undefined ? { contact_phone: input.contactPhone?.trim() || null } : {}),
    ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
  };
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('credit_subjects').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, actor, 'credit_subject.update', { type: 'credit_subject', ref: id }, changes, now);
    return { id };
  });
}

/** Scores (tenths, base included) of the year by subject id: frozen when the year is closed. */
export async function creditScores(db: Executor, rules: CreditRules, year: number): Promise<{ closed: boolean; scores: Map<number, { score: number; entries: number; level: string | null }> }> {
  const base = toTenths(rules.baseScore)!;
  const bands = creditBandsInTenths(rules);
  const frozen = await db.selectFrom('points_years').select('year').where('ledger', '=', 'credit').where('year', '=', year).executeTakeFirst();
  const scores = new Map<number, { score: number; entries: number; level: string | null }>();
  if (frozen) {
    for (const r of await db.selectFrom('points_year_totals').selectAll().where('ledger', '=', 'credit').where('year', '=', year).execute()) scores.set(Number(r.subject_id), { score: r.total, entries: r.entries, level: r.level });
    return { closed: true, scores };
  }
  const sums = await db.selectFrom('points_entries').select(['subject_id', (eb) => eb.fn.sum<number>('points').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('ledger', '=', 'credit').where('year', '=', year).groupBy('subject_id').execute();
  const byId = new Map(sums.map((s) => [Number(s.subject_id), { total: Number(s.total), n: Number(s.n) }]));
  for (const s of await db.selectFrom('credit_subjects').select('id').execute()) {
    const sum = byId.get(Number(s.id));
    const score = base + (sum?.total ?? 0);
    scores.set(Number(s.id), { score, entries: sum?.n ?? 0, level: bandOf(bands, score).code });
  }
  return { closed: false, scores };
}

export async function creditFreeze(trx: Executor, year: number) {
  const { rules } = await currentRules(trx, 'credit');
  const { scores } = await creditScores(trx, rules, year);
  return [...scores].map(([id, s]) => ({ kind: 'credit_subject', id, total: s.score, entries: s.entries, level: s.level }));
}


/** The office enters a violation (attributing a case to the subject, priced by its class) or good conduct. */
export async function enterCreditEntry(db: Kysely<Database>, actor: Actor, subjectId: number, input: { kind: string; caseCode?: string | undefined; points?: number | undefined; reason?: string | undefined; evidence?: number[] | undefined }, now: number) {
  const subject = await db.selectFrom('credit_subjects').select(['id', 'kind', 'name']).where('id', '=', subjectId).executeTakeFirst();
  if (!subject) throw notFound(`credit subject ${subjectId}`);
  const { version, rules } = await currentRules(db, 'credit');
  const issues: FieldIssue[] = [];
  let entry: NewEntry | null = null;
  if (input.kind === 'violation') {
    const c = input.caseCode ? await db.selectFrom('cases').select(['id', 'code', 'class_code', 'reported_at']).where('code', '=', input.caseCode).executeTakeFirst() : undefined;
    if (!c) issues.push({ field: 'caseCode', message: input.caseCode ? `no case ${input.caseCode}` : 'is required for a violation' });
    const tenths = c ? violationTenths(rules, c.class_code, subject.kind as CreditSubjectKind) : null;
    if (c && tenths === null) issues.push({ field: 'caseCode', message: `the credit rules (version ${version}) price no ${c.class_code} case for a ${subject.kind}` });
    if (c && tenths !== null) {
      const occurredAt = Number(c.reported_at);
      entry = { ...creditEntryBase(beijingYear(occurredAt), subjectId, version), event: 'violation', points: tenths, occurredAt, sourceKey: `case:${c.id}@${subjectId}`, sourceRef: c.code, reason: input.reason?.trim() || `案件 ${c.code}(${c.class_code})`, evidence: input.evidence ?? null };
    }
  } else if (input.kind === 'good_conduct') {
    const tenths = input.points === undefined ? null : toTenths(input.points);
    if (tenths === null || tenths <= 0) issues.push({ field: 'points', message: 'must be above 0 with at most one decimal' });
    else if (tenths > toTenths(rules.goodConductMax)!) issues.push({ field: 'points', message: `must be at most ${rules.goodConductMax} (the rules' goodConductMax, version ${version})` });
    if (!input.reason?.trim()) issues.push({ field: 'reason', message: 'is required' });
    if (!issues.length) entry = { ...creditEntryBase(beijingYear(now), subjectId, version), event: 'good_conduct', points: tenths!, occurredAt: now, sourceKey: null, sourceRef: null, reason: input.reason!.trim(), evidence: input.evidence ?? null };
  } else issues.push({ field: 'kind', message: 'must be violation or good_conduct' });
  issues.push(...(await evidenceIssues(db, input.evidence)));
  if (issues.length || !entry) throw new ValidationError(issues);
  return db.transaction().execute(async (trx) => {
    await assertYearOpen(trx, 'credit', entry.year);
    if (entry.sourceKey && await trx.selectFrom('points_entries').select('id').where('ledger', '=', 'credit').where('source_key', '=', entry.sourceKey).executeTakeFirst()) {
      throw new HttpError(409, 'conflict', `caseCode: case ${entry.sourceRef} is recorded against ${subject.name} already`);
    }
    const { ids } = await appendEntries(trx, actor, [entry], null, now);
    await recordAudit(trx, actor, `credit_entry.${entry.event}`, { type: 'points_entry', ref: ids[0] }, { subject: subjectId, points: entry.points / 10, source: entry.sourceRef }, now);
    return { id: ids[0]!, year: entry.year, points: entry.points / 10 };
  });
}
