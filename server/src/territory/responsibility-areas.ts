import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from '@fastify/type-provider-typebox';
import type { Actor } from '@cityops/domain/access/scope';
import { validateFeatureCollection, validateGeometry } from '@cityops/domain/geo/geojson-validation';
import type { PolygonalGeometry } from '@cityops/domain/geo/geometry';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Database } from '../db/schema.ts';
import type { AppContext } from '../http/context.ts';
import { Paging } from '../http/schemas.ts';
import { recordAudit } from '../audit/audit.ts';
import { geometryFacts } from './geometry-facts.ts';
import { subtreePathOf } from './territory.queries.ts';

/** Responsibility overlays on the territory: 路长 road segments, 门前三包 frontages, 责任区, 考核网格. */
export const OVERLAY_KINDS = {
  road_segment: { zh: '路长责任路段', en: 'Road segment (road chief)' },
  frontage: { zh: '门前三包责任区', en: 'Frontage (门前三包)' },
  duty_area: { zh: '责任区', en: 'Duty area' },
  evaluation_grid: { zh: '考核网格', en: 'Evaluation grid' },
} as const;
type OverlayKind = keyof typeof OVERLAY_KINDS;

interface OverlayRow { row: number; code: string; name: string; kind: OverlayKind; territoryCode: string; departmentCode: string | null; person: string | null; geometry: PolygonalGeometry }

export function parseOverlayFeatures(input: unknown): OverlayRow[] {
  const envelope = validateFeatureCollection(input);
  if (envelope.length) throw new ValidationError(envelope);
  const features = (input as { features: { properties: Record<string, unknown>; geometry: unknown }[] }).features;
  const issues: FieldIssue[] = [];
  const out: OverlayRow[] = [];
  const seen = new Set<string>();
  features.forEach((f, i) => {
    const row = i + 1;
    const p = f.properties ?? {};
    const text = (k: string) => (typeof p[k] === 'string' && (p[k] as string).trim() !== '' ? (p[k] as string).trim() : null);
    const at = (field: string, message: string) => issues.push({ row, field: `properties.${field}`, message });
    const code = text('code');
    const name = text('name');
    const kind = text('kind');
    const territoryCode = text('territory_code');
    if (!code) at('code', 'is required');
    else if (seen.has(code)) at('code', 'appears twice in the file');
    if (code) seen.add(code);
    if (!name) at('name', 'is required');
    if (!kind || !Object.hasOwn(OVERLAY_KINDS, kind)) at('kind', `must be one of ${Object.keys(OVERLAY_KINDS).join(', ')}`);
    if (!territoryCode) at('territory_code', 'is required (the street or district the area belongs to)');
    for (const issue of validateGeometry(f.geometry, 'geometry')) issues.push({ row, ...issue });
    if (code && name && kind && territoryCode) {
      out.push({ row, code, name, kind: kind as OverlayKind, territoryCode, departmentCode: text('department_code'), person: text('responsible_person'), geometry: f.geometry as PolygonalGeometry });
    }
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

export async function importOverlays(db: Kysely<Database>, actor: Actor, rows: OverlayRow[], now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const tCodes = [...new Set(rows.map((r) => r.territoryCode))];
    const dCodes = [...new Set(rows.map((r) => r.departmentCode).filter((c): c is string => !!c))];
    const nodes = new Map((tCodes.length ? await trx.selectFrom('territory_nodes').select(['id', 'code']).where('code', 'in', tCodes).execute() : []).map((n) => [n.code, n.id]));
    const depts = new Map((dCodes.length ? await trx.selectFrom('departments').select(['id', 'code']).where('code', 'in', dCodes).execute() : []).map((d) => [d.code, d.id]));
    const issues: FieldIssue[] = [];
    for (const r of rows) {
      if (!nodes.has(r.territoryCode)) issues.push({ row: r.row, field: 'properties.territory_code', message: `no territory node ${r.territoryCode}` });
      if (r.departmentCode && !depts.has(r.departmentCode)) issues.push({ row: r.row, field: 'properties.department_code', message: `no department ${r.departmentCode}` });
    }
    if (issues.length) throw new ValidationError(issues);
    const existing = new Set((await trx.selectFrom('responsibility_areas').select('code').execute()).map((r) => r.code));
    let created = 0;
    for (const r of rows) {
      const { area_m2: _a, centroid_lon: _x, centroid_lat: _y, ...bbox } = geometryFacts(r.geometry);
      const values = {
        name: r.name, kind: r.kind, territory_node_id: nodes.get(r.territoryCode)!, department_id: r.departmentCode ? depts.get(r.departmentCode)! : null,
        responsible_person: r.person, geometry: JSON.stringify(r.geometry), ...bbox, updated_at: now,
      };
      if (existing.has(r.code)) await trx.updateTable('responsibility_areas').set(values).where('code', '=', r.code).execute();
      else {
        await trx.insertInto('responsibility_areas').values({ code: r.code, created_at: now, ...values }).execute();
        created++;
      }
    }
    await recordAudit(trx, actor, 'responsibility_area.import', { type: 'responsibility_area' }, { created, updated: rows.length - created }, now);
    return { created, updated: rows.length - created };
  });
}

export async function responsibilityAreaRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const tags = ['territory'];
  const list = async (q: { kind?: string; within?: string; limit: number; offset: number }, withGeometry: boolean) => {
    let query = ctx.db.selectFrom('responsibility_areas as a').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id').leftJoin('departments as d', 'd.id', 'a.department_id');
    if (q.kind) query = query.where('a.kind', '=', q.kind);
    if (q.within) query = query.where('t.path', 'like', `${await subtreePathOf(ctx.db, q.within)}%`);
    const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
    const rows = await query.select(['a.code', 'a.name', 'a.kind', 'a.responsible_person', 'a.geometry', 't.code as territory_code', 't.name as territory_name', 'd.code as department_code', 'd.name as department_name'])
      .orderBy('a.code').limit(q.limit).offset(q.offset).execute();
    return {
      total: Number(total),
      items: rows.map((r) => ({
        code: r.code, name: r.name, kind: r.kind, responsiblePerson: r.responsible_person, territoryCode: r.territory_code, territoryName: r.territory_name,
        departmentCode: r.department_code, departmentName: r.department_name, ...(withGeometry ? { geometry: JSON.parse(r.geometry) } : {}),
      })),
    };
  };
  const Query = Type.Object({ kind: Type.Optional(Type.Union(Object.keys(OVERLAY_KINDS).map((k) => Type.Literal(k)))), within: Type.Optional(Type.String()), ...Paging });

  app.get('/api/territory/responsibility-areas', { config: { access: 'territory.read' }, schema: { tags, summary: 'Responsibility overlays (路长/门前三包/责任区/考核网格)', querystring: Query } },
    async (request) => list(request.query as { kind?: string; within?: string; limit: number; offset: number }, false));

  app.get('/api/territory/responsibility-areas/export', { config: { access: 'territory.read' }, schema: { tags, summary: 'Responsibility overlays as GeoJSON', querystring: Type.Object({ kind: Type.Optional(Type.String()), within: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const page = await list({ ...(request.query as { kind?: string; within?: string }), limit: 1_000_000, offset: 0 }, true);
      void reply.type('application/geo+json; charset=utf-8');
      return {
        type: 'FeatureCollection',
        features: page.items.map(({ geometry, ...p }) => ({
          type: 'Feature', geometry,
          properties: { code: p.code, name: p.name, kind: p.kind, territory_code: p.territoryCode, department_code: p.departmentCode, responsible_person: p.responsiblePerson },
        })),
      };
    });

  app.post('/api/territory/responsibility-areas/import', {
    config: { access: 'territory.write' }, bodyLimit: 100 * 1024 * 1024,
    schema: { tags, summary: 'Import responsibility overlays from GeoJSON (all or nothing)', description: 'Properties: code, name, kind, territory_code, department_code, responsible_person.', body: Type.Object({}, { additionalProperties: true }) },
  }, async (request) => importOverlays(ctx.db, request.actor, parseOverlayFeatures(request.body)));
}
