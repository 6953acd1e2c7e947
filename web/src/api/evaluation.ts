import { api, downloadFile, request } from './client.ts';

export interface RunSummary {
  id: number;
  scheme: { code: string; name: string };
  parent: string;
  period: string;
  version: number;
  state: string;
  publishedAt: string | null;
  appealDeadline: string | null;
}

export interface ComponentScore { code: string; kind: string; weight: number; score: number | null }
export interface Change { previousTotal: number | null; previousRank: number | null; total: number | null; rank: number | null }

export interface RankingRow {
  place: number | null;
  rank: number | null;
  tied: boolean;
  unit: { id: number; code: string; name: string };
  total: number | null;
  change: Change;
  amountYuan: number;
  components: ComponentScore[];
  inspection: { score: number | null; deductions: number; sampledPoints: number };
  adjustments: { code: string; kind: 'bonus' | 'penalty'; entered: number; points: number }[];
  handicap: number;
  warnings: string[];
  rectification: { rectifiedOnTime: number; due: number; rate: number | null };
}

export interface RunView {
  id: number;
  scheme: { code: string; version: number; name: string };
  components: { code: string; zh: string; en: string; kind: string; weight: number }[];
  adjustmentItems: { code: string; zh: string; en: string; kind: 'bonus' | 'penalty'; cap: number }[];
  componentNames: Record<string, string>;
  parent: { code: string; name: string; level: string };
  period: { code: string; zh: string; en: string };
  version: number;
  state: string;
  stateName: { zh: string; en: string };
  lockVersion: number;
  reason: string | null;
  supersedesId: number | null;
  appealDeadline: string | null;
  publishedAt: string | null;
  actions: string[];
  stage: string;
  ranking: RankingRow[];
  settlement: { unit: { code: string; name: string }; rank: number | null; amountYuan: number; kind: 'reward' | 'penalty' }[];
  appeals: { id: number; unit: { code: string; name: string }; findingId: number | null; entryCode: string | null; text: string; evidence: number[]; filedAt: string; outcome: string | null; ruling: string | null; newValue: number | null }[];
  events: { action: string; from: string | null; to: string; at: string; actor: string; reason: string | null }[];
  versions: { id: number; version: number; state: string; reason: string | null; publishedAt: string | null }[];
}

export interface ItemDeduction { itemCode: string; zh: string; occurrences: number; raw: number; deduction: number; cap: number; capped: boolean; lostShare: number; warning: boolean }

export interface UnitTrace {
  run: { id: number; version: number; state: string; period: string; stage: string };
  unit: { code: string; name: string };
  total: number | null;
  rank: number | null;
  amountYuan: number;
  names: Record<string, { zh: string; en: string }>;
  handicapReason: string | null;
  score: {
    inspection: { sampledPoints: number; items: ItemDeduction[]; deductions: number; score: number | null };
    components: ComponentScore[];
    scoredWeight: number;
    base: number | null;
    adjustments: { code: string; kind: string; entered: number; points: number }[];
    handicap: number;
    warnings: string[];
    rectification: { rectifiedOnTime: number; due: number; rate: number | null };
  };
  findings: { id: number; itemCode: string; occurrences: number; point: { seq: number; grid: string }; foundAt: string; note: string | null; photoId: number | null; voidedByAppealId: number | null; case: { id: number; code: string; state: string; closedAt: string | null; onTime: boolean | null } | null }[];
  entries: { code: string; value: number; reason: string; enteredAt: string }[];
  appeals: { id: number; findingId: number | null; entryCode: string | null; text: string; evidence: number[]; filedAt: string; outcome: string | null; ruling: string | null; newValue: number | null }[];
}

export interface PublishedRanking {
  scheme: { code: string; name: string };
  territory: { code: string; name: string };
  period: string;
  version: number;
  correction: string | null;
  publishedAt: string;
  ranking: { rank: number | null; tied: boolean; unit: { code: string; name: string }; total: number | null; change: Change; amountYuan: number }[];
}

export const listRuns = (signal?: AbortSignal) => api.get<{ items: RunSummary[] }>('/api/evaluation/runs', {}, signal);
export const getRun = (id: number, signal?: AbortSignal) => api.get<RunView>(`/api/evaluation/runs/${id}`, {}, signal);
export const actOnRun = (id: number, action: string, body: { reason?: string; expectedLock?: number }) => api.post<RunView>(`/api/evaluation/runs/${id}/actions/${action}`, body);
export const getTrace = (id: number, unit: string, signal?: AbortSignal) => api.get<UnitTrace>(`/api/evaluation/runs/${id}/units/${encodeURIComponent(unit)}/trace`, {}, signal);
export const publicRankings = (signal?: AbortSignal) => api.get<{ items: PublishedRanking[] }>('/api/public/rankings', {}, signal);

/** Downloads a run's printed results (the request carries the session token, so a plain link would not do). */
export const downloadReport = (id: number, format: 'xlsx' | 'pdf', filename: string) =>
  downloadFile(`/api/evaluation/runs/${id}/report`, { format }, `${filename}.${format}`);

export interface RoundSummary { id: number; scheme: { code: string; name: string }; period: string; seed: number; state: string; openedAt: string; points: number; findings: number }
export interface RoundFinding {
  id: number; pointId: number; unit: string | null; unitName: string | null; seq: number | null; grid: string | null;
  itemCode: string; itemName: { zh: string; en: string } | null; occurrences: number;
  /** Deduction per occurrence × occurrences, before the month's normalisation and the item's cap. */
  deduction: number | null;
  evaluator: { id: number; name: string }; foundAt: string; location: { lon: number; lat: number } | null; note: string | null; photoId: number | null;
  voidedByAppealId: number | null;
  case: { id: number; code: string | null; state: string | null; stateName: { zh: string; en: string } | null } | null;
}
export interface RoundDetail {
  id: number; period: string; seed: number; state: string; scheme: { code: string; version: number; name: string };
  points: { id: number; unit: { code: string; name: string }; seq: number; grid: { code: string; lon: number; lat: number }; evaluator: { id: number; name: string }; findings: { id: number; itemCode: string; occurrences: number; caseId: number | null; voided: boolean }[] }[];
  items: { code: string; area: string; zh: string; en: string; deduction: number; cap: number }[];
  findings: RoundFinding[];
}
export interface MyPoint { id: number; round_id: number; period_code: string; seq: number; unit_code: string; unit_name: string; grid_code: string; centroid_lon: number; centroid_lat: number }

export interface SchemeVersionSummary { id: number; code: string; version: number; name: string; year: number; parent: { code: string; name: string }; reason: string | null; savedAt: string | null; savedBy: number | null; savedByName: string | null }
export const listSchemes = (signal?: AbortSignal) => api.get<{ items: SchemeVersionSummary[] }>('/api/evaluation/schemes', {}, signal);
export const listRounds = (signal?: AbortSignal) => api.get<{ items: RoundSummary[] }>('/api/evaluation/rounds', {}, signal);
export const getRound = (id: number, signal?: AbortSignal) => api.get<RoundDetail>(`/api/evaluation/rounds/${id}`, {}, signal);
export const openRound = (body: { schemeCode: string; period: string; seed?: number }) => api.post<RoundDetail>('/api/evaluation/rounds', body);
export const closeRound = (id: number) => api.post<RoundDetail>(`/api/evaluation/rounds/${id}/close`, {});
export const openRun = (body: { schemeCode: string; period: string }) => api.post<RunView>('/api/evaluation/runs', body);
export const myPoints = (signal?: AbortSignal) => api.get<{ items: MyPoint[]; checklists: Record<string, { code: string; zh: string; en: string; area: string; evidence: string[] }[]> }>('/api/evaluation/my-points', {}, signal);
export const recordFinding = (roundId: number, body: Record<string, unknown>) => api.post<{ findingId: number; caseId: number | null }>(`/api/evaluation/rounds/${roundId}/findings`, body);
export const setEntry = (runId: number, body: { unitCode: string; code: string; value: number; reason: string }) => request<RunView>('PUT', `/api/evaluation/runs/${runId}/entries`, { body });
export const ruleAppeal = (appealId: number, body: { outcome: string; ruling: string; newValue?: number }) => api.post<{ id: number }>(`/api/evaluation/appeals/${appealId}/ruling`, body);
export const fileAppeal = (runId: number, body: { unitCode: string; findingId?: number; entryCode?: string; text: string; attachmentIds?: number[] }) => api.post<{ id: number }>(`/api/evaluation/runs/${runId}/appeals`, body);

// Checklist standards (考评标准) and schemes (考评方案): versioned definitions; a save is a new version.
export type ChecklistArea = 'sanitation' | 'appearance' | 'facilities' | 'greenery' | 'street_order' | 'other';
export const CHECKLIST_AREAS: ChecklistArea[] = ['sanitation', 'appearance', 'facilities', 'greenery', 'street_order', 'other'];
export const EVIDENCE_KINDS = ['photo', 'gps'] as const;
export interface ChecklistItem { code: string; area: ChecklistArea; zh: string; en: string; deduction: number; cap: number; evidence: string[]; classCode: string | null }
export interface ChecklistStandard { name: string; items: ChecklistItem[]; note?: string }

export type ComponentKind = 'inspection' | 'case_performance' | 'indicator' | 'entered';
export const COMPONENT_KINDS: ComponentKind[] = ['inspection', 'case_performance', 'indicator', 'entered'];
export interface SchemeComponent { code: string; zh: string; en: string; kind: ComponentKind; weight: number; indicator?: string; inverse?: boolean }
export interface ComprehensiveScheme {
  name: string; year: number; parentCode: string;
  components: SchemeComponent[];
  inspection: { checklistCode: string; pointsPerUnit: number; referencePoints: number };
  adjustments: { code: string; zh: string; en: string; kind: 'bonus' | 'penalty'; cap: number }[];
  handicaps: { unitCode: string; points: number; reason: string }[];
  warningShare: number; minScoredWeight: number;
  ties: { breakBy: string[]; money: 'split' | 'each_full' };
  /** Whole yuan per place: rewards from the first, penalties from the last. */
  ladder: { rewards: number[]; penalties: number[] };
  appealDays: number; note?: string;
}
export interface Stored<T> { id: number | null; code: string; version: number; definition: T; savedAt: string | null; savedBy: number | null; reason: string | null }
export interface ChecklistVersion { id: number | null; version: number; name: string; items: number; reason: string | null; savedAt: string | null; savedBy: number | null; savedByName: string | null }

export const listChecklists = (signal?: AbortSignal) => api.get<{ items: { code: string; version: number; name: string }[] }>('/api/evaluation/checklists', {}, signal);
export const getChecklist = (code: string, version?: number, signal?: AbortSignal) => api.get<Stored<ChecklistStandard>>(`/api/evaluation/checklists/${encodeURIComponent(code)}`, { version }, signal);
export const checklistVersions = (code: string, signal?: AbortSignal) => api.get<{ items: ChecklistVersion[] }>(`/api/evaluation/checklists/${encodeURIComponent(code)}/versions`, {}, signal);
export const saveChecklist = (code: string, standard: unknown, reason?: string) =>
  request<Stored<ChecklistStandard>>('PUT', `/api/evaluation/checklists/${encodeURIComponent(code)}`, { body: { standard, ...(reason ? { reason } : {}) } });
export const getScheme = (code: string, version?: number, signal?: AbortSignal) => api.get<Stored<ComprehensiveScheme>>(`/api/evaluation/schemes/${encodeURIComponent(code)}`, { version }, signal);
export const saveScheme = (code: string, scheme: unknown, reason?: string) =>
  request<Stored<ComprehensiveScheme>>('PUT', `/api/evaluation/schemes/${encodeURIComponent(code)}`, { body: { scheme, ...(reason ? { reason } : {}) } });
/** The indicators a component may score (those computed for territories are accepted by the server). */
export async function territoryIndicators(signal?: AbortSignal): Promise<{ code: string; zh: string; en: string }[]> {
  const d = await api.get<{ measures: { code: string; by: string[] }[]; indicators: { code: string; zh: string; en: string; numerator: string; denominator: string }[] }>('/api/indicators/definitions', {}, signal);
  const by = new Map(d.measures.map((m) => [m.code, m.by]));
  return d.indicators.filter((i) => by.get(i.numerator)?.includes('territory') && by.get(i.denominator)?.includes('territory')).map(({ code, zh, en }) => ({ code, zh, en }));
}
