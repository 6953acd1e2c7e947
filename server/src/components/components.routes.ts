import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { COMPONENT_STATES } from '@cityops/domain/catalog/classes';
import type { AppContext } from '../http/context.ts';
import { Paging } from '../http/schemas.ts';
import { notFound } from '../http/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { importComponents, listComponents, parseComponentFeatures } from './components.service.ts';

const tags = ['components'];
const State = Type.Union(Object.keys(COMPONENT_STATES).map((s) => Type.Literal(s)));

export async function componentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/components', {
    config: { access: 'component.read' },
    schema: {
      tags, summary: 'Component inventory (部件普查) with filters',
      querystring: Type.Object({ grid: Type.Optional(Type.String()), within: Type.Optional(Type.String()), classCode: Type.Optional(Type.String()), state: Type.Optional(State), ...Paging }),
    },
  }, async (request) => listComponents(ctx.db, request.query as Parameters<typeof listComponents>[1]));

  app.patch('/api/components/:code', {
    config: { access: 'component.write' },
    schema: {
      tags, summary: 'Record a change of state (完好/破损/丢失/废弃/移除) or note',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({ state: Type.Optional(State), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const body = request.body as { state?: 'intact'; note?: string };
    const now = Date.now();
    await ctx.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('components').select(['state', 'note']).where('code', '=', code).executeTakeFirst();
      if (!before) throw notFound(`component ${code}`);
      await trx.updateTable('components').set({ ...body, changed_date: new Date(now).toISOString().slice(0, 10), updated_at: now }).where('code', '=', code).execute();
      await recordAudit(trx, request.actor, 'component.update', { type: 'component', ref: code }, { before, after: body }, now);
    });
    return { ok: true };
  });

  app.post('/api/components/import', {
    config: { access: 'component.write' },
    bodyLimit: 200 * 1024 * 1024,
    schema: { tags, summary: 'Import components from GeoJSON Points (all or nothing); each is placed in its grid', body: Type.Object({}, { additionalProperties: true }) },
  }, async (request) => importComponents(ctx.db, ctx.locator, request.actor, parseComponentFeatures(request.body)));

  app.get('/api/components/export', {
    config: { access: 'component.read' },
    schema: { tags, summary: 'Export components as GeoJSON Points', querystring: Type.Object({ within: Type.Optional(Type.String()), classCode: Type.Optional(Type.String()) }) },
  }, async (request, reply) => {
    const q = request.query as { within?: string; classCode?: string };
    const features = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await listComponents(ctx.db, { ...q, limit: 1000, offset });
      for (const c of page.items) {
        features.push({
          type: 'Feature', geometry: { type: 'Point', coordinates: c.location },
          properties: {
            code: c.code, class_code: c.classCode, name: c.name, state: c.state, owner_department_code: c.owner?.code ?? null,
            maintainer_department_code: c.maintainer?.code ?? null, initial_date: c.initialDate.replaceAll('-', ''), grid_code: c.gridCode, data_source: c.dataSource, note: c.note,
          },
        });
      }
      if (page.items.length < 1000) break;
    }
    void reply.type('application/geo+json; charset=utf-8');
    return { type: 'FeatureCollection', features };
  });
}
