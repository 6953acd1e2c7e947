import type { Actor } from '@cityops/domain/access/scope';
import type { Executor } from '../db/database.ts';

/** Appends one line to the audit log, inside the caller's transaction so the change and its record commit together. */
export async function recordAudit(
  db: Executor,
  actor: Actor,
  action: string,
  entity: { type: string; ref?: string | number | null },
  detail?: unknown,
  at = Date.now(),
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name,
      action,
      entity_type: entity.type,
      entity_ref: entity.ref === undefined || entity.ref === null ? null : String(entity.ref),
      detail: detail === undefined ? null : JSON.stringify(detail),
    })
    .execute();
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system', grants: [] };
export const cliActor = (): Actor => ({ kind: 'cli', id: null, name: `cli:${process.env.USER ?? 'operator'}`, grants: [] });
