// XLSX reading for imports that people prepare in Excel: the first worksheet, header in row 1, every
// cell normalised to the text a CSV of the same sheet would hold, so one validator serves both formats.
import type ExcelJS from 'exceljs';
import { loadExcel } from '../reports/lazy-libraries.ts';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { checkHeader, type CsvRow } from './csv.ts';

/**
 * Excel stores a date-time as a serial number of days without any time zone; exceljs turns it into a
 * Date whose UTC fields are the wall-clock time as typed. It becomes `YYYY-MM-DD HH:mm:ss` of those
 * fields, and the importer reads that in its own zone (the 12345 import: Beijing time). Rounded to
 * the second because the serial is a binary fraction (09:30 may come back as 09:29:59.999).
 */
export function excelDateText(date: Date): string {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  return rounded.toISOString().slice(0, 19).replace('T', ' ');
}

/** The text of a cell: numbers as JavaScript prints them, rich text joined, a formula's cached result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return excelDateText(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; formula?: string; sharedFormula?: string; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return cellText(v.text);
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * Reads the first worksheet like readCsv reads a file: header checked first (aliases mapped), blank
 * rows skipped, `line` the sheet's row number. A column with a blank header is ignored while it is
 * empty (Excel often reports formatted but empty columns) and an error once it holds data.
 */
export async function readXlsx(bytes: Uint8Array, required: string[], optional: string[] = [], aliases: Record<string, string> = {}): Promise<CsvRow[]> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    throw new ValidationError([{ field: 'file', message: `not a valid XLSX workbook: ${(error as Error).message}` }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ValidationError([{ field: 'file', message: 'the workbook has no worksheet' }]);
  const width = sheet.columnCount;
  const headerRow = sheet.getRow(1);
  const header = Array.from({ length: width }, (_, i) => {
    const h = cellText(headerRow.getCell(i + 1).value).trim();
    return aliases[h] ?? h;
  });
  checkHeader(header.filter(Boolean), required, optional, aliases);
  const rows: CsvRow[] = [];
  const unnamed: FieldIssue[] = [];
  for (let line = 2; line <= sheet.rowCount; line++) {
    const row = sheet.getRow(line);
    const values: Record<string, string> = {};
    let blank = true;
    header.forEach((name, i) => {
      const text = cellText(row.getCell(i + 1).value).trim();
      if (text) blank = false;
      if (name) values[name] = text;
      else if (text && !unnamed.some((u) => u.field === columnLetter(i + 1))) unnamed.push({ field: columnLetter(i + 1), message: 'column holds data but has no header', row: 1 });
    });
    if (!blank) rows.push({ line, values });
  }
  if (unnamed.length) throw new ValidationError(unnamed);
  return rows;
}
