// The derived entries of the accumulated points: a sweep reads the inspection findings and the cases of the
// open years, places each in the overlay it counts against (the rules' precedence), and records what is not
// recorded yet, once per source (the ledger's unique source key): so it runs any number of times, from the
// daily job or the office's button, and gives the same ledger. A finding voided by an upheld evaluation
// appeal gets its entry reversed. Events of a closed year are left alone (its totals are frozen).
import type { Actor } from '@cityops/domain/access/scope';
import { beijingYear, beijingYearRange } from '@cityops/domain/points/engine';
import { chargedArea, eventTenths, thresholdsInTenths, type DerivedEvent, type ResponsibilityRules } from '@cityops/domain/points/responsibility-rules';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import { loadAreaIndex, type AreaIndex } from './area-index.ts';
import { appendEntries, closedYears, inTransaction, reverseEntry, type NewEntry, type ThresholdsOf } from './ledger.ts';
import { currentRules } from './rule-sets.service.ts';

const DAY = 86_400_000;

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

/** The years a sweep covers by default: this one and the last, unless closed. */
export async function openYears(db: Executor, now: number): Promise<number[]> {
  const closed = await closedYears(db, 'responsibility');
  return [beijingYear(now) - 1, beijingYear(now)].filter((y) => !closed.has(y));
}

export async function sweepResponsibility(db: Executor, actor: Actor, years: number[] | null, now: number) {
  return inTransaction(db, (trx) => sweepResponsibilityIn(trx, actor, years, now));
}

/** The sweep within the caller's transaction (closing a year sweeps it one last time first). */
export async function sweepResponsibilityIn(trx: Executor, actor: Actor, years: number[] | null, now: number) {
  const closed = await closedYears(trx, 'responsibility');
  const wanted = (years ?? (await openYears(trx, now))).filter((y) => !closed.has(y));
  const summary = { years: wanted, finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 };
  if (!wanted.length) return summary;
  const { version, rules } = await currentRules(trx, 'responsibility');
  const areas = await loadAreaIndex(trx);
  const thresholds = responsibilityThresholds(rules, areas);
  const fromMs = Math.min(...wanted.map((y) => beijingYearRange(y).fromMs));
  const toMs = Math.max(...wanted.map((y) => beijingYearRange(y).toMs));
  const inYears = (ms: number) => wanted.includes(beijingYear(ms));
  const recorded = new Set((await trx.selectFrom('points_entries').select('source_key').where('ledger', '=', 'responsibility').where('source_key', 'is not', null)
    .where('occurred_at', '>=', fromMs - 400 * DAY).execute()).map((r) => r.source_key!));
  const entries: NewEntry[] = [];
  const charge = (event: DerivedEvent, sourceKey: string, sourceRef: string, lon: number, lat: number, occurredAt: number, times: number, reason: string) => {
    if (recorded.has(sourceKey) || !inYears(occurredAt)) return;
    const area = chargedArea(rules, areas.containing(lon, lat));
    const tenths = area ? eventTenths(rules, event, area.kind) : null;
    if (!area || tenths === null) return;
    entries.push({
      ledger: 'responsibility', year: beijingYear(occurredAt), subjectKind: 'area', subjectId: area.id, unitKind: area.unitKind, unitId: area.unitId,
      event, points: tenths * times, occurredAt, sourceKey, sourceRef, reason, evidence: null, reversesId: null, ruleVersion: version,
    });
    summary[event]++;
  };

  const findings = await trx.selectFrom('inspection_findings as f').innerJoin('inspection_rounds as r', 'r.id', 'f.round_id')
    .select(['f.id', 'f.item_code', 'f.occurrences', 'f.lon', 'f.lat', 'f.found_at', 'f.voided_by_appeal_id', 'f.attachment_id', 'r.period_code'])
    .where('f.found_at', '>=', fromMs).where('f.found_at', '<', toMs).where('f.lon', 'is not', null).orderBy('f.id').execute();
  for (const f of findings) {
    if (f.voided_by_appeal_id !== null) continue;
    charge('finding', `finding:${f.id}`, `finding ${f.id}`, f.lon!, f.lat!, Number(f.found_at), f.occurrences, `第三方暗访 ${f.period_code} ${f.item_code} × ${f.occurrences}`);
  }

  // Overdue: the case's handling went past its deadline (now or in an earlier round); counted once per case,
  // on the date it became late.
  const late = await trx.selectFrom('cases').select(['id', 'code', 'class_code', 'lon', 'lat', 'handling_due_at', 'handling_overdue_at', 'handling_stopped_at', 'overdue_rounds'])
    .where('merged_into_id', 'is', null).where('reported_at', '>=', fromMs - 366 * DAY).where('reported_at', '<', toMs)
    .where((eb) => eb.or([eb('overdue_rounds', '>', 0), eb.and([eb('handling_due_at', 'is not', null), eb('handling_due_at', '<', now)])])).execute();
  for (const c of late) {
    const due = c.handling_overdue_at ?? c.handling_due_at;
    const lateNow = c.handling_due_at !== null && Number(c.handling_stopped_at ?? now) > Number(c.handling_due_at);
    if (due === null || (!lateNow && Number(c.overdue_rounds) === 0)) continue;
    charge('case_overdue', `case_overdue:${c.id}`, c.code, c.lon, c.lat, Number(due), 1, `案件 ${c.code} 超时未处置`);
  }

  // Repeated: a registered case of the same class in the same overlay within the window after an earlier one.
  const window = rules.repeatWindowDays * DAY;
  const registered = await trx.selectFrom('cases').select(['id', 'code', 'class_code', 'lon', 'lat', 'reported_at'])
    .where('registered_at', 'is not', null).where('merged_into_id', 'is', null).where('duplicate_flag', '=', 0)
    .where('reported_at', '>=', fromMs - window).where('reported_at', '<', toMs).orderBy('reported_at').orderBy('id').execute();
  const lastSeen = new Map<string, number>();
  for (const c of registered) {
    const area = chargedArea(rules, areas.containing(c.lon, c.lat));
    if (!area) continue;
    const key = `${area.id}/${c.class_code}`;
    const previous = lastSeen.get(key);
    lastSeen.set(key, Number(c.reported_at));
    if (previous !== undefined && Number(c.reported_at) - previous <= window) {
      charge('case_repeated', `case_repeated:${c.id}`, c.code, c.lon, c.lat, Number(c.reported_at), 1, `${rules.repeatWindowDays} 日内同类问题(${c.class_code})再次发生:案件 ${c.code}`);
    }
  }

  const { alerts } = await appendEntries(trx, actor, entries, thresholds, now);
  summary.alerts = alerts.length;

  // Findings voided by an upheld evaluation appeal: their entries reversed (once).
  const open = await trx.selectFrom('points_entries as e').leftJoin('points_entries as r', 'r.reverses_id', 'e.id').select(['e.id', 'e.year', 'e.source_key'])
    .where('e.ledger', '=', 'responsibility').where('e.source_key', 'like', 'finding:%').where('r.id', 'is', null).execute();
  const voidedBy = new Map((await trx.selectFrom('inspection_findings').select(['id', 'voided_by_appeal_id']).where('voided_by_appeal_id', 'is not', null).execute())
    .map((f) => [`finding:${f.id}`, Number(f.voided_by_appeal_id)]));
  const voided = open.filter((e) => voidedBy.has(e.source_key!)).map((e) => ({ id: e.id, year: e.year, voided_by_appeal_id: voidedBy.get(e.source_key!)! }));
  for (const v of voided) {
    if (closed.has(Number(v.year))) continue;
    const reversal = await reverseEntry(trx, actor, Number(v.id), `暗访发现经申诉撤销(申诉 ${v.voided_by_appeal_id})`, `appeal ${v.voided_by_appeal_id}`, thresholds, now);
    summary.reversed++;
    summary.alerts += reversal.alerts.length;
  }
  await recordAudit(trx, actor, 'points.sweep', { type: 'points_ledger', ref: 'responsibility' }, summary, now);
  return summary;
}
