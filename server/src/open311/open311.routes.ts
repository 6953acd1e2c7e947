// Open311 GeoReport v2 under /open311/v2/ (open311.md §1): discovery, services and their definitions,
// requests (POST with an api_key, form-encoded; GET with the spec's filters; GET by id), tokens, and
// FixMyStreet's servicerequestupdates. Each path ends in .xml or .json; errors are the spec's list of
// {code, description}, 403 for a bad key, 404 for what does not exist, 400 for everything else.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '@cityops/domain/errors';
import type { Actor } from '@cityops/domain/access/scope';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { actorForApiKey } from '../access/access.service.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { intakeCase } from '../cases/case-intake.ts';
import { Open311Error, formatOf, isoDateTime, parseDateTime, renderErrors, renderList, renderObject, send, type Format } from './open311-format.ts';
import { COMPONENT_ATTRIBUTE, listServices, serviceDefinition, serviceItem } from './open311-services.ts';
import { findRequest, findRequests, parseRequestFilter, requestItem } from './open311-requests.ts';
import { listUpdates, storeUpdate } from './open311-updates.ts';
import { hitRateLimit } from '../http/rate-limits.ts';

type Form = Record<string, string | string[]>;
const CHANGESET = '2026-11-27T00:00:00+08:00';
const MAX_FORM_BYTES = 64 * 1024;

function parseForm(body: string): Form {
  const out: Form = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const key = k.endsWith('[]') ? k.slice(0, -2) : k;
    const prev = out[key];
    out[key] = prev === undefined ? (k.endsWith('[]') ? [v] : v) : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const one = (form: Form, key: string): string | undefined => {
  const v = form[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

function formatParam(request: FastifyRequest): Format {
  const f = (request.params as { format?: string }).format;
  if (f !== 'xml' && f !== 'json') throw new Open311Error(404, `unknown format .${f ?? ''}: use .xml or .json`);
  return f;
}

export async function open311Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, body, done) => {
      try {
        done(null, parseForm(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    scope.setErrorHandler((error, request, reply) => {
      const format = formatOf(request.url);
      if (error instanceof Open311Error) {
        const retry = (error as Open311Error & { retryAfterSeconds?: number }).retryAfterSeconds;
        if (retry) void reply.header('retry-after', String(retry));
        return send(reply, format, error.status, renderErrors(format, error.errors));
      }
      if (error instanceof ValidationError) return send(reply, format, 400, renderErrors(format, error.issues.map((i) => ({ code: 400, description: `${i.field}: ${i.message}` }))));
      if (error instanceof HttpError) {
        const status = error.statusCode === 403 || error.statusCode === 404 ? error.statusCode : 400;
        return send(reply, format, status, renderErrors(format, [{ code: error.code, description: error.message }]));
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) return send(reply, format, status === 413 || status === 415 ? 400 : status, renderErrors(format, [{ code: status, description: (error as Error).message }]));
      request.log.error(error);
      return send(reply, format, 500, renderErrors(format, [{ code: 500, description: 'internal error' }]));
    });
    scope.setNotFoundHandler((request, reply) => {
      const format = formatOf(request.url);
      void send(reply, format, 404, renderErrors(format, [{ code: 404, description: `no resource ${request.url.split('?')[0]}` }]));
    });

    const city = async () => ctx.db.selectFrom('territory_nodes').select(['code', 'name']).where('level', '=', 'city').orderBy('id').executeTakeFirst();
    /** One jurisdiction per endpoint: its id is the city's code; another id is not found, none is fine (the spec). */
    const checkJurisdiction = async (value: string | undefined) => {
      if (value === undefined || value.trim() === '') return;
      const c = await city();
      if (!c || value.trim() !== c.code) throw new Open311Error(404, `jurisdiction_id ${value} not found; this endpoint serves ${c?.code ?? 'no jurisdiction yet'}`);
    };
    /** The query's parameters; the spec's are single-valued, so a repeated one (an array here) is refused by name rather than read as text. */
    const query = (request: FastifyRequest): Record<string, string | undefined> => {
      const q = request.query as Record<string, string | string[] | undefined>;
      const repeated = Object.keys(q).filter((k) => Array.isArray(q[k]));
      if (repeated.length) throw new Open311Error(400, `${repeated.join(', ')}: given more than once`);
      return q as Record<string, string | undefined>;
    };
    const config = { access: 'public' as const };
    const schema = { hide: true };

    scope.get('/discovery.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      const c = await city();
      const url = `${request.protocol}://${request.host}/open311/v2`;
      return send(reply, format, 200, renderObject(format, 'discovery', {
        changeset: CHANGESET, contact: `${c?.name ?? 'CityOps'}城市管理指挥中心 (CityOps)`,
        key_service: 'API keys are issued by the city\'s administrator: cityops apikey create --name … --client …',
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url, changeset: CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
      }));
    });

    scope.get('/services.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      await checkJurisdiction(query(request).jurisdiction_id);
      return send(reply, format, 200, renderList(format, 'services', 'service', (await listServices(ctx.db)).map(serviceItem)));
    });

    scope.get('/services/:code.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      await checkJurisdiction(query(request).jurisdiction_id);
      const code = (request.params as { code: string }).code;
      const service = (await listServices(ctx.db)).find((s) => s.code === code);
      if (!service) throw new Open311Error(404, `service_code ${code} not found`);
      return send(reply, format, 200, renderObject(format, 'service_definition', serviceDefinition(service)));
    });

    scope.get('/requests.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      const q = query(request);
      await checkJurisdiction(q.jurisdiction_id);
      const rows = await findRequests(ctx.db, parseRequestFilter(q, Date.now()));
      return send(reply, format, 200, renderList(format, 'service_requests', 'request', rows.map((r) => requestItem(r, q.extensions === 'true'))));
    });

    scope.get('/requests/:id.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      const q = query(request);
      await checkJurisdiction(q.jurisdiction_id);
      const id = (request.params as { id: string }).id;
      const row = await findRequest(ctx.db, id);
      if (!row) throw new Open311Error(404, `service_request_id ${id} not found`);
      return send(reply, format, 200, renderList(format, 'service_requests', 'request', [requestItem(row, q.extensions === 'true')]));
    });

    scope.get('/tokens/:token.:format', { config, schema }, async (request) => {
      formatParam(request);
      await checkJurisdiction(query(request).jurisdiction_id);
      // Every service is `realtime`: a POST answers with the request id at once and issues no token.
      throw new Open311Error(404, `token ${(request.params as { token: string }).token} not found: this endpoint creates requests in real time and issues no tokens`);
    });

    /** The client's key, checked, and the write counted against the limits per address and per key (429 when over). */
    const apiKeyActor = async (request: FastifyRequest, form: Form): Promise<Actor & { id: number }> => {
      const now = Date.now();
      const wait = async (name: 'open311_write_per_address' | 'open311_write_per_key', subject: string) => {
        const ms = await hitRateLimit(ctx.db, name, ctx.rateLimits, subject, now);
        if (ms > 0) throw Object.assign(new Open311Error(429, `too many requests ${name === 'open311_write_per_key' ? 'with this api_key' : 'from this address'}: at most ${ctx.rateLimits[name].limit} per ${Math.round(ctx.rateLimits[name].windowMs / 1000)} s; try again in ${Math.ceil(ms / 1000)} s`), { retryAfterSeconds: Math.ceil(ms / 1000) });
      };
      await wait('open311_write_per_address', request.ip);
      const key = one(form, 'api_key');
      const actor = key ? await actorForApiKey(ctx.db, key) : null;
      if (!actor) throw new Open311Error(403, key ? 'Invalid api_key received -- can\'t proceed' : 'api_key is required');
      await wait('open311_write_per_key', String(actor.id));
      return actor as Actor & { id: number };
    };
    const formOf = (request: FastifyRequest): Form => {
      if (!request.body || typeof request.body !== 'object' || Array.isArray(request.body)) throw new Open311Error(400, 'send the request form-encoded (application/x-www-form-urlencoded)');
      return request.body as Form;
    };

    scope.post('/requests.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      const form = formOf(request);
      const actor = await apiKeyActor(request, form);
      await checkJurisdiction(one(form, 'jurisdiction_id'));
      const created = await createRequest(ctx, actor, form);
      return send(reply, format, 200, renderList(format, 'service_requests', 'request', [{ service_request_id: created.code, service_notice: created.notice, account_id: null }]));
    });

    scope.get('/servicerequestupdates.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      await checkJurisdiction(query(request).jurisdiction_id);
      return send(reply, format, 200, renderList(format, 'service_request_updates', 'request_update', await listUpdates(ctx.db, query(request), Date.now())));
    });

    scope.post('/servicerequestupdates.:format', { config, schema }, async (request, reply) => {
      const format = formatParam(request);
      const form = formOf(request);
      const actor = await apiKeyActor(request, form);
      await checkJurisdiction(one(form, 'jurisdiction_id'));
      const missing = ['service_request_id', 'update_id', 'status', 'updated_datetime', 'description'].filter((k) => one(form, k) === undefined);
      if (missing.length) throw new Open311Error(400, `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
      const contact = [one(form, 'first_name'), one(form, 'last_name'), one(form, 'email'), one(form, 'phone')].filter(Boolean).join(' ') || null;
      const id = await storeUpdate(ctx.db, {
        apiKeyId: actor.id, serviceRequestId: one(form, 'service_request_id')!, updateId: one(form, 'update_id')!, status: one(form, 'status')!.toLowerCase(),
        updatedAt: parseDateTime(one(form, 'updated_datetime')!, 'updated_datetime'), description: one(form, 'description')!.slice(0, 4000),
        mediaUrl: mediaUrl(one(form, 'media_url')), contact,
      }, Date.now());
      return send(reply, format, 200, renderList(format, 'service_request_updates', 'request_update', [{ update_id: String(id) }]));
    });
  }, { prefix: '/open311/v2' });
}

function mediaUrl(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (text.length > 2000 || !/^https?:\/\/\S+$/i.test(text)) throw new Open311Error(400, 'media_url must be an http(s) URL of at most 2000 characters');
  return text;
}

const num = (form: Form, key: string): number | undefined => {
  const v = one(form, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Open311Error(400, `${key} must be a number`);
  return n;
};

/** POST Service Request: a public report into the case workflow (source open311), as the client's own. */
async function createRequest(ctx: AppContext, actor: Actor & { id: number }, form: Form): Promise<{ code: string; notice: string }> {
  const serviceCode = one(form, 'service_code');
  if (!serviceCode) throw new Open311Error(400, 'service_code is required');
  const service = (await listServices(ctx.db)).find((s) => s.code === serviceCode);
  if (!service) throw new Open311Error(404, `service_code ${serviceCode} not found`);
  const lat = num(form, 'lat');
  const lon = num(form, 'long');
  if (lat === undefined || lon === undefined) {
    throw new Open311Error(400, one(form, 'address_string') || one(form, 'address_id') ? 'lat and long are required: this endpoint places a request by its coordinates and cannot locate an address alone' : 'lat and long are required');
  }
  const description = one(form, 'description') ?? service.name;
  if (description.length > 4000) throw new Open311Error(400, 'description must be at most 4000 characters');
  const attributes = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('attribute[')).map(([k, v]) => [k.slice('attribute['.length, -1), Array.isArray(v) ? v[0] : v]));
  // FixMyStreet names its own report id; a repeated one is the same report sent again.
  const clientRef = attributes.fixmystreet_id?.trim() || one(form, 'service_request_id_ext');
  const externalRef = clientRef ? `k${actor.id}:${clientRef}` : undefined;
  if (externalRef) {
    const existing = await ctx.db.selectFrom('cases').select('code').where('source', '=', 'open311').where('external_ref', '=', externalRef).executeTakeFirst();
    if (existing) return { code: existing.code, notice: '该问题已上报过 (already received)' };
  }
  const name = [one(form, 'last_name'), one(form, 'first_name')].filter(Boolean).join('') || undefined;
  const now = Date.now();
  const result = await ctx.db.transaction().execute(async (trx) => intakeCase(trx, await workflowDeps(ctx, trx), actor, {
    source: 'open311', classCode: service.code, description, lon, lat, address: one(form, 'address_string'),
    componentCode: attributes[COMPONENT_ATTRIBUTE]?.trim() || undefined, externalRef, mediaUrl: mediaUrl(one(form, 'media_url')) ?? undefined,
    reporter: { name, phone: one(form, 'phone'), email: one(form, 'email') },
  }, now, { trustedSource: true }));
  return { code: result.code, notice: `已受理,待现场核实 (received ${isoDateTime(now)}; awaiting on-site verification)` };
}

