// What the evaluation office writes into the accumulated points (累计加减分): bonuses with their reason and
// evidence, corrections (reversing entries), and the close of a year, which sweeps the year one last time
// and freezes every area's and unit's total with the most severe level it reached.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { beijingYear, toTenths } from '@cityops/domain/points/engine';
import { ALERT_LEVEL_ORDER } from '@cityops/domain/points/responsibility-rules';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { PointsLedger } from '../db/schema-points.ts';
import { HttpError } from '../http/errors.ts';
import { loadAreaIndex } from './area-index.ts';
import { appendEntries, assertYearOpen, reverseEntry, subjectKey, type NewEntry } from './ledger.ts';
import { sweepCredit } from './credit-sweep.ts';
import { responsibilityThresholds, sweepResponsibility } from './responsibility-sweep.ts';
import { currentRules } from './rule-sets.service.ts';

export interface BonusInput {
  areaCode?: string | undefined;
  departmentCode?: string | undefined;
  territoryCode?: string | undefined;
  points: number;
  reason: string;
  evidence?: number[] | undefined;
  /** The day it was earned, YYYY-MM-DD (Beijing); today when left out. */
  date?: string | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const dayStart = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

/** Checks the evidence photos exist; answers the issues. */
export async function evidenceIssues(db: Executor, ids: number[] | undefined, field = 'evidence'): Promise<FieldIssue[]> {
  if (!ids?.length) return [];
  const found = new Set((await db.selectFrom('attachments').select('id').where('id', 'in', ids).execute()).map((a) => Number(a.id)));
  return ids.filter((id) => !found.has(id)).map((id) => ({ field, message: `no photo ${id}` }));
}

export async function enterBonus(db: Kysely<Database>, actor: Actor, input: BonusInput, now: number) {
  const { version, rules } = await currentRules(db, 'responsibility');
  const issues: FieldIssue[] = [];
  const targets = [input.areaCode, input.departmentCode, input.territoryCode].filter((t) => t !== undefined && t !== '');
  if (targets.length !== 1) issues.push({ field: 'target', message: 'name exactly one of areaCode, departmentCode, territoryCode' });
  const tenths = toTenths(input.points);
  if (tenths === null || tenths <= 0) issues.push({ field: 'points', message: 'must be above 0 with at most one decimal' });
  else if (tenths > toTenths(rules.bonusMax)!) issues.push({ field: 'points', message: `must be at most ${rules.bonusMax} (the rules' bonusMax, version ${version})` });
  if (!input.reason?.trim()) issues.push({ field: 'reason', message: 'is required' });
  if (input.date !== undefined && (!DATE.test(input.date) || Number.isNaN(dayStart(input.date)))) issues.push({ field: 'date', message: 'must be a date YYYY-MM-DD' });
  const occurredAt = input.date && DATE.test(input.date) ? dayStart(input.date) : now;
  if (occurredAt > now) issues.push({ field: 'date', message: 'is in the future' });
  issues.push(...(await evidenceIssues(db, input.evidence)));
  let target: Pick<NewEntry, 'subjectKind' | 'subjectId' | 'unitKind' | 'unitId'> | null = null;
  let targetRef = '';
  if (input.areaCode) {
    const a = await db.selectFrom('responsibility_areas').select(['id', 'kind', 'department_id', 'territory_node_id']).where('code', '=', input.areaCode).executeTakeFirst();
    if (!a || a.kind === 'evaluation_grid') issues.push({ field: 'areaCode', message: `no road segment, frontage or duty area ${input.areaCode}` });
    else target = { subjectKind: 'area', subjectId: Number(a.id), unitKind: a.department_id !== null ? 'department' : 'territory', unitId: Number(a.department_id ?? a.territory_node_id) };
    targetRef = `area ${input.areaCode}`;
  } else if (input.departmentCode) {
    const d = await db.selectFrom('departments').select('id').where('code', '=', input.departmentCode).executeTakeFirst();
    if (!d) issues.push({ field: 'departmentCode', message: `no department ${input.departmentCode}` });
    else target = { subjectKind: 'department', subjectId: Number(d.id), unitKind: 'department', unitId: Number(d.id) };
    targetRef = `department ${input.departmentCode}`;
  } else if (input.territoryCode) {
    const n = await db.selectFrom('territory_nodes').select(['id', 'level']).where('code', '=', input.territoryCode).executeTakeFirst();
    if (!n || (n.level !== 'district' && n.level !== 'street')) issues.push({ field: 'territoryCode', message: `no district or street ${input.territoryCode}` });
    else target = { subjectKind: 'territory', subjectId: Number(n.id), unitKind: 'territory', unitId: Number(n.id) };
    targetRef = `territory ${input.territoryCode}`;
  }
  if (issues.length) throw new ValidationError(issues);
  const year = beijingYear(occurredAt);
  return db.transaction().execute(async (trx) => {
    await assertYearOpen(trx, 'responsibility', year, 'date');
    const thresholds = responsibilityThresholds(rules, await loadAreaIndex(trx));
    const { ids, alerts } = await appendEntries(trx, actor, [{
      ledger: 'responsibility', year, ...target!, event: 'bonus', points: tenths!, occurredAt, sourceKey: null, sourceRef: null,
      reason: input.reason.trim(), evidence: input.evidence ?? null, reversesId: null, ruleVersion: version,
    }], thresholds, now);
    await recordAudit(trx, actor, 'points_entry.bonus', { type: 'points_entry', ref: ids[0] }, { target: targetRef, points: tenths! / 10, reason: input.reason.trim() }, now);
    return { id: ids[0]!, year, points: tenths! / 10, alerts };
  });
}

/** A correction of any entry of either ledger: its reversal, with the reason. */
export async function correctEntry(db: Kysely<Database>, actor: Actor, entryId: number, reason: string, now: number) {
  if (!reason?.trim()) throw new ValidationError([{ field: 'reason', message: 'is required' }]);
  return db.transaction().execute(async (trx) => {
    const entry = await trx.selectFrom('points_entries').select('ledger').where('id', '=', entryId).executeTakeFirst();
    let thresholds = null;
    if (entry?.ledger === 'responsibility') thresholds = responsibilityThresholds((await currentRules(trx, 'responsibility')).rules, await loadAreaIndex(trx));
    const done = await reverseEntry(trx, actor, entryId, reason.trim(), null, thresholds, now);
    return { ...done, points: done.points / 10 };
  });
}

/**
 * Closes a year of the ledger: the year must have ended; a last sweep records what it still holds; then
 * every subject's total is frozen (with its level) and no entry of the year is taken any more.
 */
export async function closeYear(db: Kysely<Database>, actor: Actor, ledger: PointsLedger, year: number, now: number, freeze: (trx: Executor) => Promise<{ kind: string; id: number; total: number; entries: number; level: string | null }[]>) {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new ValidationError([{ field: 'year', message: 'must be a year' }]);
  if (year >= beijingYear(now)) throw new HttpError(409, 'year_not_ended', `year: ${year} has not ended yet (Beijing time)`);
  return db.transaction().execute(async (trx) => {
    await assertYearOpen(trx, ledger, year);
    const { version } = await currentRules(trx, ledger);
    // The last sweep catches up to now (everything before its mark is recorded already), then the totals freeze.
    const sweep = ledger === 'responsibility' ? await sweepResponsibility(trx, actor, null, now) : await sweepCredit(trx, actor, null, now);
    const rows = await freeze(trx);
    for (let i = 0; i < rows.length; i += 500) {
      await trx.insertInto('points_year_totals').values(rows.slice(i, i + 500).map((r) => ({ ledger, year, subject_kind: r.kind, subject_id: r.id, total: r.total, entries: r.entries, level: r.level }))).execute();
    }
    await trx.insertInto('points_years').values({ ledger, year, closed_at: now, closed_by: actor.kind === 'user' ? actor.id : null, closed_by_name: actor.name, rule_version: version }).execute();
    await recordAudit(trx, actor, 'points_year.close', { type: 'points_year', ref: `${ledger}/${year}` }, { subjects: rows.length, sweep }, now);
    return { ledger, year, closedAt: new Date(now).toISOString(), subjects: rows.length, sweep };
  });
}

/** What a responsibility year freezes: every overlay with points and every unit, each with its total and most severe level. */
export async function responsibilityFreeze(trx: Executor, year: number) {
  const live = await liveTotals(trx, year);
  const areas = await trx.selectFrom('responsibility_areas').select(['id', 'department_id', 'territory_node_id']).where('kind', '!=', 'evaluation_grid').execute();
  const keys = new Set<string>(live.keys());
  for (const a of areas) {
    keys.add(subjectKey('area', Number(a.id)));
    keys.add(a.department_id !== null ? subjectKey('department', Number(a.department_id)) : subjectKey('territory', Number(a.territory_node_id)));
  }
  const levels = await worstLevels(trx, 'responsibility', year);
  return [...keys].map((k) => {
    const [kind, id] = k.split(':') as [string, string];
    const t = live.get(k) ?? { total: 0, entries: 0 };
    return { kind, id: Number(id), total: t.total, entries: t.entries, level: levels.get(k) ?? null };
  });
}

/** The year's live totals and entry counts, by subject key (areas, and units). */
export async function liveTotals(db: Executor, year: number): Promise<Map<string, { total: number; entries: number }>> {
  const out = new Map<string, { total: number; entries: number }>();
  const areas = await db.selectFrom('points_entries').select(['subject_id', (eb) => eb.fn.sum<number>('points').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('ledger', '=', 'responsibility').where('year', '=', year).where('subject_kind', '=', 'area').groupBy('subject_id').execute();
  for (const r of areas) out.set(subjectKey('area', Number(r.subject_id)), { total: Number(r.total), entries: Number(r.n) });
  const units = await db.selectFrom('points_entries').select(['unit_kind', 'unit_id', (eb) => eb.fn.sum<number>('points').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('ledger', '=', 'responsibility').where('year', '=', year).where('unit_kind', 'is not', null).groupBy(['unit_kind', 'unit_id']).execute();
  for (const r of units) out.set(subjectKey(r.unit_kind!, Number(r.unit_id)), { total: Number(r.total), entries: Number(r.n) });
  return out;
}

/** The most severe alert level each subject reached in the year. */
export async function worstLevels(db: Executor, ledger: PointsLedger, year: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom('points_alerts').select(['subject_kind', 'subject_id', 'level']).where('ledger', '=', ledger).where('year', '=', year).execute();
  const out = new Map<string, string>();
  for (const r of rows) {
    const k = subjectKey(r.subject_kind, Number(r.subject_id));
    const current = out.get(k);
    if (!current || ALERT_LEVEL_ORDER.indexOf(r.level as never) > ALERT_LEVEL_ORDER.indexOf(current as never)) out.set(k, r.level);
  }
  return out;
}
