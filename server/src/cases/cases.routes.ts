import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import { CASE_SOURCES, CASE_SOURCE_NAMES, SATISFACTION_LEVELS, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { CASE_STATES, STAGES } from '@cityops/domain/workflow/case-states';
import { allowedActions, requiredInputs } from '@cityops/domain/workflow/decide';
import { APPLICATIONS, TRANSITIONS } from '@cityops/domain/workflow/transitions';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { IDEMPOTENCY_HEADER, idempotencyScope, requestHash, runIdempotent, validateIdempotencyKey } from '../http/idempotency.ts';
import { findNodeByCode } from '../territory/territory.queries.ts';
import { coveringRoles, requireReadableCase } from './case-access.ts';
import { workflowDeps } from './case-deps.ts';
import { caseTimeline } from './case-events.ts';
import { applyTransition, loadCaseRow, snapshotOf } from './case-transitions.ts';
import { caseSummary } from './case-summary.queries.ts';
import { aggregateCases } from './case-aggregate.queries.ts';
import { casePoints, duplicateCandidates, getCase, listCases, reporterOf, reportsOf, type CaseListFilter } from './cases.queries.ts';
import { ActionBody, ActionParams, IdParams, IntakeBody, ListQuery, PageQuery } from './cases.schemas.ts';

const tags = ['cases'];
const idempotencyHeader = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'retries with the same key act once and replay the first answer' })) });

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError([{ field, message: 'must be an ISO 8601 time' }]);
  return ms;
}

function idempotencyKey(request: FastifyRequest, operation: string, payload: unknown) {
  const key = validateIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
  return key ? { scope: idempotencyScope(request.actor, operation), key, hash: requestHash(payload) } : null;
}

// Roles that call reporters back (回访) and so may see their contact data.
const REPORTER_VIEWERS = new Set(['admin', 'acceptor', 'shift_chief']);

export async function caseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/workflow', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The workflow table: states, stages, sources and every action with its roles and required inputs (the UI builds its buttons from it)' },
  }, async () => ({
    states: Object.entries(CASE_STATES).map(([name, s]) => ({ name, ...s })),
    stages: Object.entries(STAGES).map(([name, s]) => ({ name, ...s })),
    sources: CASE_SOURCE_NAMES.map((name) => ({ name, ...CASE_SOURCES[name] })),
    applications: Object.entries(APPLICATIONS).map(([name, a]) => ({ name, ...a })),
    satisfactionLevels: Object.entries(SATISFACTION_LEVELS).map(([name, s]) => ({ name, ...s })),
    transitions: TRANSITIONS.map((t) => ({ ...t, requires: requiredInputs(t) })),
  }));

  app.post('/api/cases', {
    config: { access: 'case.report' },
    schema: { tags, summary: 'Report a problem (信息收集): placed in its grid, classed, given its time limit and suggested department; flagged if a similar case is near', body: IntakeBody, headers: idempotencyHeader },
  }, async (request, reply) => {
    const body = request.body as Static<typeof IntakeBody>;
    const result = await ctx.intake.submit(request.actor, {
      source: body.source as CaseSource, classCode: body.classCode, description: body.description, lon: body.location.lon, lat: body.location.lat,
      address: body.address, componentCode: body.componentCode, standardId: body.standardId, reportedAt: parseTime(body.reportedAt, 'reportedAt'),
      externalRef: body.externalRef, reporter: body.reporter, attachmentIds: body.attachmentIds, selfHandled: body.selfHandled,
    }, idempotencyKey(request, 'case.intake', body));
    void reply.status(result.status).header('idempotent-replayed', String(result.replayed));
    return result.body;
  });

  /** The list's filter from its query (shared by the list and the map points). */
  const filterOf = async (request: FastifyRequest, q: Static<typeof ListQuery>, now: number): Promise<CaseListFilter> => {
    const split = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
    const filter: CaseListFilter = {
      states: split(q.state), sources: split(q.source), classCode: q.classCode, departmentId: q.departmentId,
      q: q.q?.trim() || undefined, light: q.light, possibleDuplicate: q.possibleDuplicate, applicationPending: q.applicationPending,
      reportedFrom: parseTime(q.reportedFrom, 'reportedFrom'), reportedTo: parseTime(q.reportedTo, 'reportedTo'),
      overdueAt: q.overdue === undefined ? undefined : q.overdue === 'now' ? now : parseTime(q.overdue, 'overdue'),
      reportedBy: q.mine ? { kind: request.actor.kind, id: request.actor.id } : undefined,
      sort: q.sort ?? 'reported_desc', limit: q.limit ?? 50, offset: q.offset ?? 0,
    };
    for (const s of filter.states ?? []) if (!(s in CASE_STATES)) throw new ValidationError([{ field: 'state', message: `unknown state ${s}` }]);
    for (const s of filter.sources ?? []) if (!(s in CASE_SOURCES)) throw new ValidationError([{ field: 'source', message: `unknown source ${s}` }]);
    if (q.territory) {
      const node = await findNodeByCode(ctx.db, q.territory);
      if (!node) throw new ValidationError([{ field: 'territory', message: `no territory node ${q.territory}` }]);
      filter.territoryPath = node.path;
    }
    return filter;
  };

  /** The filter of a request that reads every matching case at once (points, counts, map cells): no page, no order. */
  const wholeFilter = (request: FastifyRequest, q: Static<typeof ListQuery>, now: number) =>
    filterOf(request, { ...q, limit: undefined, offset: undefined, sort: undefined }, now);

  app.get('/api/cases', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'Cases in your scope, filtered and paged (overdue now or at a past instant, traffic light, state, source, territory …)', querystring: ListQuery },
  }, async (request) => {
    const now = Date.now();
    return listCases(ctx.db, request.actor, await filterOf(request, request.query as Static<typeof ListQuery>, now), now);
  });

  const PointsQuery = Type.Object({ ...Type.Omit(ListQuery, ['limit', 'offset', 'sort']).properties, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000, default: 100_000 })) });
  app.get('/api/cases/points', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'The same filter as the list, as map points [lon, lat, light 0–3, id], newest first (up to 200,000)', querystring: PointsQuery },
  }, async (request) => {
    const now = Date.now();
    const q = request.query as Static<typeof ListQuery>;
    const filter = await wholeFilter(request, q, now);
    return casePoints(ctx.db, request.actor, filter, now, q.limit ?? 100_000);
  });

  const SummaryQuery = Type.Omit(ListQuery, ['limit', 'offset', 'sort', 'light']);
  app.get('/api/cases/summary', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'The workbench counts: cases in your scope per state (the open states unless `state` names others), with how many are red (past the clock that matters now) and yellow (in its warning time); the list\'s filters apply', querystring: SummaryQuery },
  }, async (request) => {
    const now = Date.now();
    const q = request.query as Static<typeof ListQuery>;
    return caseSummary(ctx.db, request.actor, await wholeFilter(request, { ...q, light: undefined }, now), now);
  });

  const AggregateQuery = Type.Object({
    ...Type.Omit(ListQuery, ['limit', 'offset', 'sort']).properties,
    bbox: Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'the viewport: minLon,minLat,maxLon,maxLat' }),
    zoom: Type.Integer({ minimum: 0, maximum: 22, description: 'the map zoom; cells are about 64 px at it' }),
  });
  app.get('/api/cases/aggregate', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'The cases of a viewport summed into cells of about 64 px at the zoom ([lon, lat, count, red, yellow]); the list\'s filters apply', querystring: AggregateQuery },
  }, async (request) => {
    const now = Date.now();
    const q = request.query as Static<typeof ListQuery> & { bbox: string; zoom: number };
    const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number) as [number, number, number, number];
    if (!(minLon < maxLon && minLat < maxLat) || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      throw new ValidationError([{ field: 'bbox', message: 'must be minLon,minLat,maxLon,maxLat with min < max, within ±180 / ±90' }]);
    }
    const filter = await wholeFilter(request, q, now);
    return aggregateCases(ctx.db, request.actor, filter, { minLon, minLat, maxLon, maxLat, zoom: q.zoom }, now, () => ctx.locator.gridBoxes());
  });

  app.get('/api/cases/:id', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'One case with its clocks, the actions you may take now, and its possible duplicates', params: IdParams },
  }, async (request) => {
    const { id } = request.params as { id: number };
    const target = await requireReadableCase(ctx.db, request.actor, id);
    const now = Date.now();
    const [dto, row, duplicates] = await Promise.all([getCase(ctx.db, id, now), loadCaseRow(ctx.db, id), duplicateCandidates(ctx.db, id)]);
    if (!dto || !row) throw notFound(`case ${id}`);
    const roles = coveringRoles(request.actor, target);
    const actions = allowedActions(snapshotOf(row), roles).map((t) => ({ action: t.action, zh: t.zh, en: t.en, requires: requiredInputs(t), negative: t.negative === true }));
    const reporter = request.actor.grants.some((g) => REPORTER_VIEWERS.has(g.role)) ? await reporterOf(ctx.db, id) : undefined;
    return { ...dto, allowedActions: actions, duplicates, ...(reporter !== undefined ? { reporter } : {}) };
  });

  app.get('/api/cases/:id/events', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'The case timeline: every transition with who, when, from, to, reason and photos', params: IdParams },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await requireReadableCase(ctx.db, request.actor, id);
    return { items: await caseTimeline(ctx.db, id) };
  });

  app.get('/api/cases/:id/client-updates', {
    config: { access: 'case.read' },
    schema: { tags, summary: 'Updates that Open311 clients posted to the case (a citizen\'s comment through FixMyStreet …), with the commenter\'s contact for the staff', params: IdParams },
  }, async (request) => {
    const { id } = request.params as { id: number };
    await requireReadableCase(ctx.db, request.actor, id);
    const rows = await ctx.db.selectFrom('open311_updates as u').innerJoin('api_keys as k', 'k.id', 'u.api_key_id')
      .select(['u.id', 'u.client_update_id', 'u.status', 'u.description', 'u.updated_at', 'u.received_at', 'u.media_url', 'u.contact', 'k.name as client'])
      .where('u.case_id', '=', id).orderBy('u.updated_at').execute();
    return {
      items: rows.map((r) => ({
        id: r.id, client: r.client, clientUpdateId: r.client_update_id, status: r.status, description: r.description,
        updatedAt: new Date(Number(r.updated_at)).toISOString(), receivedAt: new Date(Number(r.received_at)).toISOString(), mediaUrl: r.media_url, contact: r.contact,
      })),
    };
  });

  app.post('/api/cases/:id/actions/:action', {
    config: { access: 'case.act' },
    schema: { tags, summary: 'Take a workflow action (受理, 立案, 派遣, 签收, 反馈, 回退, 延期, 挂账, 核查, 结案, 并案, 回访 …) as the transition table allows', params: ActionParams, body: ActionBody, headers: idempotencyHeader },
  }, async (request, reply) => {
    const { id, action } = request.params as { id: number; action: string };
    const body = (request.body ?? {}) as Static<typeof ActionBody>;
    const now = Date.now();
    const result = await runIdempotent(ctx.db, idempotencyKey(request, `case.${id}.${action}`, body), async (trx) => {
      const deps = await workflowDeps(ctx, trx);
      const out = await applyTransition(trx, deps, request.actor, id, action, body, now);
      return { status: 200, body: out };
    }, now);
    void reply.status(result.status).header('idempotent-replayed', String(result.replayed));
    return result.body;
  });

  app.get('/api/me/reports', {
    config: { access: 'case.report' },
    schema: { tags, summary: 'My reports (我的上报): the cases I reported, newest first, with the public fields and their progress', querystring: PageQuery },
  }, async (request) => {
    const q = request.query as Static<typeof PageQuery>;
    return reportsOf(ctx.db, request.actor, q.limit ?? 20, q.offset ?? 0);
  });

}
