// 累计加减分 (accumulated points of responsibility areas and units) and 信用积分 (credit points of shops and
// companies): the office's and readers' routes, and the public credit list with its appeals (docs/points.md).
import { api, downloadFile, request } from './client.ts';

export type AreaKind = 'road_segment' | 'frontage' | 'duty_area';
export type AlertLevelCode = 'warning' | 'yellow_card' | 'red_card';
export type CreditKind = 'frontage_shop' | 'sanitation_contractor' | 'muck_transport';
export type Ledger = 'responsibility' | 'credit';
export interface Named { zh: string; en: string }
export interface AlertLevel extends Named { code: AlertLevelCode }

export interface AreaTotal {
  code: string; name: string; kind: AreaKind; responsiblePerson: string | null; territory: { code: string; name: string };
  unit: { kind: 'department' | 'territory'; code: string; name: string }; total: number; entries: number; level: AlertLevel | null;
}
export interface UnitTotal { kind: 'department' | 'territory'; code: string; name: string; total: number; entries: number; level: AlertLevel | null }
export interface Totals<T> { year: number; closedAt: string | null; items: T[] }
export interface PointsEntry {
  id: number; event: string; eventName: Named | null; points: number; occurredAt: string; area: { code: string; name: string; kind: AreaKind } | null;
  subject: { kind: string; id: number }; source: string | null; reason: string | null; evidence: number[]; reverses: number | null; reversed: boolean;
  ruleVersion: number; recordedAt: string; recordedBy: string;
}
export interface PointsAlert {
  id: number; subjectKind: string; subject: { code: string; name: string } | null; level: AlertLevel | null; total: number; threshold: number; crossedAt: string; entryId: number;
}
export interface ClosedYear { ledger: Ledger; year: number; closedAt: string; closedBy: string; ruleVersion: number }
export interface RuleVersion { version: number; name: string; reason: string | null; savedAt: string; savedBy: string | null }
export interface StoredRules { ledger: Ledger; version: number; rules: Record<string, unknown>; savedAt: string | null; savedBy: string | null; reason: string | null }
/** The timestamps a sweep read: from its mark (less ten minutes), or a whole year; in week slices. */
export interface SweepWindow { from: string; to: string; slices: number }
export interface SweepSummary {
  responsibility: { years: number[]; window: SweepWindow; finding: number; case_overdue: number; case_repeated: number; reversed: number; alerts: number };
  credit: { years: number[]; window: SweepWindow; violation: number; finding: number; reversed: number };
}

export const getAreaTotals = (year: number, kind: string, signal?: AbortSignal) => api.get<Totals<AreaTotal>>('/api/points/areas', { year, kind }, signal);
export const getUnitTotals = (year: number, signal?: AbortSignal) => api.get<Totals<UnitTotal>>('/api/points/units', { year }, signal);
export type UnitKind = 'department' | 'territory';
/** `area` an overlay's ledger; `unit` (with `unitKind`) a unit's: the entries that make its total. */
export const getEntries = (q: { year: number; area?: string | undefined; unit?: string | undefined; unitKind?: UnitKind | undefined; event?: string | undefined; limit: number; offset: number }, signal?: AbortSignal) =>
  api.get<{ total: number; items: PointsEntry[] }>('/api/points/entries', q, signal);
export const getAlerts = (year: number, signal?: AbortSignal) => api.get<{ year: number; items: PointsAlert[] }>('/api/points/alerts', { year }, signal);
export const getClosedYears = (signal?: AbortSignal) => api.get<{ items: ClosedYear[] }>('/api/points/years', {}, signal);
export const enterBonus = (body: { areaCode?: string; departmentCode?: string; territoryCode?: string; points: number; reason: string; evidence?: number[]; date?: string }) =>
  api.post<{ id: number; year: number; points: number }>('/api/points/entries', body);
export const correctEntry = (id: number, reason: string) => api.post<{ id: number; points: number }>(`/api/points/entries/${id}/correction`, { reason });
export const runSweep = (year?: number) => api.post<SweepSummary>('/api/points/sweep', year ? { year } : {});
export const closeYear = (year: number, ledger: Ledger) => api.post<{ ledger: Ledger; year: number; closedAt: string; subjects: number }>(`/api/points/years/${year}/close`, { ledger });
export const getRules = (ledger: Ledger, signal?: AbortSignal) => api.get<{ current: StoredRules; versions: RuleVersion[] }>(`/api/points/rules/${ledger}`, {}, signal);
export const saveRules = (ledger: Ledger, rules: unknown, reason: string) => request<StoredRules>('PUT', `/api/points/rules/${ledger}`, { body: { rules, ...(reason ? { reason } : {}) } });
export const downloadPointsReport = (year: number, format: 'xlsx' | 'pdf') => downloadFile('/api/points/report', { year, format }, `points-${year}.${format}`);

// 信用积分: the office's register.
export interface CreditLevel { code: string; zh: string }
export interface CreditSubject {
  id: number; kind: CreditKind; kindName: Named | null; name: string; creditCode: string; address: string | null; location: { lon: number; lat: number } | null;
  area: { code: string; name: string } | null; territory: string | null; contact: { name: string | null; phone: string | null }; active: boolean;
  score: number | null; entries: number; level: CreditLevel | null;
}
export interface CreditEntry {
  id: number; event: string; eventName: Named | null; points: number; occurredAt: string; source: string | null; reason: string | null; evidence: number[];
  reverses: number | null; reversed: boolean; recordedBy: string; recordedAt: string;
}
export interface CreditAppealOfSubject { id: number; code: string; entryId: number; reason: string; filedAt: string; state: AppealState; ruling: string | null; ruledAt: string | null; reversalEntryId: number | null }
export interface CreditSubjectDetail extends Omit<CreditSubject, 'entries'> { year: number; entries: CreditEntry[]; appeals: CreditAppealOfSubject[] }
export type AppealState = 'filed' | 'upheld' | 'rejected';
export interface CreditAppeal {
  id: number; code: string; state: AppealState; reason: string; filedAt: string; ruling: string | null; ruledAt: string | null;
  subject: { id: number; name: string; creditCode: string }; entry: { id: number; points: number; event: string; source: string | null; reason: string | null }; reversalEntryId: number | null;
}
export interface SubjectInput {
  kind: string; name: string; creditCode: string; address?: string | null; areaCode?: string | null; contactName?: string | null; contactPhone?: string | null;
}

export const listCreditSubjects = (year: number, kind: string, signal?: AbortSignal) => api.get<{ year: number; closed: boolean; items: CreditSubject[] }>('/api/credit/subjects', { year, kind }, signal);
export const getCreditSubject = (id: number, year: number, signal?: AbortSignal) => api.get<CreditSubjectDetail>(`/api/credit/subjects/${id}`, { year }, signal);
export const createCreditSubject = (body: SubjectInput) => api.post<{ id: number }>('/api/credit/subjects', body);
export const updateCreditSubject = (id: number, body: Partial<SubjectInput> & { active?: boolean }) => api.patch<{ id: number }>(`/api/credit/subjects/${id}`, body);
export const enterCreditEntry = (id: number, body: { kind: 'violation' | 'good_conduct'; caseCode?: string; points?: number; reason?: string }) =>
  api.post<{ id: number; year: number; points: number }>(`/api/credit/subjects/${id}/entries`, body);
export const listCreditAppeals = (state: string, signal?: AbortSignal) => api.get<{ items: CreditAppeal[] }>('/api/credit/appeals', { state }, signal);
export const ruleCreditAppeal = (id: number, body: { outcome: 'upheld' | 'rejected'; ruling: string }) => api.post<{ id: number; code: string; state: AppealState }>(`/api/credit/appeals/${id}/ruling`, body);
export const downloadCreditReport = (year: number, format: 'xlsx' | 'pdf') => downloadFile('/api/credit/report', { year, format }, `credit-${year}.${format}`);

// The public side: no account.
export interface PublicCreditItem { name: string; creditCode: string; kind: CreditKind; kindName: Named | null; territory: string | null; score: number | null; level: CreditLevel | null }
export interface PublicCreditRecord {
  name: string; creditCode: string; kind: CreditKind; kindName: Named | null; territory: string | null; year: number; score: number | null; level: CreditLevel | null;
  entries: { id: number; event: string; eventName: Named | null; points: number; occurredOn: string; reversed: boolean; reverses: number | null }[];
  appeals: { code: string; entryId: number; filedAt: string; state: AppealState }[];
}
export interface PublicAppeal { code: string; subject: string; entryId: number; points: number; state: AppealState; filedAt: string; ruling: string | null; ruledAt: string | null }

export const publicCreditList = (year: number, kind: string, signal?: AbortSignal) => api.get<{ year: number; closed: boolean; items: PublicCreditItem[] }>('/api/public/credit', { year, kind }, signal);
export const publicCreditRecord = (code: string, year: number, signal?: AbortSignal) => api.get<PublicCreditRecord>(`/api/public/credit/subjects/${encodeURIComponent(code)}`, { year }, signal);
export const fileCreditAppeal = (body: { creditCode: string; entryId: number; reason: string }) => api.post<{ code: string; state: AppealState; filedAt: string }>('/api/public/credit/appeals', body);
export const followCreditAppeal = (code: string, signal?: AbortSignal) => api.get<PublicAppeal>(`/api/public/credit/appeals/${encodeURIComponent(code)}`, {}, signal);

/** This year in Beijing time, the year the ledgers count in. */
export const beijingYearNow = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
