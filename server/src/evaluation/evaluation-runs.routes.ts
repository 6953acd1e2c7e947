// Routes of the results: runs and their lifecycle, the office's entries, appeals and rulings, the trace
// of a unit's score, quarterly and year-end rankings, and the public page's published rankings.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import type { AppContext } from '../http/context.ts';
import { fileAppeal, ruleAppeal } from './appeals.service.ts';
import { actOnRun, openRun, setEntry } from './runs.service.ts';
import { listRuns, periodRanking, publishedRankings, readAccess, runView, unitTrace } from './views.service.ts';
import { currentScheme } from './definitions.service.ts';
import { notFound } from '../http/errors.ts';
import { evaluationReportPdf, evaluationReportXlsx, periodReportPdf, periodReportXlsx } from './evaluation-report.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const tags = ['evaluation'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function evaluationRunRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const OpenBody = Type.Object({ schemeCode: Type.String({ minLength: 1, maxLength: 40 }), period: Type.String({ maxLength: 40 }) }, { additionalProperties: false });
  app.post('/api/evaluation/runs', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Open a month\'s evaluation (综合考评) under a scheme\'s newest version: a draft with its first results', body: OpenBody },
  }, async (request, reply) => {
    const id = await openRun(ctx.db, request.actor, request.body as Static<typeof OpenBody>, Date.now());
    reply.code(201);
    return runView(ctx.db, request.actor, id);
  });

  app.get('/api/evaluation/runs', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'The runs you may read (units see theirs once issued)', querystring: Type.Object({ scheme: Type.Optional(Type.String({ maxLength: 40 })), period: Type.Optional(Type.String({ maxLength: 40 })) }) },
  }, async (request) => {
    const q = request.query as { scheme?: string; period?: string };
    return { items: await listRuns(ctx.db, request.actor, { schemeCode: q.scheme, period: q.period }) };
  });

  app.get('/api/evaluation/runs/:id', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'A run: state, ranking table (rank, unit, score, change, reward or penalty), settlement list, appeals, history and versions', params: IdParams },
  }, async (request) => runView(ctx.db, request.actor, (request.params as { id: number }).id));

  app.get('/api/evaluation/runs/:id/report', {
    config: { access: 'evaluation.read' },
    schema: {
      tags, summary: 'The printed results: ranking table and settlement list (奖惩兑现清单), as XLSX or PDF (A4 landscape, Chinese text in Noto Sans CJK)',
      params: IdParams, querystring: Type.Object({ format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]) }),
    },
  }, async (request, reply) => {
    const view = await runView(ctx.db, request.actor, (request.params as { id: number }).id);
    const file = `evaluation-${view.scheme.code}-${view.period.code}-v${view.version}`;
    if ((request.query as { format: string }).format === 'xlsx') return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await evaluationReportXlsx(view));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await evaluationReportPdf(view));
  });

  const ActionBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })), expectedLock: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
  app.post('/api/evaluation/runs/:id/actions/:action', {
    config: { access: 'evaluation.manage' },
    schema: {
      tags, summary: 'A step of the result\'s life: recompute, issue (opens the appeal window), finalize, publish, correct (a new version with its reason)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.String({ maxLength: 40 }) }), body: Type.Optional(ActionBody),
    },
  }, async (request) => {
    const { id, action } = request.params as { id: number; action: string };
    const body = (request.body ?? {}) as Static<typeof ActionBody>;
    const resultId = await actOnRun(ctx.db, request.actor, id, action, { reason: body.reason, expectedLock: body.expectedLock }, Date.now());
    return runView(ctx.db, request.actor, resultId);
  });

  const EntryBody = Type.Object({
    unitCode: Type.String({ minLength: 1, maxLength: 40 }), code: Type.String({ minLength: 1, maxLength: 40 }), value: Type.Number(), reason: Type.String({ maxLength: 1000 }),
  }, { additionalProperties: false });
  app.put('/api/evaluation/runs/:id/entries', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Enter a unit\'s score of an entered component (0–100) or its points of a bonus or penalty item, with the reason (draft only)', params: IdParams, body: EntryBody },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await setEntry(ctx.db, request.actor, id, request.body as Static<typeof EntryBody>, Date.now());
    return runView(ctx.db, request.actor, id);
  });

  app.get('/api/evaluation/runs/:id/units/:unit/trace', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'Every point of a unit\'s score traced to its findings (photo, place, time, rectification case), entries and rulings', params: Type.Object({ id: Type.Integer({ minimum: 1 }), unit: Type.String({ maxLength: 40 }) }) },
  }, async (request) => {
    const { id, unit } = request.params as { id: number; unit: string };
    return unitTrace(ctx.db, request.actor, id, unit);
  });

  const AppealBody = Type.Object({
    unitCode: Type.String({ minLength: 1, maxLength: 40 }), findingId: Type.Optional(Type.Integer({ minimum: 1 })), entryCode: Type.Optional(Type.String({ maxLength: 40 })),
    text: Type.String({ maxLength: 4000 }), attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  }, { additionalProperties: false });
  app.post('/api/evaluation/runs/:id/appeals', {
    config: { access: 'evaluation.appeal' },
    schema: { tags, summary: 'Appeal (申诉) a finding or an entered score of your unit\'s preliminary result, with grounds and evidence, within the window', params: IdParams, body: AppealBody },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const appealId = await fileAppeal(ctx.db, request.actor, id, request.body as Static<typeof AppealBody>, Date.now());
    reply.code(201);
    return { id: appealId };
  });

  const RulingBody = Type.Object({ outcome: Type.String({ maxLength: 20 }), ruling: Type.String({ maxLength: 4000 }), newValue: Type.Optional(Type.Number()) }, { additionalProperties: false });
  app.post('/api/evaluation/appeals/:id/ruling', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Rule an appeal with reasons: upheld voids the finding or sets the entered value; rejected leaves it', params: IdParams, body: RulingBody },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await ruleAppeal(ctx.db, request.actor, id, request.body as Static<typeof RulingBody>, Date.now());
    return { id, ruled: true };
  });

  app.get('/api/evaluation/rankings', {
    config: { access: 'evaluation.read' },
    schema: {
      tags, summary: 'Quarterly or year-end ranking (季度/年度排名) of a scheme: the mean of the published months, the money settled; JSON, XLSX or PDF',
      querystring: Type.Object({ scheme: Type.String({ maxLength: 40 }), period: Type.String({ maxLength: 40, description: '2026-Q4 or 2026' }), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('pdf')])) }),
    },
  }, async (request, reply) => {
    const q = request.query as { scheme: string; period: string; format?: 'json' | 'xlsx' | 'pdf' };
    const parsed = parsePeriod(q.period, 'querystring.period');
    if (!parsed.ok) throw new ValidationError([parsed.issue]);
    if (parsed.period.kind !== 'quarter' && parsed.period.kind !== 'year') throw new ValidationError([{ field: 'querystring.period', message: 'must be a quarter (2026-Q4) or a year (2026); months are runs' }]);
    const scheme = await currentScheme(ctx.db, q.scheme);
    if (!scheme) throw new ValidationError([{ field: 'querystring.scheme', message: `no evaluation scheme ${q.scheme}` }]);
    const parent = await ctx.db.selectFrom('territory_nodes').select(['name', 'path']).where('code', '=', scheme.definition.parentCode).executeTakeFirstOrThrow();
    const units = await ctx.db.selectFrom('territory_nodes as u').innerJoin('territory_nodes as p', 'p.id', 'u.parent_id').select('u.path').where('p.code', '=', scheme.definition.parentCode).execute();
    // Months are aggregated only once published, so what a reader of the published months may see is enough.
    if (!readAccess(request.actor, parent.path, units.map((u) => u.path), 'published')) throw notFound(`evaluation scheme ${q.scheme}`);
    const ranking = await periodRanking(ctx.db, q.scheme, parsed.period);
    const file = `evaluation-${q.scheme}-${parsed.period.code}`;
    if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await periodReportXlsx(ranking, parent.name));
    if (q.format === 'pdf') return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await periodReportPdf(ranking, parent.name));
    return ranking;
  });

  app.get('/api/public/rankings', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Published rankings (公开排名): units, scores, ranks, change and rewards or penalties; corrections say why', querystring: Type.Object({ scheme: Type.Optional(Type.String({ maxLength: 40 })), period: Type.Optional(Type.String({ maxLength: 40 })) }) },
  }, async (request) => {
    const q = request.query as { scheme?: string; period?: string };
    return { items: await publishedRankings(ctx.db, { schemeCode: q.scheme, period: q.period }) };
  });
}
