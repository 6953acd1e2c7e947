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
  overdueCases: OverdueCaseRow[];
  notes: string[];
}

/** `period`: 2026-10-H1, 2026-10-H2 or 2026-10; empty for the last full month. */
export const departmentReport = (period: string, signal?: AbortSignal) =>
  api.get<DepartmentReport>('/api/reports/departments', { period: period || undefined }, signal);

export const downloadDepartmentReport = (period: string, format: 'xlsx' | 'pdf') =>
  downloadFile('/api/reports/departments', { period: period || undefined, format }, `department-report-${period || 'last-month'}.${format}`);
