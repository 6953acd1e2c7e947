// The department report as a workbook that prints on A4 landscape: sheet 1 the ranked table with its
// totals and notes, sheet 2 the overdue cases. Cell texts come from report-format.ts, shared with the PDF.
import type ExcelJS from 'exceljs';
import { loadExcel } from './lazy-libraries.ts';
import type { DepartmentReport } from './department-report.types.ts';
import { DEPARTMENT_COLUMNS, NO_OVERDUE_TEXT, OVERDUE_COLUMNS, departmentRowCells, overdueRowCells, reportSubtitle, totalsRowCells } from './report-format.ts';
import { BORDER, FONT, columnLetter, displayWidth, printSetup, setWidths, styleTableRow, wideLine, workbookBuffer } from './xlsx-table.ts';

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
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'CityOps';
  wb.title = report.title;
  wb.created = new Date(report.generatedAt);
  rankingSheet(wb, report);
  overdueSheet(wb, report);
  return workbookBuffer(wb);
}
