// Computes a run's results for a stage: gathers each unit's inputs (the month's inspection points and
// valid findings, the case indicators as of the month's end, the office's entries), scores them with
// the domain's formula (score.ts), places them and applies the ladder (ladder.ts), and stores one row
// per unit with its whole breakdown, so that every published point can be traced without recomputing.
import { indicatorValue } from '@cityops/domain/indicators/indicators';
import { emptyMeasures } from '@cityops/domain/indicators/measures';
import { parsePeriod, type Period } from '@cityops/domain/indicators/periods';
import { DEFAULT_CHECKLIST, type ChecklistStandard } from '@cityops/domain/evaluation/checklist';
import { placeUnits } from '@cityops/domain/evaluation/ladder';
import type { ComprehensiveScheme } from '@cityops/domain/evaluation/scheme';
import { scoreUnit, type UnitInputs, type UnitScore } from '@cityops/domain/evaluation/score';
import type { Executor } from '../db/database.ts';
import { loadPeriodMeasures } from '../indicators/period-measures.ts';
import { evaluatePerformance } from '../performance/evaluate.ts';
import { checklistById, currentChecklist, schemeById } from './definitions.service.ts';

export interface RunRef {
  id: number;
  scheme_id: number;
  scheme_code: string;
  period_code: string;
}

/** What a stored result row carries besides the domain's score: the unit, the 按时整改率 of its findings' cases, the inspection rounds counted. */
export interface ResultBreakdown extends UnitScore {
  unit: { id: number; code: string; name: string };
  rectification: { rectifiedOnTime: number; due: number; rate: number | null };
  rounds: number[];
}

export function periodOf(code: string): Period {
  const parsed = parsePeriod(code);
  if (!parsed.ok) throw new RangeError(`stored period ${code}: ${parsed.issue.message}`);
  return parsed.period;
}

async function inspectionInputs(db: Executor, run: RunRef) {
  const rounds = await db.selectFrom('inspection_rounds as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
    .select(['r.id', 'r.checklist_id']).where('s.code', '=', run.scheme_code).where('r.period_code', '=', run.period_code).orderBy('r.id').execute();
  const roundIds = rounds.map((r) => r.id);
  const points = roundIds.length
    ? await db.selectFrom('inspection_points').select(['unit_node_id', (eb) => eb.fn.countAll<number>().as('n')]).where('round_id', 'in', roundIds).groupBy('unit_node_id').execute()
    : [];
  const findings = roundIds.length
    ? await db.selectFrom('inspection_findings').select(['unit_node_id', 'item_code', (eb) => eb.fn.sum<number>('occurrences').as('n')])
      .where('round_id', 'in', roundIds).where('voided_by_appeal_id', 'is', null).groupBy(['unit_node_id', 'item_code']).execute()
    : [];
  // Findings are judged by the checklist of the month's newest round.
  const lastChecklist = rounds.at(-1)?.checklist_id;
  return { roundIds, points: new Map(points.map((p) => [p.unit_node_id, Number(p.n)])), findings, checklistId: lastChecklist ?? null };
}

export async function computeResults(db: Executor, run: RunRef, stage: 'preliminary' | 'final', now: number): Promise<ResultBreakdown[]> {
  const scheme = await schemeById(db, run.scheme_id);
  const def: ComprehensiveScheme = scheme.definition;
  const period = periodOf(run.period_code);
  const units = await db.selectFrom('territory_nodes').select(['id', 'code', 'name']).where('parent_id', '=', scheme.parentNodeId).orderBy('code').execute();
  const ins = await inspectionInputs(db, run);
  const checklist: ChecklistStandard = ins.checklistId !== null
    ? await checklistById(db, ins.checklistId)
    : (await currentChecklist(db, def.inspection.checklistCode))?.definition ?? DEFAULT_CHECKLIST;
  // The month's counts, as of its end: indicator components and every unit's 按时整改率.
  const measures = await loadPeriodMeasures(db, period, now);
  const performance = def.components.some((c) => c.kind === 'case_performance')
    ? new Map((await evaluatePerformance(db, 'region', period, now, { parentId: scheme.parentNodeId, measures })).units.map((u) => [u.unit.id, u.result.score]))
    : new Map<number, number | null>();
  const entries = await db.selectFrom('evaluation_entries').select(['unit_node_id', 'code', 'value']).where('run_id', '=', run.id).execute();

  const scores: ResultBreakdown[] = units.map((u) => {
    const m = measures.territory.get(u.id) ?? emptyMeasures();
    const componentScores: Record<string, number | null> = {};
    for (const c of def.components) {
      if (c.kind === 'case_performance') componentScores[c.code] = performance.get(u.id) ?? null;
      else if (c.kind === 'indicator') {
        const v = indicatorValue(c.indicator!, m);
        componentScores[c.code] = v === null ? null : (c.inverse ? 1 - v : v) * 100;
      } else if (c.kind === 'entered') componentScores[c.code] = entries.find((e) => e.unit_node_id === u.id && e.code === c.code)?.value ?? null;
    }
    const adjustments: Record<string, number> = {};
    for (const a of def.adjustments) {
      const e = entries.find((x) => x.unit_node_id === u.id && x.code === a.code);
      if (e) adjustments[a.code] = e.value;
    }
    const inputs: UnitInputs = {
      unitCode: u.code, sampledPoints: ins.points.get(u.id) ?? 0, componentScores, adjustments,
      findings: ins.findings.filter((f) => f.unit_node_id === u.id).map((f) => ({ itemCode: f.item_code, count: Number(f.n) })),
    };
    const due = m.rectification_due;
    return {
      ...scoreUnit(def, checklist, inputs), unit: { id: u.id, code: u.code, name: u.name },
      rectification: { rectifiedOnTime: m.rectified_on_time, due, rate: due > 0 ? m.rectified_on_time / due : null }, rounds: ins.roundIds,
    };
  });
  const placements = new Map(placeUnits(scores.map((s) => ({
    unitCode: s.unitCode, total: s.total, tieScores: def.ties.breakBy.map((code) => s.components.find((c) => c.code === code)?.score ?? null),
  })), def.ladder, def.ties.money).map((p) => [p.unitCode, p]));
  await db.deleteFrom('evaluation_results').where('run_id', '=', run.id).where('stage', '=', stage).execute();
  if (scores.length) {
    await db.insertInto('evaluation_results').values(scores.map((s) => {
      const p = placements.get(s.unitCode)!;
      return { run_id: run.id, stage, unit_node_id: s.unit.id, total: s.total, place: p.place, rank: p.rank, tied: p.tied ? 1 : 0, amount_fen: p.amountFen, breakdown: JSON.stringify(s) };
    })).execute();
  }
  return scores;
}
