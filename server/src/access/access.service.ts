import type { Actor, Grant } from '@cityops/domain/access/scope';
import { isRole } from '@cityops/domain/access/roles';
import type { Executor } from '../db/database.ts';
import { recordAudit } from '../audit/audit.ts';
import { HttpError } from '../http/errors.ts';
import { verifyPassword } from './passwords.ts';
import { sessionGrantRows } from './session-lookups.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const ANONYMOUS: Actor = { kind: 'anonymous', id: null, name: 'anonymous', grants: [] };

/** The grants of a user, with each territory scope resolved to its materialised path. */
export async function loadGrants(db: Executor, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('user_roles as r')
    .leftJoin('territory_nodes as t', 't.id', 'r.territory_node_id')
    .select(['r.role', 'r.department_id', 't.path'])
    .where('r.user_id', '=', userId)
    .execute();
  return rows.filter((r) => isRole(r.role)).map((r) => ({
    role: r.role as Grant['role'],
    territoryPath: r.path ?? null,
    departmentId: r.department_id ?? null,
  }));
}

export interface LoginResult {
  token: string;
  expiresAt: number;
  actor: Actor;
}

export async function login(db: Executor, username: string, password: string, ttlHours: number, now = Date.now()): Promise<LoginResult> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // The same answer for an unknown user and a wrong password, so usernames cannot be probed.
  const ok = user ? await verifyPassword(password, user.password_hash) : false;
  if (!user || !ok) throw new HttpError(401, 'invalid_credentials', 'username or password is wrong');
  if (user.status !== 'active') throw new HttpError(403, 'account_disabled', 'this account is disabled');
  const token = newSecret('cos');
  const expiresAt = now + ttlHours * 3_600_000;
  await db.insertInto('sessions').values({
    token_hash: hashSecret(token), user_id: user.id, created_at: now, expires_at: expiresAt, last_seen_at: now, revoked_at: null,
  }).execute();
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
  const actor: Actor = { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
  await recordAudit(db, actor, 'session.login', { type: 'user', ref: user.id }, undefined, now);
  return { token, expiresAt, actor };
}

export async function logout(db: Executor, token: string, now = Date.now()): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', hashSecret(token)).where('revoked_at', 'is', null).execute();
}

/** The actor behind a session token, or null when the token is unknown, revoked or expired. */
export async function actorForSession(db: Executor, token: string, now = Date.now()): Promise<Actor | null> {
  // The session, its user and the user's grants in one read (a row per grant), shared with the other requests of this turn.
  const rows = await sessionGrantRows(db, hashSecret(token));
  const session = rows[0];
  if (!session || session.revoked_at !== null || session.expires_at <= now || session.status !== 'active') return null;
  // Touch at most once a minute: a write per request would make every read a write.
  if (now - session.last_seen_at > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', session.id).execute();
  }
  const grants = rows.filter((r) => r.role !== null && isRole(r.role)).map((r) => ({
    role: r.role as Grant['role'], territoryPath: r.path ?? null, departmentId: r.department_id ?? null,
  }));
  return { kind: 'user', id: session.user_id, name: session.username, grants };
}

/** The actor behind an Open311 API key; API keys act as the public channel of their client app. */
export async function actorForApiKey(db: Executor, key: string, now = Date.now()): Promise<Actor | null> {
  const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashSecret(key)).executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  if (row.last_used_at === null || now - row.last_used_at > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { kind: 'api_key', id: row.id, name: `api_key:${row.name}`, grants: [{ role: 'public', territoryPath: null, departmentId: null }] };
}

/** Creates an API key and returns the secret once; only its hash is kept. `fixedKey` is for documented demo keys. */
export async function createApiKey(
  db: Executor,
  actor: Actor,
  input: { name: string; client: string; ownerUserId?: number | null },
  fixedKey?: string,
  now = Date.now(),
): Promise<{ id: number; key: string }> {
  const key = fixedKey ?? newSecret('cok');
  const row = await db.insertInto('api_keys').values({
    key_hash: hashSecret(key), key_prefix: key.slice(0, 8), name: input.name, client: input.client,
    owner_user_id: input.ownerUserId ?? null, created_at: now, revoked_at: null, last_used_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(db, actor, 'api_key.create', { type: 'api_key', ref: row.id }, { name: input.name, client: input.client }, now);
  return { id: row.id, key };
}
