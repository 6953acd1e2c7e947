import { parse } from 'csv-parse/sync';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';

export interface CsvRow {
  /** 1-based line number in the file, header included, so errors point where an editor does. */
  line: number;
  values: Record<string, string>;
}

/**
 * Checks a header (already mapped through its aliases) before any row is read: required columns
 * present, none unknown, none twice (a file with both 经度 and lon would otherwise keep one silently).
 */
export function checkHeader(header: string[], required: string[], optional: string[] = [], aliases: Record<string, string> = {}): void {
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) throw new ValidationError(missing.map((c) => ({ field: c, message: 'column is missing from the header', row: 1 })));
  const known = new Set([...required, ...optional]);
  const spellings = Object.keys(aliases);
  const expected = `expected ${[...known].join(', ')}${spellings.length ? ` (or ${spellings.join(', ')})` : ''}`;
  const issues: FieldIssue[] = header.filter((c) => !known.has(c)).map((c) => ({ field: c, message: `unknown column; ${expected}`, row: 1 }));
  const twice = header.filter((c, i) => known.has(c) && header.indexOf(c) !== i);
  for (const c of new Set(twice)) issues.push({ field: c, message: 'column appears more than once in the header (under its name or an alias)', row: 1 });
  if (issues.length) throw new ValidationError(issues);
}

/**
 * Line numbers where each record starts. csv-parse's own `info.lines` is the line a record ends on,
 * and it counts a CRLF inside a quoted value as two lines (a 12345 诉求内容 often spans lines), so the
 * lines are counted here from the byte offset at which each record ends.
 */
function startLines(text: string, ends: number[]): number[] {
  const bytes = Buffer.from(text, 'utf8');
  const lines: number[] = [];
  let line = 1;
  let scanned = 0;
  const advance = (to: number) => {
    for (; scanned < to; scanned++) {
      const b = bytes[scanned];
      if (b === 0x0a || (b === 0x0d && bytes[scanned + 1] !== 0x0a)) line++;
    }
  };
  for (let i = 1; i < ends.length; i++) {
    let start = ends[i - 1]!;
    // Skipped blank lines and the spaces `trim` removes belong to no record.
    while (start < bytes.length && [0x0a, 0x0d, 0x20, 0x09].includes(bytes[start]!)) start++;
    advance(start);
    lines.push(line);
  }
  return lines;
}

/**
 * Parses a CSV with a header row; checks the header (see checkHeader) before any row is read.
 * `aliases` maps other spellings of a header (e.g. the Chinese one) to the canonical column name.
 */
export function readCsv(text: string, required: string[], optional: string[] = [], aliases: Record<string, string> = {}): CsvRow[] {
  const canonical = (h: string) => aliases[h.trim()] ?? h.trim();
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new ValidationError([{ field: 'file', message: `not valid CSV: ${e.message}`, ...(e.lines ? { row: e.lines } : {}) }]);
  }
  const header = (records[0]?.record ?? (text.split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '').split(',')).map(canonical);
  checkHeader(header, required, optional, aliases);
  const lines = startLines(text, records.map((r) => r.info.bytes));
  return records.slice(1).map((r, i) => ({ line: lines[i]!, values: Object.fromEntries(header.map((h, k) => [h, r.record[k] ?? ''])) }));
}
