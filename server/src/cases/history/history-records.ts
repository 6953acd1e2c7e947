// The history log format (docs/history-import.md): one event of one case per JSONL line or CSV row,
// read into typed records that keep their line number. Only the shape is checked here; the workflow
// rules are checked when the records are replayed.
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { isCaseSource, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { isCaseAction } from '@cityops/domain/workflow/transitions';
import { readCsv } from '../../imports/csv.ts';
import { parseBeijingTime } from '../../imports/beijing-time.ts';

export interface HistoryReport {
  source: CaseSource;
  classCode: string;
  lon: number;
  lat: number;
  description: string;
  address: string | null;
  componentCode: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
}

export interface HistoryRecord {
  /** 1-based line of the file (the header is line 1 of a CSV). */
  line: number;
  /** The case's number in the system the history comes from; kept as the case's external reference. */
  caseRef: string;
  at: number;
  /** 'report' opens a case; every other value is an action of the workflow table. */
  action: string;
  /** Username of the CityOps account that acted; absent only when a citizen reported. */
  actor: string | null;
  report: HistoryReport | null;
  reason: string | null;
  departmentCode: string | null;
  /** Another case of this file (its caseRef), or an existing case's code. */
  mergeInto: string | null;
  satisfaction: string | null;
  /** Evidence photos the source system holds; counted for the photo rules, the files stay there. */
  photos: number;
  note: string | null;
}

export const HISTORY_COLUMNS = ['case', 'at', 'action', 'actor', 'source', 'class', 'lon', 'lat', 'description', 'address', 'component',
  'reporter_name', 'reporter_phone', 'reason', 'department', 'merge_into', 'satisfaction', 'photos', 'note'] as const;
const REQUIRED = ['case', 'at', 'action'];
const REPORT_ONLY = ['source', 'class', 'lon', 'lat', 'description', 'address', 'component', 'reporter_name', 'reporter_phone'] as const;
const MAX_REF = 64;
const MAX_TEXT = 2000;

type Fields = Record<string, string>;

function toRecord(line: number, f: Fields, issues: FieldIssue[]): HistoryRecord | null {
  const before = issues.length;
  const bad = (field: string, message: string) => issues.push({ field, message, row: line });
  const text = (k: string) => (f[k] ?? '').trim();
  const optional = (k: string) => text(k) || null;
  const caseRef = text('case');
  if (!caseRef) bad('case', 'the case reference is required');
  else if (caseRef.length > MAX_REF) bad('case', `at most ${MAX_REF} characters`);
  const at = parseBeijingTime(text('at'));
  if (at === null) bad('at', 'must be a time: YYYY-MM-DD HH:mm[:ss] (Beijing) or ISO 8601 with an offset');
  const action = text('action');
  if (action !== 'report' && !isCaseAction(action)) bad('action', `'${action}' is neither report nor an action of the workflow table (GET /api/workflow)`);
  for (const k of ['reason', 'note', 'description'] as const) if (text(k).length > MAX_TEXT) bad(k, `at most ${MAX_TEXT} characters`);
  const photosText = text('photos');
  const photos = photosText === '' ? 0 : Number(photosText);
  if (!Number.isInteger(photos) || photos < 0 || photos > 100) bad('photos', 'must be a whole number of photos from 0 to 100');

  let report: HistoryReport | null = null;
  if (action === 'report') {
    const source = text('source');
    if (!isCaseSource(source)) bad('source', `'${source}' is not a case source`);
    if (!text('class')) bad('class', 'the class code is required to report');
    const lon = Number(text('lon'));
    const lat = Number(text('lat'));
    if (text('lon') === '' || !(lon >= -180 && lon <= 180)) bad('lon', 'must be a longitude from -180 to 180');
    if (text('lat') === '' || !(lat >= -90 && lat <= 90)) bad('lat', 'must be a latitude from -90 to 90');
    if (!text('description')) bad('description', 'the description is required to report');
    if (isCaseSource(source)) {
      report = { source, classCode: text('class'), lon, lat, description: text('description'), address: optional('address'), componentCode: optional('component'),
        reporterName: optional('reporter_name'), reporterPhone: optional('reporter_phone') };
    }
  } else {
    // A report field on another action would be dropped silently; say so instead.
    for (const k of REPORT_ONLY) if (text(k)) bad(k, `only a report row carries ${k}`);
  }
  if (issues.length > before) return null;
  return {
    line, caseRef, at: at!, action, actor: optional('actor'), report, reason: optional('reason'), departmentCode: optional('department'),
    mergeInto: optional('merge_into'), satisfaction: optional('satisfaction'), photos, note: optional('note'),
  };
}

function finish(records: (HistoryRecord | null)[], issues: FieldIssue[]): HistoryRecord[] {
  if (issues.length) throw new ValidationError(issues.slice(0, 200));
  const out = records.filter((r): r is HistoryRecord => r !== null);
  if (out.length === 0) throw new ValidationError([{ field: 'file', message: 'the file holds no events' }]);
  return out;
}

/** JSON Lines: one object per line with the CSV's column names as keys; blank lines are skipped. */
export function parseHistoryJsonl(text: string): HistoryRecord[] {
  const issues: FieldIssue[] = [];
  const records: (HistoryRecord | null)[] = [];
  const known = new Set<string>(HISTORY_COLUMNS);
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.push({ field: 'line', message: `not valid JSON: ${(error as Error).message}`, row: line });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ field: 'line', message: 'each line must be a JSON object', row: line });
      return;
    }
    const fields: Fields = {};
    for (const [k, v] of Object.entries(value)) {
      if (!known.has(k)) issues.push({ field: k, message: `unknown key; expected ${HISTORY_COLUMNS.join(', ')}`, row: line });
      else if (v === null || v === undefined) fields[k] = '';
      else if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
      else issues.push({ field: k, message: 'must be a string or a number', row: line });
    }
    records.push(toRecord(line, fields, issues));
  });
  return finish(records, issues);
}

export function parseHistoryCsv(text: string): HistoryRecord[] {
  const rows = readCsv(text, REQUIRED, HISTORY_COLUMNS.filter((c) => !REQUIRED.includes(c)));
  const issues: FieldIssue[] = [];
  return finish(rows.map((r) => toRecord(r.line, r.values, issues)), issues);
}

/** One record as a JSONL line (the demo city's history and exports write this). */
export function historyRecordJson(r: Omit<HistoryRecord, 'line'>): string {
  const o: Record<string, string | number> = { case: r.caseRef, at: new Date(r.at).toISOString(), action: r.action };
  if (r.actor) o.actor = r.actor;
  if (r.report) {
    Object.assign(o, { source: r.report.source, class: r.report.classCode, lon: r.report.lon, lat: r.report.lat, description: r.report.description });
    if (r.report.address) o.address = r.report.address;
    if (r.report.componentCode) o.component = r.report.componentCode;
    if (r.report.reporterName) o.reporter_name = r.report.reporterName;
    if (r.report.reporterPhone) o.reporter_phone = r.report.reporterPhone;
  }
  if (r.reason) o.reason = r.reason;
  if (r.departmentCode) o.department = r.departmentCode;
  if (r.mergeInto) o.merge_into = r.mergeInto;
  if (r.satisfaction) o.satisfaction = r.satisfaction;
  if (r.photos) o.photos = r.photos;
  if (r.note) o.note = r.note;
  return JSON.stringify(o);
}
