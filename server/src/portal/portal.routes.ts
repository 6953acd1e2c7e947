// The public portal's API (no account): the services one can report, a report with its photo, a report
// followed by its number, and the reporter's rating.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { hitRateLimit } from '../http/rate-limits.ts';
import { listServices } from '../open311/open311-services.ts';
import { publicReport, rateReport, submitReport } from './portal.service.ts';

const tags = ['public'];
/** Base64 of a photo up to the attachment limit (10 MB) takes 4/3 of it. */
const MAX_BODY = 15 * 1024 * 1024;

export async function portalRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const limit = async (request: FastifyRequest) => {
    const ms = await hitRateLimit(ctx.db, 'portal_write_per_address', ctx.rateLimits, request.ip, Date.now());
    if (ms > 0) throw new HttpError(429, 'rate_limited', `too many reports from this address: at most ${ctx.rateLimits.portal_write_per_address.limit} per ${Math.round(ctx.rateLimits.portal_write_per_address.windowMs / 1000)} s; try again in ${Math.ceil(ms / 1000)} s`);
  };

  app.get('/api/public/services', {
    config: { access: 'public' },
    schema: { tags, summary: 'What the public can report: the catalog classes with a 立结案标准, by group' },
  }, async () => ({ items: (await listServices(ctx.db)).map((s) => ({ code: s.code, name: s.name, group: s.group, description: s.description })) }));

  app.get('/api/public/territory', {
    config: { access: 'public' },
    schema: { tags, summary: 'The city and its districts as GeoJSON (code, name, outline), for the portal\'s map' },
  }, async () => {
    const nodes = await ctx.db.selectFrom('territory_nodes').select(['code', 'name', 'level', 'geometry']).where('level', 'in', ['city', 'district']).orderBy('code').execute();
    return {
      type: 'FeatureCollection',
      features: nodes.map((n) => ({ type: 'Feature', properties: { code: n.code, name: n.name, level: n.level }, geometry: JSON.parse(n.geometry) as unknown })),
    };
  });

  const ReportBody = Type.Object({
    classCode: Type.String({ minLength: 1, maxLength: 20 }), description: Type.String({ minLength: 1, maxLength: 4000 }),
    location: Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false }),
    address: Type.Optional(Type.String({ maxLength: 200 })), name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Type.String({ maxLength: 20 })),
    photo: Type.Optional(Type.Object({ data: Type.String({ maxLength: MAX_BODY }), type: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false })),
  }, { additionalProperties: false });
  app.post('/api/public/reports', {
    config: { access: 'public' }, bodyLimit: MAX_BODY,
    schema: { tags, summary: 'Report a problem (公众举报) with its place on the map and a photo, without an account: the answer carries the request number and a tracking key, shown once', body: ReportBody },
  }, async (request, reply) => {
    await limit(request);
    const b = request.body as Static<typeof ReportBody>;
    reply.code(201);
    return submitReport(ctx, { classCode: b.classCode, description: b.description, lon: b.location.lon, lat: b.location.lat, address: b.address, name: b.name, phone: b.phone, photo: b.photo }, Date.now(), request.actor);
  });

  const CodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{13}$' }) });
  app.get('/api/public/cases/:code', {
    config: { access: 'public' },
    schema: { tags, summary: 'Follow a case by its number: public fields, its steps with their times, who handles it, until when, whether its reporter may rate it; never who reported it', params: CodeParams },
  }, async (request) => publicReport(ctx, (request.params as { code: string }).code));

  const RatingBody = Type.Object({ trackingKey: Type.String({ minLength: 1, maxLength: 100 }), satisfaction: Type.String({ maxLength: 40 }) }, { additionalProperties: false });
  app.post('/api/public/cases/:code/rating', {
    config: { access: 'public' },
    schema: { tags, summary: 'The reporter rates the outcome of a closed case (满意 / 基本满意 / 不满意) with the tracking key, once', params: CodeParams, body: RatingBody },
  }, async (request) => {
    await limit(request);
    const { code } = request.params as { code: string };
    await rateReport(ctx, code, request.body as Static<typeof RatingBody>, Date.now());
    return publicReport(ctx, code);
  });
}
