// Comprehensive evaluation schemes (城市管理综合考评方案) as data, versioned per year: which units are
// evaluated (the children of one territory node: a city's districts, a district's streets), the
// components and their weights, the bonus and penalty items with their caps, handicaps, the warning
// rule, how ties are broken and paid, the rank → money ladder, and the appeal window. PRODUCT.md §8.
import type { FieldIssue } from '../errors.ts';
import { INDICATORS, indicatorAttribution, isIndicatorCode, type IndicatorCode } from '../indicators/indicators.ts';

export const COMPONENT_KINDS = {
  /** 第三方暗访: 100 less the findings' deductions, normalised per sampled point. */
  inspection: { zh: '第三方暗访', en: 'Third-party inspection' },
  /** 数字城管案件指标: the unit's region performance score (GB/T 30428.4, issue 4). */
  case_performance: { zh: '数字城管案件指标', en: 'Digital case indicators' },
  /** An indicator of the unit as a score: rate × 100 (or (1 − rate) × 100 where lower is better). */
  indicator: { zh: '指标', en: 'Indicator' },
  /** A score the office enters per unit with its reason (专项工作, 红色物业, a survey …). */
  entered: { zh: '录入评分', en: 'Entered score' },
} as const;
export type ComponentKind = keyof typeof COMPONENT_KINDS;

export interface EvaluationComponent {
  code: string;
  zh: string;
  en: string;
  kind: ComponentKind;
  weight: number;
  /** For kind indicator. */
  indicator?: IndicatorCode;
  inverse?: boolean;
}

/** 加分项 / 扣分项: points the office enters per unit with reason and evidence, at most `cap` per item. */
export interface AdjustmentItem {
  code: string;
  zh: string;
  en: string;
  kind: 'bonus' | 'penalty';
  cap: number;
}

export interface Handicap {
  /** Territory code of the evaluated unit. */
  unitCode: string;
  /** Added to the unit's score (negative lowers it: 中心城区 −1). */
  points: number;
  reason: string;
}

export interface ComprehensiveScheme {
  name: string;
  year: number;
  /** The evaluated units are the children of this territory node. */
  parentCode: string;
  components: EvaluationComponent[];
  inspection: {
    /** The checklist standard (考评标准) findings are judged by. */
    checklistCode: string;
    /** Points sampled per unit and round (双随机: random points, random evaluators). */
    pointsPerUnit: number;
    /** Deductions are scaled to this many sampled points, so units of different size compare fairly. */
    referencePoints: number;
  };
  adjustments: AdjustmentItem[];
  handicaps: Handicap[];
  /** Warn when a checklist item loses more than this share of its points (常州: 0.3). */
  warningShare: number;
  /** A unit is scored only when components of at least this weight have a value. */
  minScoredWeight: number;
  ties: {
    /** Equal scores are ordered by these components' scores, highest first; units still equal share the rank. */
    breakBy: string[];
    /** Money for units sharing a rank: `split` pools the amounts of the places they hold and divides it; `each_full` pays each the amount of the shared place. */
    money: 'split' | 'each_full';
  };
  /** Yuan: rewards[0] to the first, rewards[1] to the second …; penalties[0] from the last, penalties[1] from the second-from-last … */
  ladder: { rewards: number[]; penalties: number[] };
  /** Days after the preliminary results are issued during which units may appeal (申诉). */
  appealDays: number;
  note?: string;
}

/** The default of PRODUCT.md §8: third-party inspection 60, case indicators 20, public satisfaction 10, special tasks 10; 咸宁's ±¥1,000,000 for first and last. */
export function defaultComprehensiveScheme(parentCode: string, year: number): ComprehensiveScheme {
  return {
    name: `${year}年度城市管理月度综合考评方案`, year, parentCode,
    components: [
      { code: 'inspection', zh: '第三方暗访', en: 'Third-party inspection', kind: 'inspection', weight: 60 },
      { code: 'case_performance', zh: '数字城管案件指标', en: 'Digital case indicators', kind: 'case_performance', weight: 20 },
      { code: 'satisfaction', zh: '群众满意率', en: 'Public satisfaction', kind: 'indicator', indicator: 'satisfaction_rate', weight: 10 },
      { code: 'special_tasks', zh: '专项工作', en: 'Special tasks', kind: 'entered', weight: 10 },
    ],
    inspection: { checklistCode: 'default', pointsPerUnit: 20, referencePoints: 20 },
    adjustments: [
      { code: 'major_event', zh: '重大活动保障', en: 'Support of major events', kind: 'bonus', cap: 5 },
      { code: 'media_exposure', zh: '媒体曝光', en: 'Exposed by the media', kind: 'penalty', cap: 5 },
      { code: 'superior_notice', zh: '上级督查通报', en: 'Named by a superior inspection', kind: 'penalty', cap: 3 },
    ],
    handicaps: [],
    warningShare: 0.3,
    minScoredWeight: 60,
    ties: { breakBy: ['inspection'], money: 'split' },
    ladder: { rewards: [1_000_000], penalties: [1_000_000] },
    appealDays: 5,
    note: '2nd/3rd and second/third-from-last amounts were not found for 咸宁 (cn-standards §2.1): add them to the ladder.',
  };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const CODE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Every problem of a scheme, each naming its field; an empty list means it can be saved. `known`
 * checks references: the parent node, the units named by handicaps, the checklist standard.
 */
export function validateComprehensiveScheme(input: unknown, known?: { nodeCodes: ReadonlySet<string>; childCodes: ReadonlySet<string>; checklistCodes: ReadonlySet<string> }): FieldIssue[] {
  const s = input as Partial<ComprehensiveScheme> | null;
  if (!s || typeof s !== 'object') return [{ field: 'scheme', message: 'must be an object' }];
  const issues: FieldIssue[] = [];
  const need = (ok: boolean, field: string, message: string) => { if (!ok) issues.push({ field, message }); };
  need(typeof s.name === 'string' && s.name.trim() !== '', 'name', 'is required');
  need(Number.isInteger(s.year) && s.year! >= 2000 && s.year! <= 2100, 'year', 'must be a year from 2000 to 2100');
  if (typeof s.parentCode !== 'string' || !s.parentCode) issues.push({ field: 'parentCode', message: 'must name the territory node whose children are evaluated' });
  else if (known && !known.nodeCodes.has(s.parentCode)) issues.push({ field: 'parentCode', message: `no territory node ${s.parentCode}` });

  const codes = new Set<string>();
  if (!Array.isArray(s.components) || s.components.length === 0) issues.push({ field: 'components', message: 'needs at least one component' });
  else {
    let total = 0;
    let weightsOk = true;
    s.components.forEach((c, i) => {
      const f = `components[${i}]`;
      if (typeof c?.code !== 'string' || !CODE.test(c.code)) issues.push({ field: `${f}.code`, message: 'must be a lower-case code (letters, digits, _)' });
      else if (codes.has(c.code)) issues.push({ field: `${f}.code`, message: `component ${c.code} appears twice` });
      else codes.add(c.code);
      need(typeof c?.zh === 'string' && c.zh.trim() !== '', `${f}.zh`, 'is required');
      need(typeof c?.en === 'string' && c.en.trim() !== '', `${f}.en`, 'is required');
      if (!finite(c?.weight) || !(c.weight > 0 && c.weight <= 100)) { weightsOk = false; issues.push({ field: `${f}.weight`, message: 'must be a number above 0 and at most 100' }); } else total += c.weight;
      if (!c?.kind || !Object.hasOwn(COMPONENT_KINDS, c.kind)) issues.push({ field: `${f}.kind`, message: `must be one of ${Object.keys(COMPONENT_KINDS).join(', ')}` });
      else if (c.kind === 'indicator') {
        if (!c.indicator || !isIndicatorCode(c.indicator)) issues.push({ field: `${f}.indicator`, message: 'must name an indicator' });
        else if (!indicatorAttribution(c.indicator).includes('territory')) issues.push({ field: `${f}.indicator`, message: `${c.indicator} (${INDICATORS[c.indicator].zh}) is not computed for territories` });
      }
    });
    if (weightsOk && Math.abs(total - 100) > 1e-9) issues.push({ field: 'components', message: `weights must add up to 100, not ${total}` });
    if (s.components.filter((c) => c?.kind === 'inspection').length > 1) issues.push({ field: 'components', message: 'at most one inspection component' });
  }

  const ins = s.inspection;
  if (!ins || typeof ins !== 'object') issues.push({ field: 'inspection', message: 'is required' });
  else {
    if (typeof ins.checklistCode !== 'string' || !ins.checklistCode) issues.push({ field: 'inspection.checklistCode', message: 'must name a checklist standard' });
    else if (known && !known.checklistCodes.has(ins.checklistCode)) issues.push({ field: 'inspection.checklistCode', message: `no checklist standard ${ins.checklistCode}` });
    need(Number.isInteger(ins.pointsPerUnit) && ins.pointsPerUnit > 0 && ins.pointsPerUnit <= 500, 'inspection.pointsPerUnit', 'must be a whole number from 1 to 500');
    need(Number.isInteger(ins.referencePoints) && ins.referencePoints > 0, 'inspection.referencePoints', 'must be a whole number above 0');
  }

  const adjustmentCodes = new Set<string>();
  if (!Array.isArray(s.adjustments)) issues.push({ field: 'adjustments', message: 'must be a list (it may be empty)' });
  else s.adjustments.forEach((a, i) => {
    const f = `adjustments[${i}]`;
    if (typeof a?.code !== 'string' || !CODE.test(a.code)) issues.push({ field: `${f}.code`, message: 'must be a lower-case code (letters, digits, _)' });
    else if (adjustmentCodes.has(a.code) || codes.has(a.code)) issues.push({ field: `${f}.code`, message: `${a.code} is used twice` });
    else adjustmentCodes.add(a.code);
    need(typeof a?.zh === 'string' && a.zh.trim() !== '', `${f}.zh`, 'is required');
    need(typeof a?.en === 'string' && a.en.trim() !== '', `${f}.en`, 'is required');
    need(a?.kind === 'bonus' || a?.kind === 'penalty', `${f}.kind`, 'must be bonus or penalty');
    need(finite(a?.cap) && a.cap > 0 && a.cap <= 100, `${f}.cap`, 'must be a number above 0 and at most 100');
  });

  if (!Array.isArray(s.handicaps)) issues.push({ field: 'handicaps', message: 'must be a list (it may be empty)' });
  else {
    const units = new Set<string>();
    s.handicaps.forEach((h, i) => {
      const f = `handicaps[${i}]`;
      if (typeof h?.unitCode !== 'string' || !h.unitCode) issues.push({ field: `${f}.unitCode`, message: 'must name an evaluated unit' });
      else if (units.has(h.unitCode)) issues.push({ field: `${f}.unitCode`, message: `${h.unitCode} has two handicaps` });
      else if (known && !known.childCodes.has(h.unitCode)) issues.push({ field: `${f}.unitCode`, message: `${h.unitCode} is not a unit under ${s.parentCode}` });
      if (typeof h?.unitCode === 'string') units.add(h.unitCode);
      need(finite(h?.points) && h.points !== 0 && Math.abs(h.points) <= 20, `${f}.points`, 'must be a non-zero number of points between −20 and 20');
      need(typeof h?.reason === 'string' && h.reason.trim() !== '', `${f}.reason`, 'is required');
    });
  }

  need(finite(s.warningShare) && s.warningShare! > 0 && s.warningShare! < 1, 'warningShare', 'must be a share between 0 and 1 (0.3 = 30 %)');
  need(finite(s.minScoredWeight) && s.minScoredWeight! > 0 && s.minScoredWeight! <= 100, 'minScoredWeight', 'must be a number above 0 and at most 100');
  if (!s.ties || typeof s.ties !== 'object') issues.push({ field: 'ties', message: 'is required' });
  else {
    if (!Array.isArray(s.ties.breakBy)) issues.push({ field: 'ties.breakBy', message: 'must be a list of component codes (it may be empty)' });
    else s.ties.breakBy.forEach((code, i) => need(codes.has(code), `ties.breakBy[${i}]`, `no component ${code}`));
    need(s.ties.money === 'split' || s.ties.money === 'each_full', 'ties.money', 'must be split or each_full');
  }
  if (!s.ladder || typeof s.ladder !== 'object') issues.push({ field: 'ladder', message: 'is required' });
  else for (const side of ['rewards', 'penalties'] as const) {
    const list = s.ladder[side];
    if (!Array.isArray(list)) { issues.push({ field: `ladder.${side}`, message: 'must be a list of yuan amounts (it may be empty)' }); continue; }
    list.forEach((amount, i) => {
      if (!Number.isInteger(amount) || amount < 0 || amount > 100_000_000) issues.push({ field: `ladder.${side}[${i}]`, message: 'must be a whole number of yuan from 0 to 100,000,000' });
      else if (i > 0 && amount > list[i - 1]!) issues.push({ field: `ladder.${side}[${i}]`, message: `must not exceed the place before it (${list[i - 1]})` });
    });
  }
  need(Number.isInteger(s.appealDays) && s.appealDays! >= 1 && s.appealDays! <= 30, 'appealDays', 'must be a whole number of days from 1 to 30');
  return issues;
}
