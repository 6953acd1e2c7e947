import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from '@cityops/domain/access/roles';
import { PERMISSIONS } from '@cityops/domain/access/permissions';
import type { AppContext } from '../http/context.ts';
import { ErrorResponses, Paging } from '../http/schemas.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { hitRateLimit, rateLimitWait } from '../http/rate-limits.ts';
import { recordAudit } from '../audit/audit.ts';
import { createApiKey, login, logout } from './access.service.ts';
import { SESSION_COOKIE } from './access.plugin.ts';
import { createUser, listUsers, replaceGrants, updateUser, type GrantInput } from './users.service.ts';

const Grant = Type.Object({
  role: Type.String({ description: Object.keys(ROLES).join(', ') }),
  territoryCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  departmentCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export async function accessRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: 'Sign in with username and password; returns a session token (also set as an HttpOnly cookie)',
      security: [],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: {
        200: Type.Object({ token: Type.String(), expiresAt: Type.Integer(), user: Type.Object({ id: Type.Integer(), username: Type.String(), roles: Type.Array(Type.String()) }) }),
        ...ErrorResponses,
      },
    },
  }, async (request, reply) => {
    const { username, password } = request.body as { username: string; password: string };
    const now = Date.now();
    // Password guessing is slowed per username and per address; only wrong passwords count.
    const limits = [['login_failures_per_user', username.toLowerCase()], ['login_failures_per_address', request.ip]] as const;
    for (const [name, subject] of limits) {
      const wait = await rateLimitWait(ctx.db, name, ctx.rateLimits, subject, now);
      if (wait > 0) {
        void reply.header('retry-after', String(Math.ceil(wait / 1000)));
        throw new HttpError(429, 'rate_limited', `too many wrong passwords ${name === 'login_failures_per_user' ? 'for this username' : 'from this address'}; try again in ${Math.ceil(wait / 1000)} s`);
      }
    }
    let result: Awaited<ReturnType<typeof login>>;
    try {
      result = await login(ctx.db, username, password, ctx.config.sessionTtlHours, now);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'invalid_credentials') for (const [name, subject] of limits) await hitRateLimit(ctx.db, name, ctx.rateLimits, subject, now);
      throw error;
    }
    void reply.setCookie(SESSION_COOKIE, result.token, {
      httpOnly: true, sameSite: 'strict', path: '/', expires: new Date(result.expiresAt), secure: request.protocol === 'https',
    });
    return { token: result.token, expiresAt: result.expiresAt, user: { id: result.actor.id!, username: result.actor.name, roles: result.actor.grants.map((g) => g.role) } };
  });

  app.post('/api/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'End the current session' },
  }, async (request, reply) => {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? request.cookies[SESSION_COOKIE];
    if (token) await logout(ctx.db, token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Who am I: user, roles with scopes, and the permissions they confer' },
  }, async (request) => {
    const actor = request.actor;
    const user = actor.kind === 'user'
      ? await ctx.db.selectFrom('users').select(['display_name']).where('id', '=', actor.id!).executeTakeFirst()
      : undefined;
    const permissions = Object.entries(PERMISSIONS).filter(([, roles]) => actor.grants.some((g) => (roles as readonly string[]).includes(g.role))).map(([p]) => p);
    return { kind: actor.kind, id: actor.id, username: actor.name, displayName: user?.display_name ?? actor.name, grants: actor.grants, permissions };
  });

  app.get('/api/roles', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'The roles and the permission table (who may do what)' },
  }, async () => ({ roles: ROLES, permissions: PERMISSIONS }));

  app.get('/api/users', {
    config: { access: 'user.read' },
    schema: { tags: ['users'], summary: 'List users with their roles and scopes', querystring: Type.Object({ role: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })), ...Paging }) },
  }, async (request) => listUsers(ctx.db, request.query as { role?: string; q?: string; limit: number; offset: number }));

  app.post('/api/users', {
    config: { access: 'user.write' },
    schema: {
      tags: ['users'], summary: 'Create a user with one or more role grants',
      body: Type.Object({
        username: Type.String({ minLength: 3, maxLength: 40 }), displayName: Type.String({ minLength: 1, maxLength: 60 }),
        password: Type.String({ minLength: 8, maxLength: 200 }), phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
        grants: Type.Array(Grant, { minItems: 1, maxItems: 20 }),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const id = await createUser(ctx.db, request.actor, request.body as Parameters<typeof createUser>[2]);
    void reply.status(201);
    return { id };
  });

  app.patch('/api/users/:id', {
    config: { access: 'user.write' },
    schema: {
      tags: ['users'], summary: 'Change display name, phone, status or password (disabling or a new password ends the user\'s sessions)',
      params: Type.Object({ id: Type.Integer() }),
      body: Type.Object({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
        password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })), phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    await updateUser(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Parameters<typeof updateUser>[3]);
    return { ok: true };
  });

  app.put('/api/users/:id/grants', {
    config: { access: 'user.write' },
    schema: { tags: ['users'], summary: 'Replace a user\'s role grants', params: Type.Object({ id: Type.Integer() }), body: Type.Object({ grants: Type.Array(Grant, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }) },
  }, async (request) => {
    await replaceGrants(ctx.db, request.actor, (request.params as { id: number }).id, (request.body as { grants: GrantInput[] }).grants);
    return { ok: true };
  });

  app.get('/api/api-keys', {
    config: { access: 'api_key.write' },
    schema: { tags: ['api keys'], summary: 'List API keys of Open311 clients (secrets are never shown again)' },
  }, async () => {
    const rows = await ctx.db.selectFrom('api_keys').select(['id', 'key_prefix', 'name', 'client', 'created_at', 'revoked_at', 'last_used_at']).orderBy('id').execute();
    return { items: rows.map((r) => ({ id: r.id, prefix: r.key_prefix, name: r.name, client: r.client, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at })) };
  });

  app.post('/api/api-keys', {
    config: { access: 'api_key.write' },
    schema: { tags: ['api keys'], summary: 'Issue an API key for an Open311 client; the key is returned once', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), client: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const body = request.body as { name: string; client: string };
    const result = await ctx.db.transaction().execute((trx) => createApiKey(trx, request.actor, { ...body, ownerUserId: request.actor.id }));
    void reply.status(201);
    return result;
  });

  app.delete('/api/api-keys/:id', {
    config: { access: 'api_key.write' },
    schema: { tags: ['api keys'], summary: 'Revoke an API key', params: Type.Object({ id: Type.Integer() }) },
  }, async (request) => {
    const { id } = request.params as { id: number };
    const now = Date.now();
    await ctx.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound(`active API key ${id}`);
      await recordAudit(trx, request.actor, 'api_key.revoke', { type: 'api_key', ref: id }, undefined, now);
    });
    return { ok: true };
  });
}
