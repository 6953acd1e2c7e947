// The department report as an A4 landscape PDF: the ranked table (header repeated on every page it
// spans), totals, notes, then the overdue cases. Cell texts come from report-format.ts, shared with the XLSX.
import type { DepartmentReport } from './department-report.types.ts';
import { DEPARTMENT_COLUMNS, NO_OVERDUE_TEXT, OVERDUE_COLUMNS, departmentRowCells, overdueRowCells, reportSubtitle, totalsRowCells } from './report-format.ts';
import { MARGIN, columns, drawTable, heading, renderPdf, texts, type Column, type Doc } from './pdf-table.ts';

// Points on A4 landscape (about 770 printable), scaled if the page changes. Each number column is just
// wide enough for its 8pt bold heading on one line (5 characters for 按期处置数/率, "12（并列）" for the
// rank, a full time for the times); names and addresses take the rest and wrap.
const DEPARTMENT_WEIGHTS = [50, 102, 40, 40, 40, 48, 40, 40, 40, 40, 40, 40, 40, 48, 40, 40, 42];
const OVERDUE_WEIGHTS = [28, 80, 88, 64, 64, 120, 72, 72, 72, 50, 62];

function render(doc: Doc, report: DepartmentReport): void {
  const width = doc.page.width - MARGIN.left - MARGIN.right;

  let y = heading(doc, report.title, 16, MARGIN.top, width);
  doc.font('cjk').fontSize(10).text(reportSubtitle(report), MARGIN.left, y + 4, { width, align: 'center' });

  const deptCols = columns(DEPARTMENT_COLUMNS.map((c) => c.kind), DEPARTMENT_WEIGHTS, width);
  const [rankCol, nameCol, ...restCols] = deptCols;
  // 合计 has no department: its label spans the rank and name columns.
  const totalsCols: Column[] = [{ width: (rankCol?.width ?? 0) + (nameCol?.width ?? 0), align: 'center' }, ...restCols];
  const [totalsLabel = '', , ...totalsRest] = texts(totalsRowCells(report.totals), DEPARTMENT_COLUMNS);
  y = drawTable(doc, {
    headers: DEPARTMENT_COLUMNS.map((c) => c.header),
    cols: deptCols,
    rows: [
      ...report.rows.map((r) => ({ cells: texts(departmentRowCells(r), DEPARTMENT_COLUMNS) })),
      { cells: [totalsLabel, ...totalsRest], cols: totalsCols, bold: true },
    ],
  }, doc.y + 10);

  doc.font('cjk').fontSize(9);
  doc.y = y + 8;
  for (const note of report.notes) doc.text(note, MARGIN.left, doc.y, { width, lineGap: 2 });

  y = heading(doc, '超时案件清单', 13, doc.y + 18, width);
  if (report.overdueCases.length === 0) {
    doc.font('cjk').fontSize(10).text(NO_OVERDUE_TEXT, MARGIN.left, y + 6, { width, align: 'center' });
    return;
  }
  drawTable(doc, {
    headers: OVERDUE_COLUMNS.map((c) => c.header),
    cols: columns(OVERDUE_COLUMNS.map((c) => c.kind), OVERDUE_WEIGHTS, width),
    rows: report.overdueCases.map((c, i) => ({ cells: texts(overdueRowCells(c, i), OVERDUE_COLUMNS) })),
  }, y + 6);
}

export async function departmentReportPdf(report: DepartmentReport): Promise<Buffer> {
  return renderPdf(report.title, (doc) => render(doc, report));
}
