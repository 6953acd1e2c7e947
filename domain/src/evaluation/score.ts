// The score of one evaluated unit for one month, with every step shown so that each point traces to
// its source: the inspection deductions item by item (each finding's occurrences × the item's
// deduction, scaled to the reference number of sampled points, capped), each component's score and
// weight, the bonus and penalty entries, the handicap. Rounding: each item deduction and each component
// score to 0.01 (as printed), the total to 0.01, half up.
import { roundHalfUp } from '../indicators/indicators.ts';
import type { ChecklistItem, ChecklistStandard } from './checklist.ts';
import type { ComponentKind, ComprehensiveScheme } from './scheme.ts';

export interface UnitInputs {
  unitCode: string;
  /** Points sampled for the unit in the month's inspection rounds. */
  sampledPoints: number;
  /** Valid findings (appeals upheld have voided theirs): item and occurrences. */
  findings: { itemCode: string; count: number }[];
  /** Scores (0–100) of the components that are not the inspection's, null where there is nothing to score. */
  componentScores: Record<string, number | null>;
  /** Entered bonus and penalty points by item code (positive numbers; the item says which way they count). */
  adjustments: Record<string, number>;
}

export interface ItemDeduction {
  itemCode: string;
  zh: string;
  occurrences: number;
  /** occurrences × deduction × referencePoints / sampledPoints, before the cap. */
  raw: number;
  deduction: number;
  /** The item's points: the most it can lose. */
  cap: number;
  capped: boolean;
  /** Share of the item's points lost (deduction / cap). */
  lostShare: number;
  warning: boolean;
}

export interface ComponentScore {
  code: string;
  kind: ComponentKind;
  weight: number;
  score: number | null;
}

export interface UnitScore {
  unitCode: string;
  inspection: { sampledPoints: number; items: ItemDeduction[]; deductions: number; score: number | null };
  components: ComponentScore[];
  scoredWeight: number;
  /** Σ weight × score / scored weight, 0.01. */
  base: number | null;
  adjustments: { code: string; kind: 'bonus' | 'penalty'; entered: number; points: number }[];
  handicap: number;
  /** null: not enough components scored (scoredWeight < minScoredWeight). */
  total: number | null;
  warnings: string[];
}

const r2 = (v: number) => roundHalfUp(v, 2);

export function inspectionDeductions(scheme: ComprehensiveScheme, checklist: ChecklistStandard, inputs: Pick<UnitInputs, 'sampledPoints' | 'findings'>): UnitScore['inspection'] {
  if (inputs.sampledPoints <= 0) return { sampledPoints: 0, items: [], deductions: 0, score: null };
  const byItem = new Map<string, number>();
  for (const f of inputs.findings) byItem.set(f.itemCode, (byItem.get(f.itemCode) ?? 0) + f.count);
  const itemsByCode = new Map<string, ChecklistItem>(checklist.items.map((i) => [i.code, i]));
  const scale = scheme.inspection.referencePoints / inputs.sampledPoints;
  const items: ItemDeduction[] = [];
  for (const [itemCode, occurrences] of [...byItem].sort(([a], [b]) => a.localeCompare(b))) {
    const item = itemsByCode.get(itemCode);
    if (!item) throw new RangeError(`finding of item ${itemCode}, which checklist ${checklist.name} does not have`);
    const raw = r2(occurrences * item.deduction * scale);
    const deduction = Math.min(item.cap, raw);
    const lostShare = deduction / item.cap;
    items.push({ itemCode, zh: item.zh, occurrences, raw, deduction, cap: item.cap, capped: raw > item.cap, lostShare: roundHalfUp(lostShare, 4), warning: lostShare > scheme.warningShare });
  }
  const deductions = r2(items.reduce((sum, i) => sum + i.deduction, 0));
  return { sampledPoints: inputs.sampledPoints, items, deductions, score: r2(Math.max(0, 100 - deductions)) };
}

export function scoreUnit(scheme: ComprehensiveScheme, checklist: ChecklistStandard, inputs: UnitInputs): UnitScore {
  const inspection = inspectionDeductions(scheme, checklist, inputs);
  const components: ComponentScore[] = scheme.components.map((c) => {
    const raw = c.kind === 'inspection' ? inspection.score : (inputs.componentScores[c.code] ?? null);
    return { code: c.code, kind: c.kind, weight: c.weight, score: raw === null ? null : r2(Math.min(100, Math.max(0, raw))) };
  });
  const scored = components.filter((c) => c.score !== null);
  const scoredWeight = scored.reduce((sum, c) => sum + c.weight, 0);
  const base = scoredWeight > 0 ? r2(scored.reduce((sum, c) => sum + c.weight * c.score!, 0) / scoredWeight) : null;
  const adjustments = scheme.adjustments.map((a) => {
    const entered = Math.max(0, inputs.adjustments[a.code] ?? 0);
    return { code: a.code, kind: a.kind, entered, points: Math.min(a.cap, entered) * (a.kind === 'bonus' ? 1 : -1) };
  }).filter((a) => a.entered > 0);
  const handicap = scheme.handicaps.find((h) => h.unitCode === inputs.unitCode)?.points ?? 0;
  const total = base === null || scoredWeight < scheme.minScoredWeight ? null : r2(base + adjustments.reduce((sum, a) => sum + a.points, 0) + handicap);
  const warnings = inspection.items.filter((i) => i.warning).map((i) => `${i.itemCode} ${i.zh}: −${i.deduction} of ${i.cap} (${roundHalfUp(i.lostShare * 100, 1)}%)`);
  return { unitCode: inputs.unitCode, inspection, components, scoredWeight, base, adjustments, handicap, total, warnings };
}
