import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { LEVEL_NAMES, type TerritoryLevel } from '@cityops/domain/territory/levels';
import type { AppContext } from '../http/context.ts';
import { Paging, ErrorResponses } from '../http/schemas.ts';
import { ValidationError } from '@cityops/domain/errors';
import { childCounts, listNodes, subtreePathOf } from './territory.queries.ts';
import { parseTerritoryFeatures, importTerritory } from './territory-import.ts';
import { exportTerritory, getNodeDetail, presentNode, setResponsibleUnits, updateNode } from './territory.service.ts';

const Level = Type.Union(LEVEL_NAMES.map((l) => Type.Literal(l)));
const tags = ['territory'];

export async function territoryRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/territory/nodes', {
    config: { access: 'territory.read' },
    schema: {
      tags, summary: 'List territory nodes (市/区县/街道/社区/单元网格) with filters',
      querystring: Type.Object({
        level: Type.Optional(Level),
        parent: Type.Optional(Type.String({ description: 'code of the parent node' })),
        within: Type.Optional(Type.String({ description: 'code of a node; only its subtree' })),
        q: Type.Optional(Type.String({ maxLength: 50, description: 'name or code contains' })),
        ...Paging,
      }),
      response: ErrorResponses,
    },
  }, async (request) => {
    const q = request.query as { level?: TerritoryLevel; parent?: string; within?: string; q?: string; limit: number; offset: number };
    const withinPath = q.within ? await subtreePathOf(ctx.db, q.within) : undefined;
    const { total, items } = await listNodes(ctx.db, { level: q.level, parentCode: q.parent, withinPath, search: q.q, limit: q.limit, offset: q.offset });
    const counts = await childCounts(ctx.db, items.map((i) => i.id));
    return { total, limit: q.limit, offset: q.offset, items: items.map((n) => presentNode(n, { childCount: counts.get(n.id) ?? 0 })) };
  });

  app.get('/api/territory/nodes/:code', {
    config: { access: 'territory.read' },
    schema: {
      tags, summary: 'One territory node with its ancestors, responsible units and (optionally) polygon',
      params: Type.Object({ code: Type.String() }),
      querystring: Type.Object({ geometry: Type.Optional(Type.Boolean({ default: false })) }),
    },
  }, async (request) => {
    const { code } = request.params as { code: string };
    return getNodeDetail(ctx.db, code, (request.query as { geometry?: boolean }).geometry === true);
  });

  app.patch('/api/territory/nodes/:code', {
    config: { access: 'territory.write' },
    schema: {
      tags, summary: 'Rename a node or change its area class (一类/二类/三类)',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        areaClass: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const result = await updateNode(ctx.db, request.actor, (request.params as { code: string }).code, request.body as { name?: string; areaClass?: number });
    return result;
  });

  app.put('/api/territory/nodes/:code/responsible-units', {
    config: { access: 'territory.write' },
    schema: {
      tags, summary: 'Replace the responsible units of a node',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({
        units: Type.Array(Type.Object({ departmentCode: Type.String({ minLength: 1 }), duty: Type.String({ minLength: 1, maxLength: 50 }) }), { maxItems: 200 }),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { units } = request.body as { units: { departmentCode: string; duty: string }[] };
    return setResponsibleUnits(ctx.db, request.actor, (request.params as { code: string }).code, units);
  });

  app.get('/api/territory/locate', {
    config: { access: 'territory.read' },
    schema: {
      tags, summary: 'Which grid (and community, street, district) contains a WGS84 point',
      querystring: Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }),
    },
  }, async (request) => {
    const { lon, lat } = request.query as { lon: number; lat: number };
    const hit = await ctx.locator.locate(lon, lat);
    if (!hit) return { found: false, lon, lat };
    const ids = [hit.gridId, hit.communityId, hit.streetId, hit.districtId];
    const nodes = await ctx.db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'level', 'area_class']).where('id', 'in', ids).execute();
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const pick = (id: number) => {
      const n = byId.get(id);
      return n ? { code: n.code, name: n.name } : null;
    };
    return {
      found: true, lon, lat, areaClass: byId.get(hit.gridId)?.area_class,
      grid: pick(hit.gridId), community: pick(hit.communityId), street: pick(hit.streetId), district: pick(hit.districtId),
    };
  });

  app.post('/api/territory/import', {
    config: { access: 'territory.write' },
    bodyLimit: 200 * 1024 * 1024,
    schema: {
      tags, summary: 'Import territory nodes from a GeoJSON FeatureCollection (all or nothing)',
      description: 'Feature properties: code, name, level, parent_code, area_class, kind. Errors name the feature (row) and field.',
      body: Type.Object({}, { additionalProperties: true }),
    },
  }, async (request) => {
    const rows = parseTerritoryFeatures(request.body);
    const result = await importTerritory(ctx.db, request.actor, rows);
    ctx.locator.invalidate();
    return result;
  });

  app.get('/api/territory/export', {
    config: { access: 'territory.read' },
    schema: {
      tags, summary: 'Export a subtree as GeoJSON',
      querystring: Type.Object({
        root: Type.Optional(Type.String({ description: 'code of the subtree root; the whole city by default' })),
        levels: Type.Optional(Type.String({ description: 'comma-separated levels, e.g. district,street' })),
      }),
    },
  }, async (request, reply) => {
    const q = request.query as { root?: string; levels?: string };
    const levels = q.levels ? q.levels.split(',').map((l) => l.trim()) : null;
    const unknown = levels?.filter((l) => !(LEVEL_NAMES as string[]).includes(l)) ?? [];
    if (unknown.length) throw new ValidationError([{ field: 'querystring.levels', message: `unknown level ${unknown.join(', ')}` }]);
    const stream = exportTerritory(ctx.db, q.root ?? null, levels as TerritoryLevel[] | null);
    const first = await stream.next(); // surfaces "root not found" as a 404 before streaming starts
    void reply.type('application/geo+json; charset=utf-8');
    return reply.send(Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* stream;
    })()));
  });
}
