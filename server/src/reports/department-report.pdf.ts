// The department report as an A4 landscape PDF: the ranked table (header repeated on every page it
// spans), totals, notes, then the overdue cases. Cell texts come from report-format.ts, shared with the XLSX.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DepartmentReport } from './department-report.types.ts';
import {
  DEPARTMENT_COLUMNS, NO_OVERDUE_TEXT, OVERDUE_COLUMNS, cellText, departmentRowCells, overdueRowCells, reportSubtitle, totalsRowCells,
  type CellValue, type ColumnKind,
} from './report-format.ts';

// The standard PDF fonts have no Chinese glyphs; Debian's fonts-noto-cjk ships these collections.
const FONT_DIR = '/usr/share/fonts/opentype/noto';
const FONTS = [
  { alias: 'cjk', file: `${FONT_DIR}/NotoSansCJK-Regular.ttc`, postscript: 'NotoSansCJKsc-Regular' },
  { alias: 'cjk-bold', file: `${FONT_DIR}/NotoSansCJK-Bold.ttc`, postscript: 'NotoSansCJKsc-Bold' },
] as const;

type Doc = PDFKit.PDFDocument;
interface Column { width: number; align: 'left' | 'center' | 'right' }

const MARGIN = { top: 36, bottom: 40, left: 36, right: 36 };
const PAD = 3;
const BODY_SIZE = 8;
const HEADER_FILL = '#d9d9d9';

// Points on A4 landscape (about 770 printable), scaled if the page changes. Each number column is just
// wide enough for its 8pt bold heading on one line (5 characters for 按期处置数/率, "12（并列）" for the
// rank, a full time for the times); names and addresses take the rest and wrap.
const DEPARTMENT_WEIGHTS = [50, 102, 40, 40, 40, 48, 40, 40, 40, 40, 40, 40, 40, 48, 40, 40, 42];
const OVERDUE_WEIGHTS = [28, 80, 88, 64, 64, 120, 72, 72, 72, 50, 62];

function columns(kinds: readonly ColumnKind[], weights: readonly number[], available: number): Column[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return kinds.map((kind, i) => ({
    width: (available * (weights[i] ?? 0)) / total,
    align: kind === 'text' ? 'left' : kind === 'center' ? 'center' : 'right',
  }));
}

function texts(cells: CellValue[], spec: readonly { kind: ColumnKind }[]): string[] {
  return cells.map((v, i) => cellText(v, spec[i]?.kind ?? 'text'));
}

function textHeight(doc: Doc, text: string, width: number): number {
  return text === '' ? doc.currentLineHeight() : doc.heightOfString(text, { width: width - 2 * PAD });
}

function rowHeight(doc: Doc, cols: Column[], cells: string[]): number {
  return Math.max(...cells.map((t, i) => textHeight(doc, t, cols[i]?.width ?? 0))) + 2 * PAD;
}

/** A row of bordered cells; a header row (`fill` set) centres its headings whatever the column's alignment. */
function drawRow(doc: Doc, cols: Column[], cells: string[], y: number, height: number, fill: string | null): void {
  let x = MARGIN.left;
  cols.forEach((col, i) => {
    if (fill) doc.rect(x, y, col.width, height).fillAndStroke(fill, '#000000');
    else doc.rect(x, y, col.width, height).stroke();
    doc.fillColor('#000000');
    const text = cells[i] ?? '';
    const h = textHeight(doc, text, col.width);
    // The explicit height keeps pdfkit from spilling a cell onto a new page on its own.
    doc.text(text, x + PAD, y + (height - h) / 2, { width: col.width - 2 * PAD, height: h + 1, align: fill ? 'center' : col.align });
    x += col.width;
  });
}

interface TableSpec {
  headers: readonly string[];
  cols: Column[];
  rows: { cells: string[]; cols?: Column[]; bold?: boolean }[];
}

/** Draws a table from `y`, starting a new page (and repeating the header row) whenever a row does not fit. */
function drawTable(doc: Doc, spec: TableSpec, startY: number): number {
  const bottom = () => doc.page.height - MARGIN.bottom;
  const header = () => {
    doc.font('cjk-bold').fontSize(BODY_SIZE);
    const h = rowHeight(doc, spec.cols, [...spec.headers]);
    drawRow(doc, spec.cols, [...spec.headers], y, h, HEADER_FILL);
    y += h;
  };
  let y = startY;
  doc.font('cjk-bold').fontSize(BODY_SIZE);
  const firstRow = spec.rows[0];
  const needed = rowHeight(doc, spec.cols, [...spec.headers]) + (firstRow ? rowHeight(doc, firstRow.cols ?? spec.cols, firstRow.cells) : 0);
  // A header alone at the foot of a page is no use: it moves to the next page with its first row.
  if (y + needed > bottom()) { doc.addPage(); y = MARGIN.top; }
  header();
  for (const row of spec.rows) {
    const cols = row.cols ?? spec.cols;
    doc.font(row.bold ? 'cjk-bold' : 'cjk').fontSize(BODY_SIZE);
    const h = rowHeight(doc, cols, row.cells);
    if (y + h > bottom()) { doc.addPage(); y = MARGIN.top; header(); doc.font(row.bold ? 'cjk-bold' : 'cjk').fontSize(BODY_SIZE); }
    drawRow(doc, cols, row.cells, y, h, null);
    y += h;
  }
  return y;
}

function heading(doc: Doc, text: string, size: number, y: number, width: number): number {
  doc.font('cjk-bold').fontSize(size);
  // Room for what follows it too (a header row and a line or two), so a heading never ends a page.
  if (y + doc.heightOfString(text, { width }) + 60 > doc.page.height - MARGIN.bottom) { doc.addPage(); y = MARGIN.top; }
  doc.text(text, MARGIN.left, y, { width, align: 'center' });
  return doc.y;
}

function pageNumbers(doc: Doc, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit add a page; lift the margin while the footer is written.
    doc.page.margins.bottom = 0;
    doc.font('cjk').fontSize(9).fillColor('#000000')
      .text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, MARGIN.left, doc.page.height - 28, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

function render(doc: Doc, report: DepartmentReport): void {
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  doc.lineWidth(0.5).strokeColor('#000000');

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
  for (const font of FONTS) {
    if (!existsSync(font.file)) {
      throw new Error(`PDF report needs the CJK font ${font.file}, which is missing: install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)`);
    }
  }
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margins: MARGIN, bufferPages: true, lang: 'zh-CN',
    info: { Title: report.title, Creator: 'CityOps' },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const font of FONTS) doc.registerFont(font.alias, font.file, font.postscript);
  render(doc, report);
  pageNumbers(doc, doc.page.width - MARGIN.left - MARGIN.right);
  doc.end();
  return done;
}
