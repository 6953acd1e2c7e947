import { parse } from 'csv-parse/sync';
import { ValidationError } from '@cityops/domain/errors';

export interface CsvRow {
  /** 1-based line number in the file, header included, so errors point where an editor does. */
  line: number;
  values: Record<string, string>;
}

/** Parses a CSV with a header row; checks the required columns are present before any row is read. */
export function readCsv(text: string, required: string[], optional: string[] = []): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: false });
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new ValidationError([{ field: 'file', message: `not valid CSV: ${e.message}`, ...(e.lines ? { row: e.lines } : {}) }]);
  }
  const header = records.length ? Object.keys(records[0]!.record) : (text.split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '').split(',').map((h) => h.trim());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) throw new ValidationError(missing.map((c) => ({ field: c, message: 'column is missing from the header', row: 1 })));
  const known = new Set([...required, ...optional]);
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) throw new ValidationError(unknown.map((c) => ({ field: c, message: `unknown column; expected ${[...known].join(', ')}`, row: 1 })));
  return records.map((r) => ({ line: r.info.lines, values: r.record }));
}
