// Routes of what an evaluation is made from: checklist standards, schemes, inspection rounds with their
// 双随机 draw, and the evaluators' findings.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { ValidationError } from '@cityops/domain/errors';
import { parseBeijingTime } from '../imports/beijing-time.ts';
import { checklistById, checklistVersion, checklistVersions, currentChecklist, currentScheme, listChecklists, listSchemes, saveChecklist, saveScheme, schemeVersion } from './definitions.service.ts';
import { closeRound, listRounds, myPoints, openRound, recordFinding, roundDetail } from './inspection.service.ts';
import { assertManages } from './runs.service.ts';

const tags = ['evaluation'];
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0, description: 'an earlier version; the newest without it' })) });
const SaveBody = (what: string) => Type.Object({ [what]: Type.Unknown(), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export async function evaluationSetupRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/evaluation/checklists', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'The checklist standards (考评标准), each with its newest version' },
  }, async () => ({ items: await listChecklists(ctx.db) }));

  app.get('/api/evaluation/checklists/:code', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'A checklist standard (考评标准): items by area, deduction per occurrence, cap, evidence, rectification class; `default` is the shipped one; `version` reads an earlier one', params: CodeParams, querystring: VersionQuery },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const { version } = request.query as { version?: number };
    const found = version === undefined ? await currentChecklist(ctx.db, code) : await checklistVersion(ctx.db, code, version);
    if (!found) throw notFound(version === undefined ? `checklist standard ${code}` : `version ${version} of checklist standard ${code}`);
    return found;
  });

  app.get('/api/evaluation/checklists/:code/versions', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'Every version of a checklist standard, newest first: who saved it, when and why', params: CodeParams },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const items = await checklistVersions(ctx.db, code);
    if (!items) throw notFound(`checklist standard ${code}`);
    return { items };
  });

  const ChecklistBody = SaveBody('standard');
  app.put('/api/evaluation/checklists/:code', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Save a new version of a checklist standard (validated: codes, areas, deductions within caps, known catalog classes)', params: CodeParams, body: ChecklistBody },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const body = request.body as { standard: unknown; reason?: string };
    return saveChecklist(ctx.db, request.actor, code, body.standard, body.reason?.trim() || null, Date.now());
  });

  app.get('/api/evaluation/schemes', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'Every version of every evaluation scheme (考评方案)' },
  }, async () => ({ items: await listSchemes(ctx.db) }));

  app.get('/api/evaluation/schemes/:code', {
    config: { access: 'evaluation.read' },
    schema: { tags, summary: 'The newest version of an evaluation scheme; `version` reads an earlier one', params: CodeParams, querystring: VersionQuery },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const { version } = request.query as { version?: number };
    const found = version === undefined ? await currentScheme(ctx.db, code) : await schemeVersion(ctx.db, code, version);
    if (!found) throw notFound(version === undefined ? `evaluation scheme ${code}` : `version ${version} of evaluation scheme ${code}`);
    return found;
  });

  const SchemeBody = SaveBody('scheme');
  app.put('/api/evaluation/schemes/:code', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Save a new version of an evaluation scheme (validated: weights add to 100, ladder descends, references exist; every problem named)', params: CodeParams, body: SchemeBody },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const body = request.body as { scheme: { parentCode?: unknown }; reason?: string };
    const parent = typeof body.scheme?.parentCode === 'string' ? await ctx.db.selectFrom('territory_nodes').select('path').where('code', '=', body.scheme.parentCode).executeTakeFirst() : undefined;
    if (parent) assertManages(request.actor, parent.path);
    return saveScheme(ctx.db, request.actor, code, body.scheme, body.reason?.trim() || null, Date.now());
  });

  const RoundBody = Type.Object({ schemeCode: Type.String({ minLength: 1, maxLength: 40 }), period: Type.String({ maxLength: 40 }), seed: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });
  app.post('/api/evaluation/rounds', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Open an inspection round (第三方暗访) for a scheme and month: the 双随机 draw of points and evaluators from a recorded seed (given, or drawn)', body: RoundBody },
  }, async (request, reply) => {
    const body = request.body as Static<typeof RoundBody>;
    const scheme = await currentScheme(ctx.db, body.schemeCode);
    const parent = scheme ? await ctx.db.selectFrom('territory_nodes').select('path').where('code', '=', scheme.definition.parentCode).executeTakeFirst() : undefined;
    if (parent) assertManages(request.actor, parent.path);
    reply.code(201);
    return openRound(ctx.db, request.actor, body, Date.now());
  });

  app.get('/api/evaluation/rounds', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Inspection rounds, newest first, with their points and findings counted', querystring: Type.Object({ scheme: Type.Optional(Type.String({ maxLength: 40 })), period: Type.Optional(Type.String({ maxLength: 40 })) }) },
  }, async (request) => {
    const q = request.query as { scheme?: string; period?: string };
    return { items: await listRounds(ctx.db, { schemeCode: q.scheme, period: q.period }) };
  });

  app.get('/api/evaluation/rounds/:id', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'An inspection round: its seed, points, evaluators and findings', params: IdParams },
  }, async (request) => roundDetail(ctx.db, (request.params as { id: number }).id));

  app.post('/api/evaluation/rounds/:id/close', {
    config: { access: 'evaluation.manage' },
    schema: { tags, summary: 'Close an inspection round: no more findings', params: IdParams },
  }, async (request) => closeRound(ctx.db, request.actor, (request.params as { id: number }).id, Date.now()));

  app.get('/api/evaluation/my-points', {
    config: { access: 'inspection.record' },
    schema: { tags, summary: 'The points drawn for the signed-in evaluator in open rounds' },
  }, async (request) => {
    const items = await myPoints(ctx.db, request.actor.id!);
    // The checklist of each round, so that the phone can offer the items a finding may name.
    const roundIds = [...new Set(items.map((p) => p.round_id))];
    const rounds = roundIds.length ? await ctx.db.selectFrom('inspection_rounds').select(['id', 'checklist_id']).where('id', 'in', roundIds).execute() : [];
    const checklists: Record<number, { code: string; zh: string; en: string; area: string; evidence: string[] }[]> = {};
    for (const r of rounds) checklists[r.id] = (await checklistById(ctx.db, r.checklist_id)).items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, area: i.area, evidence: i.evidence }));
    return { items, checklists };
  });

  const FindingBody = Type.Object({
    pointId: Type.Integer({ minimum: 1 }), itemCode: Type.String({ minLength: 1, maxLength: 20 }), occurrences: Type.Integer({ minimum: 1, maximum: 1000 }),
    location: Type.Optional(Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false })),
    foundAt: Type.String({ maxLength: 40, description: 'ISO 8601 with an offset, or YYYY-MM-DD HH:mm in Beijing time' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })), attachmentId: Type.Optional(Type.Integer({ minimum: 1 })),
    clientRef: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'the phone\'s id for the finding: a retry returns the first answer' })),
  }, { additionalProperties: false });
  app.post('/api/evaluation/rounds/:id/findings', {
    config: { access: 'inspection.record' },
    schema: { tags, summary: 'Record a finding at one of your points (photo, GPS and time as the item requires); it deducts points and opens a rectification case', params: IdParams, body: FindingBody },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const body = request.body as Static<typeof FindingBody>;
    const now = Date.now();
    const foundAt = parseBeijingTime(body.foundAt);
    if (foundAt === null) throw new ValidationError([{ field: 'foundAt', message: 'must be a time: ISO 8601 with an offset, or YYYY-MM-DD HH:mm in Beijing time' }]);
    const result = await ctx.db.transaction().execute(async (trx) => recordFinding(trx, await workflowDeps(ctx, trx), request.actor, id, {
      pointId: body.pointId, itemCode: body.itemCode, occurrences: body.occurrences, lon: body.location?.lon, lat: body.location?.lat,
      foundAt, note: body.note, attachmentId: body.attachmentId, clientRef: body.clientRef,
    }, now));
    reply.code(result.replayed ? 200 : 201);
    return result;
  });
}
