// The department report (专业部门案件处置情况通报, half-monthly 半月通报 or monthly) as data: the API
// returns it as JSON, and the XLSX and PDF renderers lay the same object out for print.

export interface ReportRate {
  /** 0–1, or null when nothing was due (shown as "—"). */
  value: number | null;
  /** Formatted, e.g. "93.05%" or "—". */
  text: string;
}

export interface DepartmentReportRow {
  /** Rank by the report's indicator (`ranking`: 按期处置率 by default); null when it has no value (nothing due). */
  rank: number | null;
  tied: boolean;
  department: { id: number; code: string; name: string; kind: string };
  dispatched: number;      // 派遣数
  dueToHandle: number;     // 应处置数
  handled: number;         // 处置数
  handledOnTime: number;   // 按期处置数
  overdue: number;         // 超时数
  reworked: number;        // 返工数
  extended: number;        // 延期数
  returned: number;        // 回退数
  dueToClose: number;      // 应结案数
  closed: number;          // 结案数
  handlingRate: ReportRate;       // 处置率
  onTimeHandlingRate: ReportRate; // 按期处置率
  reworkRate: ReportRate;         // 返工率
  closingRate: ReportRate;        // 结案率
  /** Change of rank against the previous period of the same kind (positive: moved up). */
  rankChange: number | null;
}

export interface OverdueCaseRow {
  code: string;
  department: string;
  className: string;
  address: string | null;
  street: string;
  dispatchedAt: string;  // ISO 8601 (UTC); the renderers print Beijing time
  dueAt: string;         // the deadline it went past
  handledAt: string | null;
  state: string;         // zh label of the case's state at report time
  /** Working hours late as of the report's end (or at handling), one decimal. */
  hoursLate: number;
}

export interface DepartmentReport {
  title: string;          // e.g. "2026年10月下半月专业部门案件处置情况通报"
  period: { code: string; kind: string; zh: string; from: string; to: string };
  asOf: string;
  generatedAt: string;
  rows: DepartmentReportRow[];
  totals: Omit<DepartmentReportRow, 'rank' | 'tied' | 'department' | 'rankChange'>;
  /** The overdue rounds of the period: all of them, or the requested page of them (JSON). */
  overdueCases: OverdueCaseRow[];
  /** How many overdue rounds the list has in all (of the departments asked for), and where the page starts. */
  overdueTotal: number;
  overdueOffset: number;
  /** What the ranking is on: the department scheme's report indicator (its version; 0 the shipped default). */
  ranking: { indicator: string; zh: string; en: string; better: 'higher' | 'lower'; schemeVersion: number };
  notes: string[];        // definitions printed under the table
}
