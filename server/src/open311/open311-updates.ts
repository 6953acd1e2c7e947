// FixMyStreet's servicerequestupdates extension (open311.md §1.13 B–C), both ways: GET lists the steps
// taken on requests in a time window (one update per workflow event, its status after the step), so a
// client polling every few minutes learns what happened to its reports; POST takes a client's update to
// a request (a citizen's comment, a reopened report), once per client and update id.
import { TRANSITIONS } from '@cityops/domain/workflow/transitions';
import type { CaseState } from '@cityops/domain/workflow/case-states';
import type { Executor } from '../db/database.ts';
import { Open311Error, isoDateTime, parseDateTime, type Value } from './open311-format.ts';
import { FMS_STATUS } from './open311-status.ts';

const HOUR_MS = 3_600_000;
const MAX_SPAN_MS = 90 * 24 * HOUR_MS;
const ACTION_ZH = new Map<string, string>([['report', '上报'], ...TRANSITIONS.map((t) => [t.action, t.zh] as [string, string])]);

export async function listUpdates(db: Executor, q: Record<string, string | undefined>, now: number): Promise<Record<string, Value>[]> {
  const end = q.end_date?.trim() ? parseDateTime(q.end_date, 'end_date') : now;
  const start = q.start_date?.trim() ? parseDateTime(q.start_date, 'start_date') : end - 24 * HOUR_MS;
  if (start > end) throw new Open311Error(400, 'start_date must not be after end_date');
  if (end - start > MAX_SPAN_MS) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days');
  const rows = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.action', 'e.to_state', 'e.at', 'e.reason', 'c.code'])
    .where('e.at', '>=', start).where('e.at', '<=', end).orderBy('e.at').orderBy('e.id').limit(1000).execute();
  return rows.map((r) => ({
    update_id: String(r.id),
    service_request_id: r.code,
    status: FMS_STATUS[r.to_state as CaseState] ?? 'open',
    updated_datetime: isoDateTime(r.at),
    description: `${ACTION_ZH.get(r.action) ?? r.action}${r.reason ? `:${r.reason}` : ''}`,
    media_url: '',
    external_status_code: r.action,
  }));
}

export interface UpdateInput {
  apiKeyId: number;
  serviceRequestId: string;
  updateId: string;
  status: string;
  updatedAt: number;
  description: string;
  mediaUrl: string | null;
  contact: string | null;
}

export async function storeUpdate(db: Executor, u: UpdateInput, now: number): Promise<number> {
  const found = await db.selectFrom('cases').select('id').where('code', '=', u.serviceRequestId).executeTakeFirst();
  if (!found) throw new Open311Error(404, `no service request ${u.serviceRequestId}`);
  const existing = await db.selectFrom('open311_updates').select('id').where('api_key_id', '=', u.apiKeyId).where('client_update_id', '=', u.updateId).executeTakeFirst();
  // FixMyStreet's own server answers a repeated update id so; its client treats it as sent.
  if (existing) throw new Open311Error(400, `update ${u.updateId} already exists`);
  const row = await db.insertInto('open311_updates').values({
    api_key_id: u.apiKeyId, client_update_id: u.updateId, case_id: found.id, status: u.status, description: u.description,
    updated_at: u.updatedAt, received_at: now, media_url: u.mediaUrl, contact: u.contact,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
