// Performance evaluation schemes (绩效评价方案, GB/T 30428.4 / CJ/T 292 style) as data: for each kind
// of subject, the components (an indicator or a count), how each is scored 0–100, their weights, and
// the grade bands. Schemes are versioned rows the office can edit; these are the defaults.
import type { FieldIssue } from '../errors.ts';
import { INDICATORS, isIndicatorCode, indicatorAttribution, roundHalfUp, type IndicatorCode, type IndicatorRow } from '../indicators/indicators.ts';
import { MEASURES, type MeasureCode } from '../indicators/measures.ts';

export const PERFORMANCE_SUBJECTS = {
  region: { zh: '区域评价', en: 'Regions', attribution: 'territory' },
  department: { zh: '部门评价', en: 'Departments', attribution: 'department' },
  inspector: { zh: '监督员评价', en: 'Inspectors', attribution: 'person' },
  acceptor: { zh: '受理员评价', en: 'Acceptors', attribution: 'person' },
  shift_chief: { zh: '值班长评价', en: 'Shift chiefs', attribution: 'person' },
  dispatcher: { zh: '派遣员评价', en: 'Dispatchers', attribution: 'person' },
} as const;
export type PerformanceSubject = keyof typeof PERFORMANCE_SUBJECTS;

/** A count band: counts up to and including `upTo` score `score`; the last band has upTo null (the rest). */
export interface Band {
  upTo: number | null;
  score: number;
}

export type Scoring =
  /** rate × 100 */
  | { kind: 'rate' }
  /** (1 − rate) × 100, for rates where lower is better */
  | { kind: 'inverse_rate' }
  /** a count scored by bands (受理数, 部门立案数) */
  | { kind: 'count_bands'; measure: MeasureCode; bands: Band[] }
  /** 立案数 per grid by area class (区域类别), each grid scored by its class's bands, averaged over the region's grids */
  | { kind: 'grid_bands'; measure: MeasureCode; bandsByAreaClass: Record<string, Band[]> };

export interface SchemeComponent {
  /** A label for the component: the indicator code, or the counted measure's code for band scores. */
  code: string;
  zh: string;
  indicator: IndicatorCode | null;
  weight: number;
  scoring: Scoring;
}

export interface Grade {
  grade: string;
  min: number;
}

export interface PerformanceScheme {
  subject: PerformanceSubject;
  name: string;
  components: SchemeComponent[];
  grades: Grade[];
  /**
   * A unit is scored only when components carrying at least this much weight have a value (default
   * 50): a department that was given one case and returned it is not measured, rather than ranked first
   * on its workload band alone.
   */
  minScoredWeight?: number;
  /**
   * The department scheme only: the indicator the department report (专业部门案件处置情况通报) ranks on, as
   * printed (two decimals, better first). Default 按期处置率 (DEFAULT_REPORT_RANKING).
   */
  reportRanking?: { indicator: IndicatorCode };
  note?: string;
}

/** The department report's ranking when the scheme names none: the on-time handling rate (按期处置率). */
export const DEFAULT_REPORT_RANKING: { indicator: IndicatorCode } = { indicator: 'on_time_handling_rate' };

/**
 * A department's score in the report's ranking: the indicator in points of a hundred, better first (a rate
 * where lower is better, 返工率, counts as its complement), rounded to the two decimals printed; null when the
 * indicator has no value (nothing was due), so the department is not ranked.
 */
export function reportRankingScore(indicator: IndicatorCode, value: number | null): number | null {
  if (value === null) return null;
  const points = INDICATORS[indicator].better === 'higher' ? value * 100 : (1 - value) * 100;
  return roundHalfUp(points, 2);
}

export const DEFAULT_MIN_SCORED_WEIGHT = 50;

export const DEFAULT_GRADES: Grade[] = [{ grade: 'A', min: 90 }, { grade: 'B', min: 75 }, { grade: 'C', min: 60 }, { grade: 'D', min: 40 }, { grade: 'E', min: 0 }];

/** 受理数 and 派遣数 per month (cn-standards §1.8): more work handled scores higher. */
const WORKLOAD_BANDS: Band[] = [{ upTo: 100, score: 0 }, { upTo: 300, score: 40 }, { upTo: 500, score: 60 }, { upTo: 1200, score: 75 }, { upTo: 2000, score: 90 }, { upTo: null, score: 100 }];
/** A department's 立案数: fewer problems in its remit scores higher. */
const DEPARTMENT_CASE_BANDS: Band[] = [{ upTo: 50, score: 100 }, { upTo: 100, score: 90 }, { upTo: 200, score: 75 }, { upTo: 500, score: 60 }, { upTo: 1000, score: 40 }, { upTo: null, score: 0 }];
/** A grid's 立案数 by area class: class 1 (一类区域) is held to the stricter bands. */
const GRID_CASE_BANDS: Record<string, Band[]> = {
  '1': [{ upTo: 0, score: 100 }, { upTo: 2, score: 90 }, { upTo: 4, score: 75 }, { upTo: 6, score: 60 }, { upTo: 8, score: 40 }, { upTo: null, score: 0 }],
  '2': [{ upTo: 0, score: 100 }, { upTo: 3, score: 90 }, { upTo: 5, score: 75 }, { upTo: 7, score: 60 }, { upTo: 9, score: 40 }, { upTo: null, score: 0 }],
};

const rate = (indicator: IndicatorCode, weight: number, inverse = false): SchemeComponent => ({
  code: indicator, zh: INDICATORS[indicator].zh, indicator, weight, scoring: { kind: inverse ? 'inverse_rate' : 'rate' },
});

export const DEFAULT_PERFORMANCE_SCHEMES: Record<PerformanceSubject, PerformanceScheme> = {
  region: {
    subject: 'region', name: '区域评价(GB/T 30428.4)',
    note: 'The standard\'s region weights were not found; 10/20/30/40 is the editable default (cn-standards §1.8).',
    components: [
      rate('public_report_rate', 10, true),
      { code: 'registered', zh: '立案数', indicator: null, weight: 20, scoring: { kind: 'grid_bands', measure: 'registered', bandsByAreaClass: GRID_CASE_BANDS } },
      rate('closing_rate', 30),
      rate('on_time_closing_rate', 40),
    ],
    grades: DEFAULT_GRADES,
  },
  department: {
    subject: 'department', name: '部门评价(GB/T 30428.4)',
    note: '宜根据部门工作职责分组设定立案数分值: the bands can differ per scheme.',
    reportRanking: DEFAULT_REPORT_RANKING,
    components: [
      { code: 'dispatched', zh: '立案数', indicator: null, weight: 10, scoring: { kind: 'count_bands', measure: 'dispatched', bands: DEPARTMENT_CASE_BANDS } },
      rate('closing_rate', 30),
      rate('on_time_handling_rate', 30),
      rate('rework_rate', 30, true),
    ],
    grades: DEFAULT_GRADES,
  },
  inspector: {
    subject: 'inspector', name: '监督员评价',
    components: [rate('valid_report_rate', 40), rate('missed_report_rate', 20, true), rate('on_time_verification_rate', 20), rate('on_time_check_rate', 20)],
    grades: DEFAULT_GRADES,
  },
  acceptor: {
    subject: 'acceptor', name: '受理员评价',
    components: [
      { code: 'acceptances', zh: '受理数', indicator: null, weight: 25, scoring: { kind: 'count_bands', measure: 'acceptances', bands: WORKLOAD_BANDS } },
      rate('on_time_verify_request_rate', 40),
      rate('on_time_acceptance_rate', 35),
    ],
    grades: DEFAULT_GRADES,
  },
  shift_chief: {
    subject: 'shift_chief', name: '值班长评价',
    components: [rate('on_time_registration_rate', 25), rate('accurate_registration_rate', 40), rate('on_time_closing_post_rate', 35)],
    grades: DEFAULT_GRADES,
  },
  dispatcher: {
    subject: 'dispatcher', name: '派遣员评价',
    components: [
      { code: 'dispatches', zh: '派遣数', indicator: null, weight: 20, scoring: { kind: 'count_bands', measure: 'dispatches', bands: WORKLOAD_BANDS } },
      rate('on_time_dispatch_rate', 40),
      rate('accurate_dispatch_rate', 40),
    ],
    grades: DEFAULT_GRADES,
  },
};

function checkBands(bands: unknown, field: string, issues: FieldIssue[]): void {
  if (!Array.isArray(bands) || bands.length === 0) { issues.push({ field, message: 'needs at least one band' }); return; }
  let last = -Infinity;
  bands.forEach((b: Band, i) => {
    const f = `${field}[${i}]`;
    if (typeof b?.score !== 'number' || !(b.score >= 0 && b.score <= 100)) issues.push({ field: `${f}.score`, message: 'must be a number from 0 to 100' });
    const isLast = i === bands.length - 1;
    if (isLast && b?.upTo !== null) issues.push({ field: `${f}.upTo`, message: 'the last band takes the rest: upTo must be null' });
    if (!isLast) {
      if (typeof b?.upTo !== 'number' || !Number.isFinite(b.upTo)) issues.push({ field: `${f}.upTo`, message: 'must be a number (only the last band is open)' });
      else if (b.upTo <= last) issues.push({ field: `${f}.upTo`, message: `must be greater than the band before (${last})` });
      else last = b.upTo;
    }
  });
}

/** Every problem of a scheme, each naming its field; an empty list means it can be saved. */
export function validatePerformanceScheme(input: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const s = input as Partial<PerformanceScheme> | null;
  if (!s || typeof s !== 'object') return [{ field: 'scheme', message: 'must be an object' }];
  if (!s.subject || !Object.hasOwn(PERFORMANCE_SUBJECTS, s.subject)) issues.push({ field: 'subject', message: `must be one of ${Object.keys(PERFORMANCE_SUBJECTS).join(', ')}` });
  if (typeof s.name !== 'string' || !s.name.trim()) issues.push({ field: 'name', message: 'is required' });
  if (!Array.isArray(s.components) || s.components.length === 0) {
    issues.push({ field: 'components', message: 'needs at least one component' });
  } else {
    const attribution = s.subject && Object.hasOwn(PERFORMANCE_SUBJECTS, s.subject) ? PERFORMANCE_SUBJECTS[s.subject].attribution : null;
    let total = 0;
    const codes = new Set<string>();
    s.components.forEach((c, i) => {
      const f = `components[${i}]`;
      if (typeof c?.weight !== 'number' || !(c.weight > 0 && c.weight <= 100)) issues.push({ field: `${f}.weight`, message: 'must be a number above 0 and at most 100' });
      else total += c.weight;
      if (codes.has(c?.code)) issues.push({ field: `${f}.code`, message: `component ${c.code} appears twice` });
      codes.add(c?.code);
      const kind = c?.scoring?.kind;
      if (kind === 'rate' || kind === 'inverse_rate') {
        if (!c.indicator || !isIndicatorCode(c.indicator)) issues.push({ field: `${f}.indicator`, message: 'must name an indicator for a rate score' });
        else if (attribution && !indicatorAttribution(c.indicator).includes(attribution)) issues.push({ field: `${f}.indicator`, message: `${c.indicator} cannot be computed for ${s.subject}` });
        else {
          const post = (INDICATORS[c.indicator] as IndicatorRow).post;
          if (post && post !== s.subject) issues.push({ field: `${f}.indicator`, message: `${c.indicator} judges the ${post} post, not ${s.subject}` });
        }
      } else if (kind === 'count_bands' || kind === 'grid_bands') {
        const measure = c.scoring.measure;
        if (!Object.hasOwn(MEASURES, measure)) issues.push({ field: `${f}.scoring.measure`, message: `unknown count ${measure}` });
        else if (attribution && !(MEASURES[measure].by as readonly string[]).includes(attribution)) issues.push({ field: `${f}.scoring.measure`, message: `${measure} cannot be counted for ${s.subject}` });
        if (kind === 'grid_bands') {
          if (s.subject !== 'region') issues.push({ field: `${f}.scoring.kind`, message: 'grid bands score regions only' });
          const byClass = c.scoring.bandsByAreaClass;
          if (!byClass || typeof byClass !== 'object' || Object.keys(byClass).length === 0) issues.push({ field: `${f}.scoring.bandsByAreaClass`, message: 'needs the bands of at least one area class' });
          else for (const [k, bands] of Object.entries(byClass)) checkBands(bands, `${f}.scoring.bandsByAreaClass.${k}`, issues);
        } else checkBands(c.scoring.bands, `${f}.scoring.bands`, issues);
      } else issues.push({ field: `${f}.scoring.kind`, message: 'must be rate, inverse_rate, count_bands or grid_bands' });
    });
    if (Math.abs(total - 100) > 1e-9 && !issues.some((i) => i.field.endsWith('.weight'))) issues.push({ field: 'components', message: `weights must add up to 100, not ${total}` });
  }
  if (s.reportRanking !== undefined && s.subject && Object.hasOwn(PERFORMANCE_SUBJECTS, s.subject)) {
    const indicator = (s.reportRanking as { indicator?: unknown } | null)?.indicator;
    if (s.subject !== 'department') issues.push({ field: 'reportRanking', message: 'only the department scheme ranks a report (the department report)' });
    else if (typeof indicator !== 'string' || !isIndicatorCode(indicator)) issues.push({ field: 'reportRanking.indicator', message: 'must name an indicator' });
    else if (!indicatorAttribution(indicator).includes('department')) issues.push({ field: 'reportRanking.indicator', message: `${indicator} cannot be computed for departments` });
  }
  if (s.minScoredWeight !== undefined && (typeof s.minScoredWeight !== 'number' || !(s.minScoredWeight > 0 && s.minScoredWeight <= 100))) {
    issues.push({ field: 'minScoredWeight', message: 'must be a number above 0 and at most 100' });
  }
  if (!Array.isArray(s.grades) || s.grades.length === 0) issues.push({ field: 'grades', message: 'needs at least one grade' });
  else {
    s.grades.forEach((g, i) => {
      if (typeof g?.grade !== 'string' || !g.grade.trim()) issues.push({ field: `grades[${i}].grade`, message: 'is required' });
      if (typeof g?.min !== 'number' || !(g.min >= 0 && g.min <= 100)) issues.push({ field: `grades[${i}].min`, message: 'must be a number from 0 to 100' });
      else if (i > 0 && g.min >= (s.grades![i - 1]!.min)) issues.push({ field: `grades[${i}].min`, message: 'grades go from the highest minimum down' });
    });
    if (s.grades.at(-1)?.min !== 0) issues.push({ field: `grades[${s.grades.length - 1}].min`, message: 'the lowest grade starts at 0, so every score has a grade' });
  }
  return issues;
}
