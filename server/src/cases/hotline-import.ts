// 12345热线工单批量导入: the day's work orders exported by the city's 12345 platform (CSV or XLSX) become
// cases of source hotline_12345 through the same intake as every other report, all or nothing.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import { readCsv, type CsvRow } from '../imports/csv.ts';
import { parseBeijingTime } from '../imports/beijing-time.ts';
import { readXlsx } from '../imports/xlsx.ts';
import { intakeCases, type IntakeInput, type IntakeResult, type IntakeDeps } from './case-intake.ts';

/** Canonical column → the header the 12345 platform exports; a file may use either spelling. */
export const HOTLINE_COLUMNS = {
  ticket: '工单编号', reported_at: '来电时间', description: '诉求内容', class_code: '小类代码', lon: '经度', lat: '纬度',
  address: '地址', reporter_name: '联系人', reporter_phone: '联系电话',
} as const;
type Column = keyof typeof HOTLINE_COLUMNS;

const REQUIRED: Column[] = ['ticket', 'reported_at', 'description', 'class_code', 'lon', 'lat'];
const OPTIONAL: Column[] = ['address', 'reporter_name', 'reporter_phone'];
const ALIASES: Record<string, string> = Object.fromEntries(Object.entries(HOTLINE_COLUMNS).map(([name, zh]) => [zh, name]));
// The limits of the intake API (cases.schemas.ts), so a file holds nothing a single report could not.
const MAX_LENGTH: Partial<Record<Column, number>> = { ticket: 100, description: 2000, address: 300, reporter_name: 60, reporter_phone: 30 };
/** Intake names its fields after the API body; the file's user knows them as columns. */
const COLUMN_OF_FIELD: Record<string, string> = { classCode: 'class_code', reportedAt: 'reported_at', externalRef: 'ticket' };

export const MAX_HOTLINE_ROWS = 5000;
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const parseHotlineCsv = (text: string): CsvRow[] => readCsv(text, REQUIRED, OPTIONAL, ALIASES);
export const parseHotlineXlsx = (bytes: Uint8Array): Promise<CsvRow[]> => readXlsx(bytes, REQUIRED, OPTIONAL, ALIASES);


const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** What can be checked without the database: presence, lengths, number and time formats. */
function toIntakeInput(v: Record<string, string>, row: number, now: number): { input: IntakeInput } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const at = (field: Column, message: string) => issues.push({ field, message, row });
  const text = (c: Column) => (v[c] ?? '').trim();
  for (const c of REQUIRED) if (!text(c)) at(c, `is required (${HOTLINE_COLUMNS[c]})`);
  for (const [c, max] of Object.entries(MAX_LENGTH) as [Column, number][]) if (text(c).length > max) at(c, `must be at most ${max} characters`);
  const number = (c: 'lon' | 'lat', min: number, max: number) => {
    if (!text(c)) return NaN;
    const n = NUMBER.test(text(c)) ? Number(text(c)) : NaN;
    if (Number.isNaN(n)) at(c, `must be a decimal number (WGS84 degrees), got "${text(c)}"`);
    else if (n < min || n > max) at(c, `must be from ${min} to ${max}`);
    return n;
  };
  const lon = number('lon', -180, 180);
  const lat = number('lat', -90, 90);
  let reportedAt: number | null = null;
  if (text('reported_at')) {
    reportedAt = parseBeijingTime(text('reported_at'));
    if (reportedAt === null) at('reported_at', `must be YYYY-MM-DD HH:mm[:ss] in Beijing time or ISO 8601 with an offset, got "${text('reported_at')}"`);
    else if (reportedAt > now) at('reported_at', 'must not be in the future');
  }
  // Excel drops the leading zero of a code typed as a number (06010 → 6010); catalog codes are 5 digits.
  const classCode = /^\d{1,4}$/.test(text('class_code')) ? text('class_code').padStart(5, '0') : text('class_code');
  if (classCode && !/^\d{5,6}$/.test(classCode)) at('class_code', `must be a catalog small-class code of digits, got "${classCode}"`);
  if (issues.length) return { issues };
  const optional = (c: Column) => text(c) || undefined;
  return {
    input: {
      source: 'hotline_12345', externalRef: text('ticket'), reportedAt: reportedAt!, description: text('description'), classCode, lon, lat,
      address: optional('address'), reporter: { name: optional('reporter_name'), phone: optional('reporter_phone') },
    },
  };
}

export interface HotlineImportResult {
  created: number;
  skipped: number;
  cases: { row: number; ticket: string; caseId: number; code: string; duplicateCandidates: IntakeResult['duplicateCandidates'] }[];
  /** Work orders imported by an earlier upload: re-uploading a file (or the next day's overlapping export) is safe. */
  skippedTickets: string[];
}

/**
 * Imports parsed rows in one transaction (the caller's, if `db` is one). Every problem of every row is
 * collected, from the format checks and from intake (outside the city, unknown class, no 立结案标准), and
 * thrown as one ValidationError naming row and column, so the whole file can be fixed at once; then
 * nothing is written.
 */
export async function importHotlineOrders(
  db: Executor,
  deps: IntakeDeps,
  actor: Actor,
  rows: CsvRow[],
  now: number,
): Promise<HotlineImportResult> {
  if (rows.length > MAX_HOTLINE_ROWS) throw new ValidationError([{ field: 'file', message: `has ${rows.length} work orders; at most ${MAX_HOTLINE_ROWS} per file, split it` }]);
  if (rows.length === 0) throw new ValidationError([{ field: 'file', message: 'has no work orders below the header' }]);
  if (!db.isTransaction) return db.transaction().execute((trx) => importHotlineOrders(trx, deps, actor, rows, now));

  const tickets = [...new Set(rows.map((r) => (r.values.ticket ?? '').trim()).filter(Boolean))];
  const imported = new Set((await db.selectFrom('cases').select('external_ref')
    .where('source', '=', 'hotline_12345').where('external_ref', 'in', tickets).execute()).map((r) => r.external_ref));
  const issues: FieldIssue[] = [];
  const firstRowOf = new Map<string, number>();
  const skippedTickets: string[] = [];
  const pending: { row: number; ticket: string; input: IntakeInput }[] = [];
  for (const { line: row, values } of rows) {
    const ticket = (values.ticket ?? '').trim();
    const first = firstRowOf.get(ticket);
    if (ticket && first !== undefined) {
      issues.push({ field: 'ticket', message: `work order ${ticket} appears twice in the file (first in row ${first})`, row });
      continue;
    }
    if (ticket) firstRowOf.set(ticket, row);
    if (imported.has(ticket)) {
      skippedTickets.push(ticket);
      continue;
    }
    const checked = toIntakeInput(values, row, now);
    if ('issues' in checked) issues.push(...checked.issues);
    else pending.push({ row, ticket, input: checked.input });
  }

  // The whole file is one batch: its reads once, its writes one multi-row statement per table.
  const cases: HotlineImportResult['cases'] = [];
  const outcomes = await intakeCases(db, deps, pending.map((p) => ({ actor, input: p.input, options: { row: p.row, enteredFor: 'import' as const } })), now);
  for (const [i, outcome] of outcomes.entries()) {
    const p = pending[i]!;
    if (outcome.ok) {
      cases.push({ row: p.row, ticket: p.ticket, caseId: outcome.result.caseId, code: outcome.result.code, duplicateCandidates: outcome.result.duplicateCandidates });
      continue;
    }
    // A refusal for what a row says is reported with the others; anything else (no right to import) ends it.
    if (!(outcome.error instanceof ValidationError)) throw outcome.error;
    issues.push(...outcome.error.issues.map((issue) => ({ ...issue, field: COLUMN_OF_FIELD[issue.field] ?? issue.field, row: issue.row ?? p.row })));
  }
  if (issues.length) throw new ValidationError(issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
  await recordAudit(db, actor, 'case.import_hotline', { type: 'case' }, { created: cases.length, skipped: skippedTickets.length }, now);
  return { created: cases.length, skipped: skippedTickets.length, cases, skippedTickets };
}

/** 来电时间 as epoch ms (see parseBeijingTime). */
export const parseCallTime = parseBeijingTime;
