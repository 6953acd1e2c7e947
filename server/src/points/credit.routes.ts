// Credit points (信用积分) over HTTP: the office's register of credit subjects, their entries and the appeals it
// rules on, the credit list as XLSX or PDF; and the public side without an account: the credit list, a
// subject's record by its credit code, an appeal (rate-limited like the portal's reports) and its state.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { beijingYear } from '@cityops/domain/points/engine';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { hitRateLimit } from '../http/rate-limits.ts';
import { createSubject, enterCreditEntry, updateSubject } from './credit.service.ts';
import { fileAppeal, listAppeals, listSubjects, publicAppeal, publicCreditList, publicCreditSubject, ruleAppeal, subjectDetail } from './credit-views.service.ts';
import { creditTables, tablesPdf, tablesXlsx } from './points-report.ts';

const tags = ['credit'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Year = Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year (Beijing); this year when left out' }));
const Kind = Type.Optional(Type.Union(['frontage_shop', 'sanitation_contractor', 'muck_transport'].map((k) => Type.Literal(k))));
const yearOr = (year: number | undefined) => year ?? beijingYear(Date.now());
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function creditRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/credit/subjects', {
    config: { access: 'credit.read' },
    schema: { tags, summary: 'The register of credit subjects with the year\'s score and level (contact persons included: the office\'s view)', querystring: Type.Object({ year: Year, kind: Kind }) },
  }, async (request) => {
    const q = request.query as { year?: number; kind?: string };
    return listSubjects(ctx.db, { year: yearOr(q.year), kind: q.kind });
  });

  const Location = Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number() }, { additionalProperties: false }), Type.Null()]);
  const fields = {
    kind: Type.String({ maxLength: 40 }), name: Type.String({ maxLength: 200 }), creditCode: Type.String({ maxLength: 30 }), address: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    location: Type.Optional(Location), areaCode: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
    contactName: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])), contactPhone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
  };
  const CreateBody = Type.Object(fields, { additionalProperties: false });
  app.post('/api/credit/subjects', {
    config: { access: 'credit.manage' },
    schema: { tags, summary: 'Register a credit subject (统一社会信用代码 checked, with its check character)', body: CreateBody },
  }, async (request, reply) => {
    reply.code(201);
    return createSubject(ctx.db, request.actor, request.body as Static<typeof CreateBody>, Date.now());
  });

  app.get('/api/credit/subjects/:id', {
    config: { access: 'credit.read' },
    schema: { tags, summary: 'A credit subject with the year\'s entries and appeals', params: IdParams, querystring: Type.Object({ year: Year }) },
  }, async (request) => subjectDetail(ctx.db, (request.params as { id: number }).id, yearOr((request.query as { year?: number }).year)));

  const PatchBody = Type.Partial(Type.Object({ ...fields, active: Type.Boolean() }), { additionalProperties: false });
  app.patch('/api/credit/subjects/:id', {
    config: { access: 'credit.manage' },
    schema: { tags, summary: 'Change a credit subject (an inactive one leaves the public list)', params: IdParams, body: PatchBody },
  }, async (request) => updateSubject(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Static<typeof PatchBody>, Date.now()));

  const EntryBody = Type.Object({
    kind: Type.String({ maxLength: 20, description: 'violation (with caseCode) or good_conduct (with points and reason)' }), caseCode: Type.Optional(Type.String({ maxLength: 30 })),
    points: Type.Optional(Type.Number()), reason: Type.Optional(Type.String({ maxLength: 1000 })), evidence: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  }, { additionalProperties: false });
  app.post('/api/credit/subjects/:id/entries', {
    config: { access: 'credit.manage' },
    schema: { tags, summary: 'Attribute a case to the subject (a violation priced by its class) or enter good conduct', params: IdParams, body: EntryBody },
  }, async (request, reply) => {
    reply.code(201);
    return enterCreditEntry(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Static<typeof EntryBody>, Date.now());
  });

  app.get('/api/credit/appeals', {
    config: { access: 'credit.read' },
    schema: { tags, summary: 'Appeals of credit subjects, newest first', querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('filed'), Type.Literal('upheld'), Type.Literal('rejected')])) }) },
  }, async (request) => ({ items: await listAppeals(ctx.db, request.query as { state?: string }) }));

  const RulingBody = Type.Object({ outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]), ruling: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
  app.post('/api/credit/appeals/:id/ruling', {
    config: { access: 'credit.manage' },
    schema: { tags, summary: 'Rule on an appeal: upheld reverses the entry (the score and level move back), rejected keeps it', params: IdParams, body: RulingBody },
  }, async (request) => ruleAppeal(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Static<typeof RulingBody>, Date.now()));

  app.get('/api/credit/report', {
    config: { access: 'credit.read' },
    schema: { tags, summary: 'The year\'s credit list as XLSX or PDF', querystring: Type.Object({ year: Year, format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]) }) },
  }, async (request, reply) => {
    const q = request.query as { year?: number; format: 'xlsx' | 'pdf' };
    const list = await publicCreditList(ctx.db, { year: yearOr(q.year) });
    const title = `${list.year}年度城市管理信用积分公示名单`;
    const file = `credit-${list.year}`;
    if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await tablesXlsx(title, creditTables(list)));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await tablesPdf(title, creditTables(list)));
  });

  const publicTags = ['public'];
  app.get('/api/public/credit', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: 'The public credit list (信用公示): each company\'s or shop\'s name, credit code, kind, score and level; no personal data', querystring: Type.Object({ year: Year, kind: Kind }) },
  }, async (request) => {
    const q = request.query as { year?: number; kind?: string };
    return publicCreditList(ctx.db, { year: yearOr(q.year), kind: q.kind });
  });

  app.get('/api/public/credit/subjects/:code', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: 'One subject\'s public record by its unified social credit code: the year\'s entries (kind, date, points, number to appeal)', params: Type.Object({ code: Type.String({ maxLength: 30 }) }), querystring: Type.Object({ year: Year }) },
  }, async (request) => publicCreditSubject(ctx.db, (request.params as { code: string }).code, yearOr((request.query as { year?: number }).year)));

  const limit = async (request: FastifyRequest) => {
    const ms = await hitRateLimit(ctx.db, 'portal_write_per_address', ctx.rateLimits, request.ip, Date.now());
    if (ms > 0) throw new HttpError(429, 'rate_limited', `too many requests from this address: at most ${ctx.rateLimits.portal_write_per_address.limit} per ${Math.round(ctx.rateLimits.portal_write_per_address.windowMs / 1000)} s; try again in ${Math.ceil(ms / 1000)} s`);
  };
  const AppealBody = Type.Object({ creditCode: Type.String({ maxLength: 30 }), entryId: Type.Integer({ minimum: 1 }), reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false });
  app.post('/api/public/credit/appeals', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: 'A subject appeals a deduction with its credit code, the entry\'s number and its reason; the answer\'s number follows the appeal', body: AppealBody },
  }, async (request, reply) => {
    await limit(request);
    reply.code(201);
    return fileAppeal(ctx.db, request.body as Static<typeof AppealBody>, Date.now());
  });

  app.get('/api/public/credit/appeals/:code', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: 'Follow an appeal by its number: state and ruling', params: Type.Object({ code: Type.String({ maxLength: 30 }) }) },
  }, async (request) => publicAppeal(ctx.db, (request.params as { code: string }).code));
}
