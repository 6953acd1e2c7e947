// 绩效评价 (GB/T 30428.4): the rankings of regions, departments and the four posts for a period, and the versioned
// schemes they are scored under (docs/indicators.md). The scheme's shape is the server's (domain/src/performance/
// scheme.ts); the web app edits it as a plain object and the server validates it.
import { api, request } from './client.ts';
import type { IndicatorRow } from './indicators.ts';

export type PerformanceSubject = 'region' | 'department' | 'inspector' | 'acceptor' | 'shift_chief' | 'dispatcher';
export const PERFORMANCE_SUBJECTS: PerformanceSubject[] = ['region', 'department', 'inspector', 'acceptor', 'shift_chief', 'dispatcher'];
/** What a subject's units are counted by: the attribution of the counts its components may use. */
export const SUBJECT_ATTRIBUTION: Record<PerformanceSubject, 'territory' | 'department' | 'person'> = {
  region: 'territory', department: 'department', inspector: 'person', acceptor: 'person', shift_chief: 'person', dispatcher: 'person',
};

export interface Band { upTo: number | null; score: number }
export type Scoring =
  | { kind: 'rate' }
  | { kind: 'inverse_rate' }
  | { kind: 'count_bands'; measure: string; bands: Band[] }
  | { kind: 'grid_bands'; measure: string; bandsByAreaClass: Record<string, Band[]> };
export type ScoringKind = Scoring['kind'];
export const SCORING_KINDS: ScoringKind[] = ['rate', 'inverse_rate', 'count_bands', 'grid_bands'];
export interface SchemeComponent { code: string; zh: string; indicator: string | null; weight: number; scoring: Scoring }
export interface Grade { grade: string; min: number }
export interface PerformanceScheme {
  subject: PerformanceSubject;
  name: string;
  components: SchemeComponent[];
  grades: Grade[];
  minScoredWeight?: number;
  reportRanking?: { indicator: string };
  note?: string;
}
export interface SchemeVersion { version: number; savedAt: string; savedBy: number | null; savedByName: string | null; reason: string | null }
export interface StoredScheme { version: number; scheme: PerformanceScheme; savedAt: string | null; savedBy: number | null; savedByName: string | null; reason: string | null }

export interface ComponentScore { code: string; zh: string; weight: number; value: number | null; score: number | null; points: number | null }
export interface RankChange { previousScore: number | null; previousRank: number | null; scoreChange: number | null; rankChange: number | null }
export interface PerformanceUnit { kind: 'territory' | 'department' | 'person'; id: number; code: string; name: string; level?: string; areaClass?: number }
export interface PerformanceItem {
  rank: number | null; tied: boolean; unit: PerformanceUnit; score: number | null; grade: string | null; partial: boolean;
  components: ComponentScore[]; change: RankChange; indicators: IndicatorRow[];
  /** Regions only: whether the reader may open this region's ranking of its children (the server decides). */
  drillable?: boolean;
}
/** The rankings the reader may open and the region ranking to open first (the code of the node it ranks the children of). */
export interface ReadableRankings { subjects: PerformanceSubject[]; home: string | null }
export interface PerformanceEvaluation {
  subject: PerformanceSubject;
  subjectName: string;
  period: { kind: string; code: string; zh: string; en: string };
  asOf: string;
  scheme: { version: number; name: string; note: string | null };
  parent: { id: number; code: string; name: string; level: string } | null;
  items: PerformanceItem[];
}

export interface MeasureDefinition { code: string; zh: string; en: string; by: string[]; definition: string }
export interface IndicatorDefinition { code: string; zh: string; en: string; numerator: string; denominator: string; better: 'higher' | 'lower'; post?: string; note?: string }
export interface Definitions { measures: MeasureDefinition[]; indicators: IndicatorDefinition[] }

export const getReadableRankings = (signal?: AbortSignal) => api.get<ReadableRankings>('/api/performance', {}, signal);
export const getPerformance = (subject: PerformanceSubject, query: { period?: string; parent?: string }, signal?: AbortSignal) =>
  api.get<PerformanceEvaluation>(`/api/performance/${subject}`, query, signal);
export const getScheme = (subject: PerformanceSubject, signal?: AbortSignal) =>
  api.get<StoredScheme & { versions: SchemeVersion[] }>(`/api/performance-schemes/${subject}`, {}, signal);
export const saveScheme = (subject: PerformanceSubject, scheme: unknown, reason: string) =>
  request<StoredScheme>('PUT', `/api/performance-schemes/${subject}`, { body: { scheme, ...(reason ? { reason } : {}) } });

let definitions: Promise<Definitions> | null = null;
/** The counts and indicators (GET /api/indicators/definitions), read once: they are the code's, not data. */
export function getDefinitions(): Promise<Definitions> {
  definitions ??= api.get<Definitions>('/api/indicators/definitions').catch((error: unknown) => { definitions = null; throw error; });
  return definitions;
}

/** The indicators a subject's rate components may name (mirrors the server's check; the server still decides). */
export function indicatorsFor(defs: Definitions, subject: PerformanceSubject): IndicatorDefinition[] {
  const by = new Map(defs.measures.map((m) => [m.code, m.by]));
  const attribution = SUBJECT_ATTRIBUTION[subject];
  return defs.indicators.filter((i) => (by.get(i.numerator) ?? []).includes(attribution) && (by.get(i.denominator) ?? []).includes(attribution) && (!i.post || i.post === subject));
}

export const measuresFor = (defs: Definitions, subject: PerformanceSubject): MeasureDefinition[] => defs.measures.filter((m) => m.by.includes(SUBJECT_ATTRIBUTION[subject]));
