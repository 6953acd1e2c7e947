// Tables in PDF for the printed reports (pdfkit, A4): bordered cells, a header row repeated on every page a
// table spans, headings that never end a page, page numbers, and Chinese text in Noto Sans CJK.
import { existsSync } from 'node:fs';
import { loadPdfDocument } from './lazy-libraries.ts';
import { cellText, type CellValue, type ColumnKind } from './report-format.ts';

// The standard PDF fonts have no Chinese glyphs; Debian's fonts-noto-cjk ships these collections.
export const FONT_DIR = '/usr/share/fonts/opentype/noto';
export const FONTS = [
  { alias: 'cjk', file: `${FONT_DIR}/NotoSansCJK-Regular.ttc`, postscript: 'NotoSansCJKsc-Regular' },
  { alias: 'cjk-bold', file: `${FONT_DIR}/NotoSansCJK-Bold.ttc`, postscript: 'NotoSansCJKsc-Bold' },
] as const;

export type Doc = PDFKit.PDFDocument;
export interface Column { width: number; align: 'left' | 'center' | 'right' }

export const MARGIN = { top: 36, bottom: 40, left: 36, right: 36 };
export const PAD = 3;
export const BODY_SIZE = 8;
export const HEADER_FILL = '#d9d9d9';

export function columns(kinds: readonly ColumnKind[], weights: readonly number[], available: number): Column[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return kinds.map((kind, i) => ({
    width: (available * (weights[i] ?? 0)) / total,
    align: kind === 'text' ? 'left' : kind === 'center' ? 'center' : 'right',
  }));
}

export function texts(cells: CellValue[], spec: readonly { kind: ColumnKind }[]): string[] {
  return cells.map((v, i) => cellText(v, spec[i]?.kind ?? 'text'));
}

export function textHeight(doc: Doc, text: string, width: number): number {
  return text === '' ? doc.currentLineHeight() : doc.heightOfString(text, { width: width - 2 * PAD });
}

export function rowHeight(doc: Doc, cols: Column[], cells: string[]): number {
  return Math.max(...cells.map((t, i) => textHeight(doc, t, cols[i]?.width ?? 0))) + 2 * PAD;
}

/** A row of bordered cells; a header row (`fill` set) centres its headings whatever the column's alignment. */
export function drawRow(doc: Doc, cols: Column[], cells: string[], y: number, height: number, fill: string | null): void {
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

export interface TableSpec {
  headers: readonly string[];
  cols: Column[];
  rows: { cells: string[]; cols?: Column[]; bold?: boolean }[];
}

/** Draws a table from `y`, starting a new page (and repeating the header row) whenever a row does not fit. */
export function drawTable(doc: Doc, spec: TableSpec, startY: number): number {
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

export function heading(doc: Doc, text: string, size: number, y: number, width: number): number {
  doc.font('cjk-bold').fontSize(size);
  // Room for what follows it too (a header row and a line or two), so a heading never ends a page.
  if (y + doc.heightOfString(text, { width }) + 60 > doc.page.height - MARGIN.bottom) { doc.addPage(); y = MARGIN.top; }
  doc.text(text, MARGIN.left, y, { width, align: 'center' });
  return doc.y;
}

export function pageNumbers(doc: Doc, width: number): void {
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

/** Renders a document (A4, landscape unless said otherwise) with the CJK fonts registered and every page numbered. */
export async function renderPdf(title: string, draw: (doc: Doc) => void, options: { layout?: 'landscape' | 'portrait' } = {}): Promise<Buffer> {
  for (const font of FONTS) {
    if (!existsSync(font.file)) {
      throw new Error(`PDF report needs the CJK font ${font.file}, which is missing: install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)`);
    }
  }
  const PDFDocument = await loadPdfDocument();
  const doc = new PDFDocument({
    size: 'A4', layout: options.layout ?? 'landscape', margins: MARGIN, bufferPages: true, lang: 'zh-CN',
    info: { Title: title, Creator: 'CityOps' },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const font of FONTS) doc.registerFont(font.alias, font.file, font.postscript);
  doc.lineWidth(0.5).strokeColor('#000000');
  draw(doc);
  pageNumbers(doc, doc.page.width - MARGIN.left - MARGIN.right);
  doc.end();
  return done;
}
