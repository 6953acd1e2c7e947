// Idempotent writes: a retried request with the same Idempotency-Key replays the first answer instead
// of acting twice (the offline inspector app retries until it hears back). The key row is written in
// the transaction of the effect, so either both commit or neither.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import type { Database } from '../db/schema.ts';
import { onDisk } from '../db/database.ts';
import { HttpError } from './errors.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function idempotencyScope(actor: Actor, operation: string): string {
  return `${actor.kind}:${actor.id ?? actor.name}:${operation}`;
}

export function requestHash(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload ?? null)).digest('hex');
}

export function validateIdempotencyKey(raw: unknown): string | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–200 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
  }
  return raw;
}

async function stored(db: Kysely<Database> | Transaction<Database>, scope: string, key: string, hash: string): Promise<StoredResponse | null> {
  const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status', 'response']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== hash) {
    throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with a different body' }]);
  }
  return { status: row.status, body: JSON.parse(row.response), replayed: true };
}

/** A stored answer is sent once the first attempt that stored it is on disk (SQLite: its log flush may still run). */
async function replayed(db: Kysely<Database>, answer: StoredResponse): Promise<StoredResponse> {
  await onDisk(db);
  return answer;
}

/**
 * Runs `effect` in a transaction unless the key has been seen; without a key it just runs it.
 * Two racing requests with one key: the second fails, its transaction rolls back, and it replays the
 * first's stored answer. On PostgreSQL the second usually fails in its effect, not on the key: it read
 * the case before the first committed, so its version check finds the case moved on (409 conflict or
 * stale_version). Any failure is therefore followed by a look for a winner under the same key: the phone
 * that retried a lost answer while the first attempt was still running gets that attempt's answer, not a
 * refusal of its own action.
 */
export async function runIdempotent(
  db: Kysely<Database>,
  key: { scope: string; key: string; hash: string } | null,
  effect: (trx: Transaction<Database>) => Promise<{ status: number; body: unknown }>,
  now = Date.now(),
): Promise<StoredResponse> {
  if (!key) {
    const result = await db.transaction().execute(effect);
    return { ...result, replayed: false };
  }
  const seen = await stored(db, key.scope, key.key, key.hash);
  if (seen) return replayed(db, seen);
  try {
    const answer = await db.transaction().execute(async (trx) => {
      const again = await stored(trx, key.scope, key.key, key.hash);
      if (again) return again;
      const result = await effect(trx);
      await trx.insertInto('idempotency_keys').values({ scope: key.scope, key: key.key, request_hash: key.hash, status: result.status, response: JSON.stringify(result.body), created_at: now }).execute();
      return { ...result, replayed: false };
    });
    return answer.replayed ? replayed(db, answer) : answer;
  } catch (error) {
    // A database failure of the look itself is not the answer: the request's own error is.
    const winner = await stored(db, key.scope, key.key, key.hash).catch((e: unknown) => { if (e instanceof HttpError) throw e; return null; });
    if (!winner) throw error;
    return replayed(db, winner);
  }
}
