// The department report as a workbook that prints on A4 landscape: sheet 1 the ranked table with its
// totals and notes, sheet 2 the overdue cases. Cell texts come from report-format.ts, shared with the PDF.
import ExcelJS from 'exceljs';
import type { DepartmentReport } from './department-report.types.ts';
import {
  DEPARTMENT_COLUMNS, NO_OVERDUE_TEXT, OVERDUE_COLUMNS, departmentRowCells, overdueRowCells, reportSubtitle, totalsRowCells,
  type CellValue, type ColumnKind,
} from './report-format.ts';

const FONT = '宋体';
const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };

/** Excel column widths count narrow characters; a CJK character takes about two of them. */
function displayWidth(value: CellValue): number {
  let w = 0;
  for (const ch of String(value)) w += /[\u1100-\uffff]/u.test(ch) ? 2 : 1;
  return w;
}

function alignmentFor(kind: ColumnKind): Partial<ExcelJS.Alignment> {
  const horizontal = kind === 'text' ? 'left' : kind === 'center' ? 'center' : 'right';
  return { horizontal, vertical: 'middle', wrapText: kind === 'text' };
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * Widths from the longest text of each column, capped so that one long name or address wraps instead of
 * shrinking the whole page. At least 10: exceljs leaves a column of width 9 (its default) out of the file.
 */
function setWidths(ws: ExcelJS.Worksheet, headers: readonly string[], rows: CellValue[][], max: number): void {
  headers.forEach((header, i) => {
    const longest = Math.max(displayWidth(header), ...rows.map((r) => displayWidth(r[i] ?? '')));
    ws.getColumn(i + 1).width = Math.max(10, Math.min(max, longest + 2));
  });
}

function styleTableRow(row: ExcelJS.Row, kinds: readonly ColumnKind[], header: boolean): void {
  kinds.forEach((kind, i) => {
    const cell = row.getCell(i + 1);
    cell.border = BORDER;
    cell.font = { name: FONT, size: 10, bold: header };
    cell.alignment = header ? { horizontal: 'center', vertical: 'middle', wrapText: true } : alignmentFor(kind);
    if (header) cell.fill = HEADER_FILL;
    else if (kind === 'hours') cell.numFmt = '0.0';
  });
}

/** A line across the whole table width: title, subtitle, a note, or the "no overdue cases" line. */
function wideLine(ws: ExcelJS.Worksheet, rowNo: number, columns: number, text: string, font: Partial<ExcelJS.Font>, align: Partial<ExcelJS.Alignment>): ExcelJS.Row {
  ws.mergeCells(rowNo, 1, rowNo, columns);
  const row = ws.getRow(rowNo);
  const cell = row.getCell(1);
  cell.value = text;
  cell.font = { name: FONT, ...font };
  cell.alignment = { vertical: 'middle', wrapText: true, ...align };
  return row;
}

/** Print setup shared by both sheets: A4 landscape, one page wide, the header row on every page. */
function printSetup(ws: ExcelJS.Worksheet, headerRow: number): void {
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  ws.pageSetup = {
    paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
  ws.headerFooter = { oddFooter: '&C第 &P 页 / 共 &N 页' };
}

function rankingSheet(wb: ExcelJS.Workbook, report: DepartmentReport): void {
  const ws = wb.addWorksheet('通报');
  const n = DEPARTMENT_COLUMNS.length;
  const kinds = DEPARTMENT_COLUMNS.map((c) => c.kind);
  const headers = DEPARTMENT_COLUMNS.map((c) => c.header);
  const body = report.rows.map(departmentRowCells);
  const totals = totalsRowCells(report.totals);

  wideLine(ws, 1, n, report.title, { size: 16, bold: true }, { horizontal: 'center' }).height = 30;
  wideLine(ws, 2, n, reportSubtitle(report), { size: 10 }, { horizontal: 'left' }).height = 20;

  const headerRow = 3;
  const header = ws.getRow(headerRow);
  header.values = headers;
  header.height = 30;
  styleTableRow(header, kinds, true);

  body.forEach((cells, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    row.values = cells;
    styleTableRow(row, kinds, false);
  });

  const totalsNo = headerRow + 1 + body.length;
  const totalsRow = ws.getRow(totalsNo);
  totalsRow.values = totals;
  styleTableRow(totalsRow, kinds, false);
  totalsRow.eachCell({ includeEmpty: true }, (cell) => { cell.font = { name: FONT, size: 10, bold: true }; });
  // 合计 has no department: the label spans the rank and name columns.
  ws.mergeCells(totalsNo, 1, totalsNo, 2);
  totalsRow.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };

  setWidths(ws, headers, body, 24);
  // Merged note rows do not grow to fit their text in Excel, so their height is estimated here.
  const tableWidth = headers.reduce((sum, _h, i) => sum + (ws.getColumn(i + 1).width ?? 10), 0);
  report.notes.forEach((note, i) => {
    const lines = Math.max(1, Math.ceil(displayWidth(note) / tableWidth));
    wideLine(ws, totalsNo + 2 + i, n, note, { size: 9 }, { horizontal: 'left' }).height = 14 * lines + 4;
  });

  printSetup(ws, headerRow);
  ws.pageSetup.printArea = `A1:${columnLetter(n)}${totalsNo + 1 + report.notes.length}`;
}

function overdueSheet(wb: ExcelJS.Workbook, report: DepartmentReport): void {
  const ws = wb.addWorksheet('超时案件清单');
  const n = OVERDUE_COLUMNS.length;
  const kinds = OVERDUE_COLUMNS.map((c) => c.kind);
  const headers = OVERDUE_COLUMNS.map((c) => c.header);
  const body = report.overdueCases.map(overdueRowCells);

  wideLine(ws, 1, n, `超时案件清单（${report.period.zh}）`, { size: 14, bold: true }, { horizontal: 'center' }).height = 26;
  const headerRow = 2;
  const header = ws.getRow(headerRow);
  header.values = headers;
  header.height = 24;
  styleTableRow(header, kinds, true);

  if (body.length === 0) {
    const row = wideLine(ws, headerRow + 1, n, NO_OVERDUE_TEXT, { size: 10 }, { horizontal: 'center' });
    row.getCell(1).border = BORDER;
  }
  body.forEach((cells, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    row.values = cells;
    styleTableRow(row, kinds, false);
  });

  setWidths(ws, headers, body, 30);
  printSetup(ws, headerRow);
}

export async function departmentReportXlsx(report: DepartmentReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityOps';
  wb.title = report.title;
  wb.created = new Date(report.generatedAt);
  rankingSheet(wb, report);
  overdueSheet(wb, report);
  // exceljs declares its own Buffer type; at run time it hands back a Node Buffer.
  return Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
}
