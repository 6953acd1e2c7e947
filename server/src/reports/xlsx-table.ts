// Tables in XLSX for the printed reports (exceljs): 宋体, bordered cells, header rows filled grey, widths
// from the longest text (a CJK character counts two), and A4 landscape print setup one page wide with the
// header row repeated and numbered pages.
import type ExcelJS from 'exceljs';
import type { CellValue, ColumnKind } from './report-format.ts';

export const FONT = '宋体';
export const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
export const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };

/** Excel column widths count narrow characters; a CJK character takes about two of them. */
export function displayWidth(value: CellValue): number {
  let w = 0;
  for (const ch of String(value)) w += /[\u1100-\uffff]/u.test(ch) ? 2 : 1;
  return w;
}

export function alignmentFor(kind: ColumnKind): Partial<ExcelJS.Alignment> {
  const horizontal = kind === 'text' ? 'left' : kind === 'center' ? 'center' : 'right';
  return { horizontal, vertical: 'middle', wrapText: kind === 'text' };
}

export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * Widths from the longest text of each column, capped so that one long name or address wraps instead of
 * shrinking the whole page. At least 10: exceljs leaves a column of width 9 (its default) out of the file.
 */
export function setWidths(ws: ExcelJS.Worksheet, headers: readonly string[], rows: CellValue[][], max: number): void {
  headers.forEach((header, i) => {
    const longest = Math.max(displayWidth(header), ...rows.map((r) => displayWidth(r[i] ?? '')));
    ws.getColumn(i + 1).width = Math.max(10, Math.min(max, longest + 2));
  });
}

export function styleTableRow(row: ExcelJS.Row, kinds: readonly ColumnKind[], header: boolean): void {
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
export function wideLine(ws: ExcelJS.Worksheet, rowNo: number, columns: number, text: string, font: Partial<ExcelJS.Font>, align: Partial<ExcelJS.Alignment>): ExcelJS.Row {
  ws.mergeCells(rowNo, 1, rowNo, columns);
  const row = ws.getRow(rowNo);
  const cell = row.getCell(1);
  cell.value = text;
  cell.font = { name: FONT, ...font };
  cell.alignment = { vertical: 'middle', wrapText: true, ...align };
  return row;
}

/** Print setup shared by both sheets: A4 landscape, one page wide, the header row on every page. */
export function printSetup(ws: ExcelJS.Worksheet, headerRow: number): void {
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  ws.pageSetup = {
    paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
  ws.headerFooter = { oddFooter: '&C第 &P 页 / 共 &N 页' };
}

/** The workbook as a Node Buffer. */
export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  // exceljs declares its own Buffer type; at run time it hands back a Node Buffer.
  return Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
}
