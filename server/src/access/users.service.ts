import type { Kysely } from 'kysely';
import { ROLE_SCOPE, isRole, type Role } from '@cityops/domain/access/roles';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { conflict, notFound } from '../http/errors.ts';
import { hashPassword, passwordIssues } from './passwords.ts';
import { textContains } from '../db/text-match.ts';

export interface GrantInput {
  role: string;
  territoryCode?: string | null;
  departmentCode?: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  phone?: string | null;
  grants: GrantInput[];
}

/** Resolves grant scopes to ids and checks each role carries the scope its kind of work needs. */
async function resolveGrants(db: Executor, grants: GrantInput[]) {
  const issues: FieldIssue[] = [];
  const territoryCodes = grants.map((g) => g.territoryCode).filter((c): c is string => !!c);
  const departmentCodes = grants.map((g) => g.departmentCode).filter((c): c is string => !!c);
  const nodes = territoryCodes.length ? await db.selectFrom('territory_nodes').select(['id', 'code']).where('code', 'in', territoryCodes).execute() : [];
  const departments = departmentCodes.length ? await db.selectFrom('departments').select(['id', 'code', 'territory_node_id']).where('code', 'in', departmentCodes).execute() : [];
  const nodeId = new Map(nodes.map((n) => [n.code, n.id]));
  const department = new Map(departments.map((d) => [d.code, d]));
  const rows = grants.map((g, i) => {
    const field = `grants[${i}]`;
    if (!isRole(g.role)) issues.push({ field: `${field}.role`, message: `unknown role "${g.role}"` });
    const scope = isRole(g.role) ? ROLE_SCOPE[g.role] : 'none';
    if (g.territoryCode && !nodeId.has(g.territoryCode)) issues.push({ field: `${field}.territoryCode`, message: `no territory node ${g.territoryCode}` });
    if (g.departmentCode && !department.has(g.departmentCode)) issues.push({ field: `${field}.departmentCode`, message: `no department ${g.departmentCode}` });
    if (scope === 'territory' && !g.territoryCode) issues.push({ field: `${field}.territoryCode`, message: `role ${g.role} acts within a territory; name its node` });
    if (scope === 'department' && !g.departmentCode) issues.push({ field: `${field}.departmentCode`, message: `role ${g.role} acts for a department; name it` });
    const dept = g.departmentCode ? department.get(g.departmentCode) : undefined;
    return {
      role: g.role as Role,
      territory_node_id: g.territoryCode ? (nodeId.get(g.territoryCode) ?? null) : (dept?.territory_node_id ?? null),
      department_id: dept?.id ?? null,
    };
  });
  if (grants.length === 0) issues.push({ field: 'grants', message: 'a user needs at least one role' });
  if (issues.length) throw new ValidationError(issues);
  return rows;
}

export async function createUser(db: Kysely<Database>, actor: Actor, input: NewUser, now = Date.now(), passwordHash?: string) {
  const issues: FieldIssue[] = [];
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(input.username)) issues.push({ field: 'username', message: 'must be 3–40 letters, digits, _ . or -' });
  if (!input.displayName?.trim()) issues.push({ field: 'displayName', message: 'is required' });
  if (!passwordHash) issues.push(...passwordIssues(input.password));
  if (issues.length) throw new ValidationError(issues);
  const hash = passwordHash ?? (await hashPassword(input.password));
  return db.transaction().execute(async (trx) => {
    const grants = await resolveGrants(trx, input.grants);
    const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw conflict(`username ${input.username} is taken`, [{ field: 'username', message: 'is taken' }]);
    const { id } = await trx.insertInto('users').values({
      username: input.username, display_name: input.displayName.trim(), password_hash: hash, status: 'active',
      phone: input.phone ?? null, created_at: now, updated_at: now, last_login_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values(grants.map((g) => ({ ...g, user_id: id }))).execute();
    await recordAudit(trx, actor, 'user.create', { type: 'user', ref: id }, { username: input.username, grants: input.grants }, now);
    return id;
  });
}

/**
 * An installation must keep an active administrator who can sign in: nobody removes their own
 * administrator role or disables their own account (another administrator must), and the last active
 * administrator cannot lose the role or be disabled.
 */
async function keepAnAdministrator(trx: Executor, actor: Actor, userId: number, change: { losesAdmin: boolean; disabled: boolean }, field: string) {
  if (!change.losesAdmin && !change.disabled) return;
  const wasAdmin = await trx.selectFrom('user_roles').select('user_id').where('user_id', '=', userId).where('role', '=', 'admin').executeTakeFirst();
  if (change.disabled && actor.kind === 'user' && actor.id === userId) throw conflict('you cannot disable your own account; another administrator can', [{ field, message: 'not your own account' }]);
  if (!wasAdmin) return;
  if (actor.kind === 'user' && actor.id === userId) throw conflict('you cannot remove your own administrator role; another administrator can', [{ field, message: 'keeps your administrator role' }]);
  const others = await trx.selectFrom('user_roles as r').innerJoin('users as u', 'u.id', 'r.user_id').select('u.id')
    .where('r.role', '=', 'admin').where('u.status', '=', 'active').where('u.id', '<>', userId).executeTakeFirst();
  if (!others) throw conflict('this is the last active administrator; make another one first', [{ field, message: 'the last active administrator' }]);
}

export async function replaceGrants(db: Kysely<Database>, actor: Actor, userId: number, grants: GrantInput[], now = Date.now()) {
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound(`user ${userId}`);
    await keepAnAdministrator(trx, actor, userId, { losesAdmin: !grants.some((g) => g.role === 'admin'), disabled: false }, 'grants');
    const rows = await resolveGrants(trx, grants);
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    await trx.insertInto('user_roles').values(rows.map((g) => ({ ...g, user_id: userId }))).execute();
    await recordAudit(trx, actor, 'user.grants', { type: 'user', ref: userId }, { grants }, now);
  });
}

export async function updateUser(
  db: Kysely<Database>, actor: Actor, userId: number,
  patch: { displayName?: string; status?: 'active' | 'disabled'; password?: string; phone?: string | null }, now = Date.now(),
) {
  if (patch.password !== undefined) {
    const issues = passwordIssues(patch.password);
    if (issues.length) throw new ValidationError(issues);
  }
  const hash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound(`user ${userId}`);
    await keepAnAdministrator(trx, actor, userId, { losesAdmin: false, disabled: patch.status === 'disabled' }, 'status');
    await trx.updateTable('users').set({
      updated_at: now,
      ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(hash ? { password_hash: hash } : {}),
    }).where('id', '=', userId).execute();
    // A disabled account or a new password ends every open session of that user.
    if (patch.status === 'disabled' || hash) {
      await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    }
    const { password: _omit, ...logged } = patch;
    await recordAudit(trx, actor, 'user.update', { type: 'user', ref: userId }, { ...logged, passwordChanged: hash !== undefined }, now);
  });
}

export async function listUsers(db: Executor, filter: { role?: string; q?: string; limit: number; offset: number }) {
  let query = db.selectFrom('users as u');
  if (filter.role) query = query.where('u.id', 'in', (eb) => eb.selectFrom('user_roles').select('user_id').where('role', '=', filter.role!));
  const text = filter.q;
  if (text) query = query.where((eb) => eb.or([textContains(db, 'u.username', text), textContains(db, 'u.display_name', text)]));
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const users = await query.select(['u.id', 'u.username', 'u.display_name', 'u.status', 'u.phone', 'u.last_login_at', 'u.created_at'])
    .orderBy('u.username').limit(filter.limit).offset(filter.offset).execute();
  const grants = users.length
    ? await db.selectFrom('user_roles as r').leftJoin('territory_nodes as t', 't.id', 'r.territory_node_id').leftJoin('departments as d', 'd.id', 'r.department_id')
      .select(['r.user_id', 'r.role', 't.code as territory_code', 't.name as territory_name', 'd.code as department_code', 'd.name as department_name'])
      .where('r.user_id', 'in', users.map((u) => u.id)).execute()
    : [];
  return {
    total: Number(total),
    items: users.map((u) => ({
      id: u.id, username: u.username, displayName: u.display_name, status: u.status, phone: u.phone, lastLoginAt: u.last_login_at, createdAt: u.created_at,
      grants: grants.filter((g) => g.user_id === u.id).map((g) => ({
        role: g.role, territoryCode: g.territory_code, territoryName: g.territory_name, departmentCode: g.department_code, departmentName: g.department_name,
      })),
    })),
  };
}
