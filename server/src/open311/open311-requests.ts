// Service requests as Open311 shows them: read from the cases, with the status, notes, responsible
// department and deadline the workflow gives, and nothing about who reported them (no name, phone,
// e-mail or account: reporters' data stays in case_reporters). GET filters are the spec's
// (open311.md §1.7) plus the common extensions page/page_size and bbox.
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import type { Executor } from '../db/database.ts';
import { Open311Error, isoDateTime, parseDateTime, type Value } from './open311-format.ts';
import { CLOSED_STATES, FMS_STATUS, coreStatus } from './open311-status.ts';

const DAY_MS = 86_400_000;
/** The spec: "a span of 90 days or first 1000 requests returned, whichever is smallest". */
export const MAX_SPAN_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 1000;

export interface RequestFilter {
  ids: string[] | null;
  serviceCodes: string[] | null;
  start: number;
  end: number;
  statuses: ('open' | 'closed')[] | null;
  bbox: [number, number, number, number] | null;
  page: number;
  pageSize: number;
}

const list = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : text.split(',').map((s) => s.trim()).filter(Boolean));

/** The query arguments of GET requests, checked; an empty argument is the same as none (the spec's rule). */
export function parseRequestFilter(q: Record<string, string | undefined>, now: number): RequestFilter {
  const ids = list(q.service_request_id);
  const statuses = list(q.status);
  if (statuses && statuses.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma-separated)');
  const end = q.end_date?.trim() ? parseDateTime(q.end_date, 'end_date') : q.start_date?.trim() ? parseDateTime(q.start_date, 'start_date') + MAX_SPAN_DAYS * DAY_MS : now;
  const start = q.start_date?.trim() ? parseDateTime(q.start_date, 'start_date') : end - MAX_SPAN_DAYS * DAY_MS;
  if (start > end) throw new Open311Error(400, 'start_date must not be after end_date');
  if (end - start > MAX_SPAN_DAYS * DAY_MS) throw new Open311Error(400, `start_date and end_date may not span more than ${MAX_SPAN_DAYS} days`);
  let bbox: RequestFilter['bbox'] = null;
  if (q.bbox?.trim()) {
    const n = q.bbox.split(',').map(Number);
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || n[0]! > n[2]! || n[1]! > n[3]!) throw new Open311Error(400, 'bbox must be minLng,minLat,maxLng,maxLat');
    bbox = n as [number, number, number, number];
  }
  const int = (text: string | undefined, name: string, min: number, max: number, fallback: number) => {
    if (!text?.trim()) return fallback;
    const v = Number(text);
    if (!Number.isInteger(v) || v < min || v > max) throw new Open311Error(400, `${name} must be a whole number from ${min} to ${max}`);
    return v;
  };
  return { ids, serviceCodes: list(q.service_code), start, end, statuses: statuses as RequestFilter['statuses'], bbox, page: int(q.page, 'page', 1, 1_000_000, 1), pageSize: int(q.page_size, 'page_size', 1, DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE) };
}

function baseQuery(db: Executor) {
  return db.selectFrom('cases as c').innerJoin('catalog_classes as k', 'k.id', 'c.class_id').leftJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.id', 'c.code', 'c.state', 'c.class_code', 'k.name as class_name', 'c.description', 'd.name as department_name', 'c.reported_at', 'c.updated_at', 'c.closed_at', 'c.ended_at',
      'c.handling_due_at', 'c.address', 'c.lon', 'c.lat', 'c.media_url']);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

export async function findRequests(db: Executor, f: RequestFilter): Promise<Row[]> {
  let q = baseQuery(db);
  // service_request_id "overrides all other arguments".
  if (f.ids) return q.where('c.code', 'in', f.ids).orderBy('c.reported_at', 'desc').limit(DEFAULT_PAGE_SIZE).execute();
  q = q.where('c.reported_at', '>=', f.start).where('c.reported_at', '<=', f.end);
  if (f.serviceCodes) q = q.where('c.class_code', 'in', f.serviceCodes);
  if (f.statuses && f.statuses.length === 1) q = f.statuses[0] === 'closed' ? q.where('c.state', 'in', CLOSED_STATES) : q.where('c.state', 'not in', CLOSED_STATES);
  if (f.bbox) q = q.where('c.lon', '>=', f.bbox[0]).where('c.lat', '>=', f.bbox[1]).where('c.lon', '<=', f.bbox[2]).where('c.lat', '<=', f.bbox[3]);
  return q.orderBy('c.reported_at', 'desc').orderBy('c.id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
}

export async function findRequest(db: Executor, code: string): Promise<Row | undefined> {
  return baseQuery(db).where('c.code', '=', code).executeTakeFirst();
}

/** One request as the spec lists its fields, ids as strings; `extensions` adds the finer status. */
export function requestItem(r: Row, extensions: boolean): Record<string, Value> {
  const state = r.state as CaseState;
  const status = coreStatus(state);
  const item: Record<string, Value> = {
    service_request_id: r.code,
    status,
    status_notes: CASE_STATES[state]?.zh ?? r.state,
    service_name: r.class_name,
    service_code: r.class_code,
    description: r.description,
    agency_responsible: r.department_name,
    service_notice: null,
    requested_datetime: isoDateTime(r.reported_at),
    updated_datetime: isoDateTime(status === 'closed' ? (r.closed_at ?? r.ended_at ?? r.updated_at) : r.updated_at),
    expected_datetime: isoDateTime(r.handling_due_at),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.media_url,
  };
  if (extensions) item.extended_attributes = { detailed_status: FMS_STATUS[state] ?? status, state: r.state, state_name: CASE_STATES[state]?.en ?? r.state };
  return item;
}
