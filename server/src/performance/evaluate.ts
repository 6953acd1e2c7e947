// A performance evaluation (绩效评价) for one period: the subject's units, each scored under the
// current scheme from the period's counts, ranked, and compared with the previous period of the same
// kind. Regions are ranked among siblings (a city ranks its districts, a district its streets …).
import { indicatorValue, formatRate, INDICATORS } from '@cityops/domain/indicators/indicators';
import { emptyMeasures, type Measures } from '@cityops/domain/indicators/measures';
import { previousPeriod, type Period } from '@cityops/domain/indicators/periods';
import { changeAgainst, rank, type RankChange } from '@cityops/domain/performance/ranking';
import { PERFORMANCE_SUBJECTS, type PerformanceScheme, type PerformanceSubject } from '@cityops/domain/performance/scheme';
import { scoreSubject, type GridCounts, type SubjectScore } from '@cityops/domain/performance/score';
import type { Executor } from '../db/database.ts';
import { loadPeriodMeasures, type PeriodMeasures } from '../indicators/period-measures.ts';
import { currentScheme } from './schemes.service.ts';

export interface EvaluatedUnit {
  key: string;
  unit: { kind: 'territory' | 'department' | 'person'; id: number; code: string; name: string; level?: string; areaClass?: number };
  measures: Measures;
  result: SubjectScore;
  rank: number | null;
  tied: boolean;
  change: RankChange;
}

export interface Evaluation {
  subject: PerformanceSubject;
  period: Period;
  asOf: string;
  scheme: { version: number; name: string; note: string | null };
  /** For regions: the node whose children are ranked. */
  parent: { id: number; code: string; name: string; level: string } | null;
  units: EvaluatedUnit[];
}

interface Candidate {
  key: string;
  unit: EvaluatedUnit['unit'];
  measures: Measures;
  grids?: GridCounts[];
}

/** Each node's grids with their counts, computed once per period's counts (grid bands score every region). */
const gridsUnderCache = new WeakMap<PeriodMeasures, Map<string, GridCounts[]>>();
function gridsUnder(pm: PeriodMeasures): Map<string, GridCounts[]> {
  let byCode = gridsUnderCache.get(pm);
  if (byCode) return byCode;
  byCode = new Map();
  for (const g of pm.nodes.values()) {
    if (g.level !== 'grid') continue;
    const counts: GridCounts = { areaClass: String(g.areaClass), measures: pm.territory.get(g.id) ?? emptyMeasures() };
    for (const code of g.path.split('/').filter(Boolean)) {
      const list = byCode.get(code);
      if (list) list.push(counts);
      else byCode.set(code, [counts]);
    }
  }
  gridsUnderCache.set(pm, byCode);
  return byCode;
}

/** The units a subject evaluates, with their counts; regions under `parentId` (default: the city). */
function candidates(subject: PerformanceSubject, pm: PeriodMeasures, parentId: number | null): Candidate[] {
  if (subject === 'region') {
    const children = [...pm.nodes.values()].filter((n) => n.parentId === parentId);
    const grids = gridsUnder(pm);
    return children.map((node) => ({
      key: node.code,
      unit: { kind: 'territory', id: node.id, code: node.code, name: node.name, level: node.level, areaClass: node.areaClass },
      measures: pm.territory.get(node.id) ?? emptyMeasures(),
      grids: grids.get(node.code) ?? [],
    }));
  }
  if (subject === 'department') {
    return [...pm.departments.values()].map(({ ref, measures }) => ({ key: ref.code, unit: { kind: 'department', id: ref.id, code: ref.code, name: ref.name }, measures }));
  }
  return [...pm.persons.values()].filter(({ ref }) => ref.roles.some((r) => r.role === subject))
    .map(({ ref, measures }) => ({ key: ref.username, unit: { kind: 'person', id: ref.id, code: ref.username, name: ref.name }, measures }));
}

function scoreAll(scheme: PerformanceScheme, list: Candidate[]) {
  const scored = list.map((c) => ({ c, result: scoreSubject(scheme, { measures: c.measures, grids: c.grids }) }));
  const ranked = rank(scored.map((s) => ({ key: s.c.key, score: s.result.score, s })));
  return ranked.map((r) => ({ ...r.item.s, rank: r.rank, tied: r.tied }));
}

export async function evaluatePerformance(
  db: Executor,
  subject: PerformanceSubject,
  period: Period,
  now: number,
  options: { parentId?: number | null; measures?: PeriodMeasures; previousMeasures?: PeriodMeasures } = {},
): Promise<Evaluation> {
  const [stored, pm, prev] = await Promise.all([
    currentScheme(db, subject),
    options.measures ?? loadPeriodMeasures(db, period, now),
    options.previousMeasures ?? loadPeriodMeasures(db, previousPeriod(period), now),
  ]);
  let parentId: number | null = null;
  if (subject === 'region') {
    parentId = options.parentId ?? [...pm.nodes.values()].find((n) => n.level === 'city')?.id ?? null;
  }
  const current = scoreAll(stored.scheme, candidates(subject, pm, parentId));
  const before = new Map(scoreAll(stored.scheme, candidates(subject, prev, parentId)).map((s) => [s.c.key, { score: s.result.score, rank: s.rank }]));
  const parent = parentId !== null ? pm.nodes.get(parentId) ?? null : null;
  return {
    subject, period, asOf: new Date(pm.asOf).toISOString(),
    scheme: { version: stored.version, name: stored.scheme.name, note: stored.scheme.note ?? null },
    parent: parent ? { id: parent.id, code: parent.code, name: parent.name, level: parent.level } : null,
    units: current.map((s) => ({
      key: s.c.key, unit: s.c.unit, measures: s.c.measures, result: s.result, rank: s.rank, tied: s.tied,
      change: changeAgainst({ score: s.result.score, rank: s.rank }, before.get(s.c.key)),
    })),
  };
}

/** Indicator values with their display text, for any set of counts. */
export function indicatorTable(m: Measures, codes: (keyof typeof INDICATORS)[] = Object.keys(INDICATORS) as (keyof typeof INDICATORS)[]) {
  return codes.map((code) => {
    const value = indicatorValue(code, m);
    const row = INDICATORS[code];
    return { code, zh: row.zh, en: row.en, numerator: m[row.numerator], denominator: m[row.denominator], value, text: formatRate(value), better: row.better };
  });
}

export const SUBJECT_NAMES = Object.keys(PERFORMANCE_SUBJECTS) as PerformanceSubject[];

/**
 * The full evaluation of a period: every subject (regions under the city and under each district,
 * departments, the four posts) from one load of the period's and the previous period's counts.
 */
export async function evaluateAll(db: Executor, period: Period, now: number): Promise<Evaluation[]> {
  const [measures, previousMeasures] = await Promise.all([loadPeriodMeasures(db, period, now), loadPeriodMeasures(db, previousPeriod(period), now)]);
  const city = [...measures.nodes.values()].find((n) => n.level === 'city');
  const regionParents = [...measures.nodes.values()].filter((n) => n.level === 'city' || n.level === 'district').map((n) => n.id);
  const out: Evaluation[] = [];
  for (const subject of SUBJECT_NAMES) {
    const parents = subject === 'region' ? regionParents : [city?.id ?? null];
    for (const parentId of parents) out.push(await evaluatePerformance(db, subject, period, now, { parentId, measures, previousMeasures }));
  }
  return out;
}
