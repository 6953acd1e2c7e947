// What the printed department report shows in each cell, defined once so that the XLSX and the PDF
// cannot drift apart: Beijing wall-clock times, rank and rank-change texts, the column headings and
// the cell values of the department table and of the overdue-case list.
import type { DepartmentReport, DepartmentReportRow, OverdueCaseRow } from './department-report.types.ts';

/** China Standard Time has no daylight saving, so a fixed offset is exact for every date. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * `YYYY-MM-DD HH:mm` in Beijing time of an ISO instant. The report's ISO strings already carry +08:00,
 * but they are re-zoned rather than sliced so that a `Z` time from another producer still prints right.
 * A string that is not a time throws: a printed report with a silently wrong date is worse than none.
 */
export function formatBeijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO time: ${JSON.stringify(iso)}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** "3", "2（并列）", or "—" for a department that had nothing due and so was not ranked. */
export function rankText(rank: number | null, tied: boolean): string {
  if (rank === null) return '—';
  return tied ? `${rank}（并列）` : String(rank);
}

/** "↑2" (moved up), "↓1", "0" (unchanged), or "—" when there was no rank to compare with. */
export function rankChangeText(change: number | null): string {
  if (change === null) return '—';
  if (change > 0) return `↑${change}`;
  if (change < 0) return `↓${-change}`;
  return '0';
}

/** The report's subtitle line under the title. */
export function reportSubtitle(report: DepartmentReport): string {
  return `统计周期：${report.period.zh}　　统计截至 ${formatBeijingTime(report.asOf)}　　生成时间 ${formatBeijingTime(report.generatedAt)}`;
}

export type CellValue = string | number;
/** How a column is aligned and printed: 'hours' is a number shown with one decimal. */
export type ColumnKind = 'text' | 'count' | 'rate' | 'center' | 'hours';

export const DEPARTMENT_COLUMNS: readonly { header: string; kind: ColumnKind }[] = [
  { header: '排名', kind: 'center' },
  { header: '部门', kind: 'text' },
  { header: '派遣数', kind: 'count' },
  { header: '应处置数', kind: 'count' },
  { header: '处置数', kind: 'count' },
  { header: '按期处置数', kind: 'count' },
  { header: '超时数', kind: 'count' },
  { header: '返工数', kind: 'count' },
  { header: '延期数', kind: 'count' },
  { header: '回退数', kind: 'count' },
  { header: '应结案数', kind: 'count' },
  { header: '结案数', kind: 'count' },
  { header: '处置率', kind: 'rate' },
  { header: '按期处置率', kind: 'rate' },
  { header: '返工率', kind: 'rate' },
  { header: '结案率', kind: 'rate' },
  { header: '名次变化', kind: 'center' },
];

type Measured = DepartmentReport['totals'];

/** The twelve counts and rates shared by a department row and the totals row, in column order. */
function measuredCells(m: Measured): CellValue[] {
  return [
    m.dispatched, m.dueToHandle, m.handled, m.handledOnTime, m.overdue, m.reworked, m.extended, m.returned,
    m.dueToClose, m.closed,
    m.handlingRate.text, m.onTimeHandlingRate.text, m.reworkRate.text, m.closingRate.text,
  ];
}

export function departmentRowCells(row: DepartmentReportRow): CellValue[] {
  return [rankText(row.rank, row.tied), row.department.name, ...measuredCells(row), rankChangeText(row.rankChange)];
}

/** The 合计 row: the label sits in the rank column (the renderers widen it over 部门), no rank change. */
export function totalsRowCells(totals: Measured): CellValue[] {
  return ['合计', '', ...measuredCells(totals), ''];
}

export const OVERDUE_COLUMNS: readonly { header: string; kind: ColumnKind }[] = [
  { header: '序号', kind: 'center' },
  { header: '案件编号', kind: 'text' },
  { header: '部门', kind: 'text' },
  { header: '问题类别', kind: 'text' },
  { header: '街道', kind: 'text' },
  { header: '地址', kind: 'text' },
  { header: '派遣时间', kind: 'center' },
  { header: '应处置时限', kind: 'center' },
  { header: '处置反馈时间', kind: 'center' },
  { header: '当前状态', kind: 'center' },
  { header: '超时(工作小时)', kind: 'hours' },
];

export const NO_OVERDUE_TEXT = '本期无超时案件';
export const NOT_HANDLED_TEXT = '未反馈';

/** One overdue case; `hoursLate` stays a number so the spreadsheet can sum it (see `cellText` for print). */
export function overdueRowCells(c: OverdueCaseRow, index: number): CellValue[] {
  return [
    index + 1, c.code, c.department, c.className, c.street, c.address ?? '',
    formatBeijingTime(c.dispatchedAt), formatBeijingTime(c.dueAt),
    c.handledAt === null ? NOT_HANDLED_TEXT : formatBeijingTime(c.handledAt),
    c.state, c.hoursLate,
  ];
}

/** A cell as printed text: hours late always with one decimal, so a column of them lines up (3 → "3.0"). */
export function cellText(value: CellValue, kind: ColumnKind): string {
  return kind === 'hours' && typeof value === 'number' ? value.toFixed(1) : String(value);
}
