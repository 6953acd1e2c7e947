// Scores one subject under a scheme: each component 0–100, the weighted sum, the grade. A component
// without a value (a rate whose denominator is 0) is left out and the others' weights are scaled up
// to 100; the result says so (partial), and a subject with no scorable component has no score at all.
import { INDICATORS, indicatorValue, roundHalfUp } from '../indicators/indicators.ts';
import type { Measures } from '../indicators/measures.ts';
import { DEFAULT_MIN_SCORED_WEIGHT, type Band, type Grade, type PerformanceScheme, type SchemeComponent } from './scheme.ts';

export interface GridCounts {
  areaClass: string;
  measures: Measures;
}

export interface ScoreInput {
  measures: Measures;
  /** The region's grids with their own counts (for grid-band components). */
  grids?: GridCounts[];
}

export interface ComponentScore {
  code: string;
  zh: string;
  weight: number;
  /** The rate (0–1) or the count the component scores; null when there is none. */
  value: number | null;
  score: number | null;
  /** Points this component adds to the composite (after any reweighting). */
  points: number | null;
}

export interface SubjectScore {
  score: number | null;
  grade: string | null;
  partial: boolean;
  components: ComponentScore[];
}

export function bandScore(bands: readonly Band[], count: number): number {
  for (const band of bands) if (band.upTo === null || count <= band.upTo) return band.score;
  return bands.at(-1)?.score ?? 0;
}

function componentValue(c: SchemeComponent, input: ScoreInput): { value: number | null; score: number | null } {
  const s = c.scoring;
  switch (s.kind) {
    case 'rate':
    case 'inverse_rate': {
      const value = c.indicator ? indicatorValue(c.indicator, input.measures) : null;
      if (value === null) return { value, score: null };
      return { value, score: s.kind === 'rate' ? value * 100 : (1 - value) * 100 };
    }
    case 'count_bands': {
      const value = input.measures[s.measure];
      return { value, score: bandScore(s.bands, value) };
    }
    case 'grid_bands': {
      const grids = input.grids ?? [];
      if (grids.length === 0) return { value: null, score: null };
      const classes = Object.keys(s.bandsByAreaClass);
      let sum = 0;
      let total = 0;
      for (const g of grids) {
        // A grid of a class the scheme does not list is held to its first (strictest) class.
        const bands = s.bandsByAreaClass[g.areaClass] ?? s.bandsByAreaClass[classes[0]!]!;
        sum += bandScore(bands, g.measures[s.measure]);
        total += g.measures[s.measure];
      }
      return { value: total, score: sum / grids.length };
    }
  }
}

export function gradeOf(grades: readonly Grade[], score: number): string {
  for (const g of grades) if (score >= g.min) return g.grade;
  return grades.at(-1)?.grade ?? '';
}

export function scoreSubject(scheme: PerformanceScheme, input: ScoreInput): SubjectScore {
  const parts = scheme.components.map((c) => ({ c, ...componentValue(c, input) }));
  const scored = parts.filter((p) => p.score !== null);
  const weight = scored.reduce((a, p) => a + p.c.weight, 0);
  const components: ComponentScore[] = parts.map((p) => ({
    code: p.c.code, zh: p.c.zh, weight: p.c.weight, value: p.value, score: p.score === null ? null : roundHalfUp(p.score, 2),
    points: p.score === null || weight === 0 ? null : roundHalfUp((p.score * p.c.weight) / weight, 2),
  }));
  if (scored.length === 0 || weight < (scheme.minScoredWeight ?? DEFAULT_MIN_SCORED_WEIGHT)) return { score: null, grade: null, partial: true, components };
  const score = roundHalfUp(scored.reduce((a, p) => a + p.score! * p.c.weight, 0) / weight, 2);
  return { score, grade: gradeOf(scheme.grades, score), partial: scored.length < parts.length, components };
}

/** For a component's label in reports: its indicator's name, or the counted measure's. */
export function componentLabel(c: SchemeComponent): string {
  return c.indicator ? INDICATORS[c.indicator].zh : c.zh;
}
