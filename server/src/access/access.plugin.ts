import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '@cityops/domain/access/permissions';
import { grantsFor, type Actor } from '@cityops/domain/access/scope';
import type { Executor } from '../db/database.ts';
import { forbidden, unauthenticated } from '../http/errors.ts';
import { ANONYMOUS, actorForApiKey, actorForSession } from './access.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs; `'public'` marks a route open to anyone, on purpose. */
    access?: Permission | 'public' | 'authenticated';
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export const SESSION_COOKIE = 'cityops_session';
/** Browsers cannot send a custom header cross-site without a CORS preflight we never grant. */
export const CSRF_HEADER = 'x-cityops-client';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return undefined;
}

/**
 * Authentication and authorization, decided here for every route: each route must declare its
 * `access`, and a route that forgets is refused at start-up rather than left open.
 */
async function accessPlugin(app: FastifyInstance, options: { db: Executor }): Promise<void> {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS;
  });

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.config?.access === undefined && !route.url.startsWith('/api/docs')) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const token = bearer(request);
    if (token) {
      request.actor = (await actorForSession(options.db, token)) ?? ANONYMOUS;
      if (request.actor === ANONYMOUS) throw unauthenticated();
      return;
    }
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '') {
      request.actor = (await actorForApiKey(options.db, apiKey)) ?? ANONYMOUS;
      if (request.actor === ANONYMOUS) throw forbidden('unknown or revoked API key');
      return;
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const actor = await actorForSession(options.db, cookie);
      if (actor) {
        if (UNSAFE.has(request.method) && request.headers[CSRF_HEADER] === undefined) {
          throw forbidden(`a browser session must send the ${CSRF_HEADER} header on ${request.method}`);
        }
        request.actor = actor;
      }
    }
  });

  // Decided before the body is read or validated: a caller without the right learns nothing from the route's
  // validation errors, and the server parses no upload it would refuse anyway.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    if (request.actor.kind === 'anonymous') throw unauthenticated();
    if (access === 'authenticated') return;
    if (grantsFor(request.actor, access).length === 0) throw forbidden(`requires permission ${access}`);
  });
}

export default fp(accessPlugin, { name: 'cityops-access', dependencies: ['@fastify/cookie'] });
