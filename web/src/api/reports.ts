import { api, downloadFile } from './client.ts';

// The department report (专业部门案件处置情况通报), as server/src/reports/department-report.types.ts returns it.
export interface ReportRate { value: number | null; text: string }

export interface DepartmentReportRow {
  rank: number | null;
  tied: boolean;
  department: { id: number; code: string; name: string; kind: string };
  dispatched: number;
  dueToHandle: number;
  handled: number;
  handledOnTime: number;
  overdue: number;
  reworked: number;
  extended: number;
  returned: number;
  dueToClose: number;
  closed: number;
  handlingRate: ReportRate;
  onTimeHandlingRate: ReportRate;
  reworkRate: ReportRate;
  closingRate: ReportRate;
  rankChange: number | null;
}

export interface OverdueCaseRow {
  code: string;
  department: string;
  className: string;
  address: string | null;
  street: string;
  dispatchedAt: string;
  dueAt: string;
  handledAt: string | null;
  state: string;
  hoursLate: number;
}

export interface DepartmentReport {
  title: string;
  period: { code: string; kind: string; zh: string; from: string; to: string };
  asOf: string;
  generatedAt: string;
  rows: DepartmentReportRow[];
  totals: Omit<DepartmentReportRow, 'rank' | 'tied' | 'department' | 'rankChange'>;
  /** A page of the overdue cases; overdueTotal counts them all. */
  overdueCases: OverdueCaseRow[];
  overdueTotal: number;
  overdueOffset: number;
  /** What the ranking is on: the department scheme's report indicator (version 0: the shipped default). */
  ranking: { indicator: string; zh: string; en: string; better: 'higher' | 'lower'; schemeVersion: number };
  notes: string[];
}

/** Overdue cases in a page of the report. */
export const OVERDUE_PAGE = 100;

/**
 * `period`: 2026-10-H1, 2026-10-H2 or 2026-10; empty for the last full month. The overdue cases come a page at a
 * time, of the given departments only when `departmentIds` is set.
 */
export const departmentReport = (period: string, overdue: { offset: number; departmentIds?: number[] | undefined }, signal?: AbortSignal) =>
  api.get<DepartmentReport>('/api/reports/departments', {
    period: period || undefined, overdueOffset: overdue.offset || undefined, overdueLimit: OVERDUE_PAGE,
    overdueDepartments: overdue.departmentIds?.join(','),
  }, signal);

export const downloadDepartmentReport = (period: string, format: 'xlsx' | 'pdf') =>
  downloadFile('/api/reports/departments', { period: period || undefined, format }, `department-report-${period || 'last-month'}.${format}`);
