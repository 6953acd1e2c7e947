// The case timeline: one row per transition, written in the transaction of the state change.
import type { Actor } from '@cityops/domain/access/scope';
import type { Role } from '@cityops/domain/access/roles';
import type { Executor } from '../db/database.ts';
import { keepPostSteps } from '../indicators/kept-post-steps.ts';

export interface CaseEventInput {
  caseId: number;
  action: string;
  fromState: string | null;
  toState: string;
  at: number;
  actor: Actor;
  role: Role | null;
  departmentId: number | null;
  reason: string | null;
  data?: Record<string, unknown> | null;
  onTime?: 0 | 1 | null;
}

/** Appends the next event of the case; (case_id, seq) is unique, so a racing writer fails rather than interleaves. */
export async function appendCaseEvent(db: Executor, e: CaseEventInput): Promise<{ id: number; seq: number }> {
  const last = await db.selectFrom('case_events').select((eb) => eb.fn.max('seq').as('seq')).where('case_id', '=', e.caseId).executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  const row = await db.insertInto('case_events').values({
    case_id: e.caseId, seq, action: e.action, from_state: e.fromState, to_state: e.toState, at: e.at,
    actor_kind: e.actor.kind, actor_id: e.actor.id, actor_name: e.actor.name, actor_role: e.role,
    department_id: e.departmentId, reason: e.reason, data: e.data ? JSON.stringify(e.data) : null, on_time: e.onTime ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  await keepPostSteps(db, [{ at: e.at, actorKind: e.actor.kind, actorId: e.actor.id, action: e.action, onTime: e.onTime ?? null }]);
  return { id: row.id, seq };
}

export interface CaseEventDto {
  seq: number;
  action: string;
  fromState: string | null;
  toState: string;
  at: string;
  actor: { kind: string; id: number | null; name: string; role: string | null };
  department: { id: number; code: string; name: string } | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  attachments: { id: number; mimeType: string; sizeBytes: number; originalName: string | null }[];
}

export async function caseTimeline(db: Executor, caseId: number): Promise<CaseEventDto[]> {
  const events = await db.selectFrom('case_events as e').leftJoin('departments as d', 'd.id', 'e.department_id')
    .select(['e.id', 'e.seq', 'e.action', 'e.from_state', 'e.to_state', 'e.at', 'e.actor_kind', 'e.actor_id', 'e.actor_name', 'e.actor_role', 'e.reason', 'e.data', 'd.id as dept_id', 'd.code as dept_code', 'd.name as dept_name'])
    .where('e.case_id', '=', caseId).orderBy('e.seq').execute();
  const files = await db.selectFrom('attachments').select(['id', 'event_id', 'mime_type', 'size_bytes', 'original_name']).where('case_id', '=', caseId).orderBy('id').execute();
  return events.map((e) => ({
    seq: e.seq, action: e.action, fromState: e.from_state, toState: e.to_state, at: new Date(e.at).toISOString(),
    actor: { kind: e.actor_kind, id: e.actor_id, name: e.actor_name, role: e.actor_role },
    department: e.dept_id !== null ? { id: e.dept_id, code: e.dept_code as string, name: e.dept_name as string } : null,
    reason: e.reason,
    data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null,
    attachments: files.filter((f) => f.event_id === e.id).map((f) => ({ id: f.id, mimeType: f.mime_type, sizeBytes: f.size_bytes, originalName: f.original_name })),
  }));
}
