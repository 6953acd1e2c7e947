// The derived entries of the accumulated points. A sweep reads what happened since its mark (sweep-window.ts):
// the findings recorded, the deadlines passed and the rounds found late, the cases registered (repeats) and the
// appeals ruled; places each in the overlay it counts against (the rules' precedence); and records what is not
// recorded yet, once per source (the ledger's unique source key), so it runs any number of times, from the
// hourly job or the office's button, and gives the same ledger. A finding voided by an upheld evaluation
// appeal gets its entry reversed. Events of a closed year are left alone (its totals are frozen).
import type { Actor } from '@cityops/domain/access/scope';
import { beijingYear } from '@cityops/domain/points/engine';
import { chargedArea, eventTenths, thresholdsInTenths, type DerivedEvent, type ResponsibilityRules } from '@cityops/domain/points/responsibility-rules';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import { loadAreaIndex, type AreaIndex } from './area-index.ts';
import { appendEntries, reverseEntry, type NewEntry, type ThresholdsOf } from './ledger.ts';
import { repeatedCases } from './responsibility-repeats.ts';
import { currentRules } from './rule-sets.service.ts';
import { findingsVoidedIn, openEntriesOfFinding, planWindow, recordedKeys, sweepSlices, type SweepMode } from './sweep-window.ts';

/** Thresholds of a subject key: an area by its overlay kind, a unit by its kind. */
export function responsibilityThresholds(rules: ResponsibilityRules, areas: AreaIndex): ThresholdsOf {
  return (key) => {
    const [kind, id] = key.split(':') as [string, string];
    if (kind === 'area') {
      const area = areas.areas.get(Number(id));
      return area ? thresholdsInTenths(rules, area.kind) : undefined;
    }
    return thresholdsInTenths(rules, kind as 'department' | 'territory');
  };
}

interface Context { actor: Actor; now: number; version: number; rules: ResponsibilityRules; areas: AreaIndex; thresholds: ThresholdsOf; years: number[] }
type Summary = { finding: number; case_overdue: number; case_repeated: number; reversed: number; alerts: number };

/** The sweep: `years` null reads from the mark (the job, the button); `[year]` re-reads that year. */
export async function sweepResponsibility(db: Executor, actor: Actor, years: number[] | null, now: number) {
  const mode: SweepMode = years?.length === 1 ? { kind: 'year', year: years[0]! } : { kind: 'catch_up' };
  const window = await planWindow(db, 'responsibility', mode, now);
  const { version, rules } = await currentRules(db, 'responsibility');
  const areas = await loadAreaIndex(db);
  const context: Context = { actor, now, version, rules, areas, thresholds: responsibilityThresholds(rules, areas), years: window.years };
  const summary: Summary = { finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 };
  const read = await sweepSlices(db, 'responsibility', window, now, (trx, a, b) => sweepSlice(trx, context, a, b, summary));
  const result = { years: window.years, window: read, ...summary };
  // An hourly run that found nothing leaves no trace in the audit log; a person's run always does.
  if (summary.finding + summary.case_overdue + summary.case_repeated + summary.reversed > 0 || actor.kind === 'user') {
    await recordAudit(db, actor, 'points.sweep', { type: 'points_ledger', ref: 'responsibility' }, result, now);
  }
  return result;
}

async function sweepSlice(trx: Executor, c: Context, a: number, b: number, summary: Summary) {
  const candidates: NewEntry[] = [];
  const charge = (event: DerivedEvent, sourceKey: string, sourceRef: string, lon: number, lat: number, occurredAt: number, times: number, reason: string) => {
    if (!c.years.includes(beijingYear(occurredAt))) return;
    const area = chargedArea(c.rules, c.areas.containing(lon, lat));
    const tenths = area ? eventTenths(c.rules, event, area.kind) : null;
    if (!area || tenths === null) return;
    candidates.push({
      ledger: 'responsibility', year: beijingYear(occurredAt), subjectKind: 'area', subjectId: area.id, unitKind: area.unitKind, unitId: area.unitId,
      event, points: tenths * times, occurredAt, sourceKey, sourceRef, reason, evidence: null, reversesId: null, ruleVersion: c.version,
    });
  };

  const findings = await trx.selectFrom('inspection_findings as f').innerJoin('inspection_rounds as r', 'r.id', 'f.round_id')
    .select(['f.id', 'f.item_code', 'f.occurrences', 'f.lon', 'f.lat', 'f.found_at', 'r.period_code'])
    .where('f.created_at', '>=', a).where('f.created_at', '<', b).where('f.voided_by_appeal_id', 'is', null).where('f.lon', 'is not', null).orderBy('f.id').execute();
  for (const f of findings) charge('finding', `finding:${f.id}`, `finding ${f.id}`, f.lon!, f.lat!, Number(f.found_at), f.occurrences, `第三方暗访 ${f.period_code} ${f.item_code} × ${f.occurrences}`);

  for (const late of await casesFoundLate(trx, a, b, c.now)) charge('case_overdue', `case_overdue:${late.id}`, late.code, late.lon, late.lat, late.lateAt, 1, `案件 ${late.code} 超时未处置`);

  for (const r of await repeatedCases(trx, c.rules, c.areas, a, b)) {
    charge('case_repeated', `case_repeated:${r.id}`, r.code, r.lon, r.lat, r.reportedAt, 1, `${c.rules.repeatWindowDays} 日内同类问题(${r.classCode})再次发生:案件 ${r.code}`);
  }

  const recorded = await recordedKeys(trx, 'responsibility', candidates.map((e) => e.sourceKey!));
  const entries = candidates.filter((e, i) => !recorded.has(e.sourceKey!) && candidates.findIndex((x) => x.sourceKey === e.sourceKey) === i);
  for (const e of entries) summary[e.event as DerivedEvent]++;
  summary.alerts += (await appendEntries(trx, c.actor, entries, c.thresholds, c.now)).alerts.length;

  // Findings voided by an upheld evaluation appeal ruled in the slice: their entries reversed (once).
  for (const appeal of await findingsVoidedIn(trx, a, b)) {
    for (const entry of await openEntriesOfFinding(trx, 'responsibility', Number(appeal.finding_id))) {
      if (!c.years.includes(Number(entry.year))) continue;
      const reversal = await reverseEntry(trx, c.actor, Number(entry.id), `暗访发现经申诉撤销(申诉 ${appeal.id})`, `appeal ${appeal.id}`, c.thresholds, c.now);
      summary.reversed++;
      summary.alerts += reversal.alerts.length;
    }
  }
}

/**
 * The cases that became late in [a, b), dated when they became late (the earliest deadline missed):
 * - a case still held whose deadline passed in the slice (no step since: only the clock says it is late), read
 *   from the index of held cases by deadline;
 * - a round recorded late whose deadline was in the slice: the first step after a missed deadline (the
 *   feedback, a sign-for, an extension, a return) records the round's `overdue_at` at that deadline, so a case
 *   reported back late, or sent back before any sweep saw its deadline pass, is found by its round.
 * Both reads are ranges on an index led by the deadline (a case reported back is no longer in the first).
 */
async function casesFoundLate(trx: Executor, a: number, b: number, now: number) {
  const late = new Map<number, { id: number; code: string; lon: number; lat: number; lateAt: number }>();
  const note = (c: { id: number; code: string; lon: number; lat: number }, at: number) => {
    const seen = late.get(Number(c.id));
    if (!seen || at < seen.lateAt) late.set(Number(c.id), { id: Number(c.id), code: c.code, lon: c.lon, lat: c.lat, lateAt: at });
  };
  const held = await trx.selectFrom('cases').select(['id', 'code', 'lon', 'lat', 'handling_due_at'])
    .where('handling_stopped_at', 'is', null).where('handling_due_at', 'is not', null).where('handling_due_at', '>=', a).where('handling_due_at', '<', b)
    .where('merged_into_id', 'is', null).execute();
  for (const c of held) if (now > Number(c.handling_due_at)) note(c, Number(c.handling_due_at));
  const rounds = await trx.selectFrom('handling_rounds as r').innerJoin('cases as c', 'c.id', 'r.case_id').select(['c.id', 'c.code', 'c.lon', 'c.lat', 'r.overdue_at'])
    .where('r.overdue_at', '>=', a).where('r.overdue_at', '<', b).where('c.merged_into_id', 'is', null).execute();
  for (const r of rounds) note(r, Number(r.overdue_at));
  return [...late.values()].sort((x, y) => x.lateAt - y.lateAt || x.id - y.id);
}
