// The credit violations derived from the records (信用积分, decision 0018): a case of a priced class registered,
// or an inspection finding of a priced item recorded, inside the overlay a subject is linked to (a shop's 门前三包
// frontage, a contractor's duty area or road segment), counts against each subject linked there; once per
// source and subject. Read from the ledger's mark like the accumulated points (sweep-window.ts), so a subject
// answers for what happens in its overlay while it is linked there. A finding voided by an upheld appeal has its
// entries reversed.
import type { Actor } from '@cityops/domain/access/scope';
import { beijingYear } from '@cityops/domain/points/engine';
import { findingTenths, violationTenths, type CreditRules, type CreditSubjectKind } from '@cityops/domain/points/credit-rules';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import { loadAreaIndex, type AreaIndex } from './area-index.ts';
import { appendEntries, reverseEntry, type NewEntry } from './ledger.ts';
import { currentRules } from './rule-sets.service.ts';
import { findingsVoidedIn, openEntriesOfFinding, planWindow, recordedKeys, sweepSlices, type SweepMode } from './sweep-window.ts';

export const creditEntryBase = (year: number, subjectId: number, ruleVersion: number) => ({ ledger: 'credit' as const, year, subjectKind: 'credit_subject' as const, subjectId, unitKind: null, unitId: null, ruleVersion, reversesId: null });

interface Context { actor: Actor; now: number; version: number; rules: CreditRules; areas: AreaIndex; byArea: Map<number, { id: number; kind: CreditSubjectKind }[]>; years: number[] }
type Summary = { violation: number; finding: number; reversed: number };

/** The sweep: `years` null reads from the mark (the job, the button); `[year]` re-reads that year. */
export async function sweepCredit(db: Executor, actor: Actor, years: number[] | null, now: number) {
  const mode: SweepMode = years?.length === 1 ? { kind: 'year', year: years[0]! } : { kind: 'catch_up' };
  const window = await planWindow(db, 'credit', mode, now);
  const subjects = await db.selectFrom('credit_subjects').select(['id', 'kind', 'area_id']).where('active', '=', 1).where('area_id', 'is not', null).execute();
  const byArea = new Map<number, { id: number; kind: CreditSubjectKind }[]>();
  for (const s of subjects) byArea.set(Number(s.area_id), [...(byArea.get(Number(s.area_id)) ?? []), { id: Number(s.id), kind: s.kind as CreditSubjectKind }]);
  const { version, rules } = await currentRules(db, 'credit');
  const context: Context = { actor, now, version, rules, areas: await loadAreaIndex(db), byArea, years: window.years };
  const summary: Summary = { violation: 0, finding: 0, reversed: 0 };
  const read = await sweepSlices(db, 'credit', window, now, (trx, a, b) => sweepSlice(trx, context, a, b, summary));
  const result = { years: window.years, window: read, ...summary };
  if (summary.violation + summary.finding + summary.reversed > 0 || actor.kind === 'user') {
    await recordAudit(db, actor, 'points.sweep', { type: 'points_ledger', ref: 'credit' }, result, now);
  }
  return result;
}

async function sweepSlice(trx: Executor, c: Context, a: number, b: number, summary: Summary) {
  const candidates: NewEntry[] = [];
  const charge = (event: 'violation' | 'finding', source: string, sourceRef: string, lon: number, lat: number, occurredAt: number, price: (kind: CreditSubjectKind) => number | null, reason: string) => {
    if (!c.years.includes(beijingYear(occurredAt))) return;
    for (const area of c.areas.containing(lon, lat)) {
      for (const s of c.byArea.get(area.id) ?? []) {
        const tenths = price(s.kind);
        if (tenths !== null) candidates.push({ ...creditEntryBase(beijingYear(occurredAt), s.id, c.version), event, points: tenths, occurredAt, sourceKey: `${source}@${s.id}`, sourceRef, reason, evidence: null });
      }
    }
  };
  if (c.byArea.size) {
    const classes = [...new Set(c.rules.violations.map((v) => v.classCode))];
    if (classes.length) {
      const cases = await trx.selectFrom('cases').select(['id', 'code', 'class_code', 'lon', 'lat', 'reported_at']).where('class_code', 'in', classes)
        .where('registered_at', '>=', a).where('registered_at', '<', b).where('merged_into_id', 'is', null).orderBy('id').execute();
      for (const k of cases) charge('violation', `case:${k.id}`, k.code, k.lon, k.lat, Number(k.reported_at), (kind) => violationTenths(c.rules, k.class_code, kind), `案件 ${k.code}(${k.class_code})`);
    }
    const items = [...new Set(c.rules.findings.map((f) => f.itemCode))];
    if (items.length) {
      const findings = await trx.selectFrom('inspection_findings').select(['id', 'item_code', 'occurrences', 'lon', 'lat', 'found_at']).where('item_code', 'in', items)
        .where('created_at', '>=', a).where('created_at', '<', b).where('voided_by_appeal_id', 'is', null).where('lon', 'is not', null).orderBy('id').execute();
      for (const f of findings) {
        charge('finding', `finding:${f.id}`, `finding ${f.id}`, f.lon!, f.lat!, Number(f.found_at), (kind) => { const t = findingTenths(c.rules, f.item_code, kind); return t === null ? null : t * f.occurrences; }, `第三方暗访 ${f.item_code} × ${f.occurrences}`);
      }
    }
  }
  const recorded = await recordedKeys(trx, 'credit', candidates.map((e) => e.sourceKey!));
  const entries = candidates.filter((e) => !recorded.has(e.sourceKey!));
  for (const e of entries) summary[e.event as 'violation' | 'finding']++;
  await appendEntries(trx, c.actor, entries, null, c.now);

  // Findings voided by an upheld evaluation appeal ruled in the slice: their credit entries reversed.
  for (const appeal of await findingsVoidedIn(trx, a, b)) {
    for (const entry of await openEntriesOfFinding(trx, 'credit', Number(appeal.finding_id))) {
      if (!c.years.includes(Number(entry.year))) continue;
      await reverseEntry(trx, c.actor, Number(entry.id), '暗访发现经申诉撤销', `appeal ${appeal.id}`, null, c.now);
      summary.reversed++;
    }
  }
}
