import type { Kysely, Updateable } from 'kysely';
import { canOn, type Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import type { TerritoryLevel } from '@cityops/domain/territory/levels';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/database.ts';
import { recordAudit } from '../audit/audit.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { ancestorsOf, findNodeByCode, subtreeWithGeometry, type TerritoryNodeSummary } from './territory.queries.ts';

export function presentNode(n: TerritoryNodeSummary, extra: Record<string, unknown> = {}) {
  return {
    id: n.id, code: n.code, name: n.name, level: n.level, kind: n.kind, path: n.path, areaClass: n.area_class,
    areaM2: n.area_m2, centroid: [n.centroid_lon, n.centroid_lat] as [number, number],
    bbox: [n.min_lon, n.min_lat, n.max_lon, n.max_lat] as [number, number, number, number], updatedAt: n.updated_at, ...extra,
  };
}

export async function getNodeDetail(db: Executor, code: string, withGeometry: boolean) {
  const node = await findNodeByCode(db, code);
  if (!node) throw notFound(`territory node ${code}`);
  const [ancestors, units] = await Promise.all([
    ancestorsOf(db, node.path),
    db.selectFrom('territory_responsible_units as u').innerJoin('departments as d', 'd.id', 'u.department_id')
      .select(['d.code', 'd.name', 'd.kind', 'u.duty']).where('u.territory_node_id', '=', node.id).orderBy('d.code').execute(),
  ]);
  return presentNode(node, {
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: a.level })),
    responsibleUnits: units.map((u) => ({ departmentCode: u.code, departmentName: u.name, kind: u.kind, duty: u.duty })),
    ...(withGeometry ? { geometry: JSON.parse(node.geometry) } : {}),
  });
}

/** Writes to a node are allowed inside the caller's territory scope only. */
async function requireWritableNode(db: Executor, actor: Actor, code: string) {
  const node = await findNodeByCode(db, code);
  if (!node) throw notFound(`territory node ${code}`);
  if (actor.kind !== 'cli' && actor.kind !== 'system' && !canOn(actor, 'territory.write', { territoryPath: node.path })) {
    throw forbidden(`territory node ${code} is outside your scope`);
  }
  return node;
}

export async function updateNode(db: Kysely<Database>, actor: Actor, code: string, patch: { name?: string; areaClass?: number }, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const node = await requireWritableNode(trx, actor, code);
    const values: Updateable<Database['territory_nodes']> = { updated_at: now };
    if (patch.name !== undefined) values.name = patch.name.trim();
    if (patch.areaClass !== undefined) values.area_class = patch.areaClass;
    await trx.updateTable('territory_nodes').set(values).where('id', '=', node.id).execute();
    await recordAudit(trx, actor, 'territory.update', { type: 'territory_node', ref: code }, { before: { name: node.name, areaClass: node.area_class }, after: patch }, now);
    return getNodeDetail(trx, code, false);
  });
}

export async function setResponsibleUnits(
  db: Kysely<Database>, actor: Actor, code: string, units: { departmentCode: string; duty: string }[], now = Date.now(),
) {
  return db.transaction().execute(async (trx) => {
    const node = await requireWritableNode(trx, actor, code);
    const codes = [...new Set(units.map((u) => u.departmentCode))];
    const departments = codes.length
      ? await trx.selectFrom('departments').select(['id', 'code']).where('code', 'in', codes).execute()
      : [];
    const idByCode = new Map(departments.map((d) => [d.code, d.id]));
    const issues = units.flatMap((u, i) => (idByCode.has(u.departmentCode) ? [] : [{ field: `units[${i}].departmentCode`, message: `no department ${u.departmentCode}` }]));
    if (issues.length) throw new ValidationError(issues);
    await trx.deleteFrom('territory_responsible_units').where('territory_node_id', '=', node.id).execute();
    const rows = [...new Map(units.map((u) => [`${u.departmentCode}|${u.duty}`, u])).values()]
      .map((u) => ({ territory_node_id: node.id, department_id: idByCode.get(u.departmentCode)!, duty: u.duty }));
    if (rows.length) await trx.insertInto('territory_responsible_units').values(rows).execute();
    await recordAudit(trx, actor, 'territory.responsible_units', { type: 'territory_node', ref: code }, { units }, now);
    return getNodeDetail(trx, code, false);
  });
}

/** GeoJSON export of a subtree, produced page by page so a whole city never sits in memory twice. */
export async function* exportTerritory(db: Kysely<Database>, rootCode: string | null, levels: TerritoryLevel[] | null): AsyncGenerator<string> {
  let rootPath = '/';
  if (rootCode) {
    const root = await findNodeByCode(db, rootCode);
    if (!root) throw notFound(`territory node ${rootCode}`);
    rootPath = root.path;
  }
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const n of subtreeWithGeometry(db, rootPath, levels)) {
    const parts = n.path.split('/').filter(Boolean);
    const feature = {
      type: 'Feature',
      properties: { code: n.code, name: n.name, level: n.level, parent_code: parts.length > 1 ? parts[parts.length - 2] : null, area_class: n.area_class, kind: n.kind },
      geometry: JSON.parse(n.geometry),
    };
    yield (first ? '' : ',\n') + JSON.stringify(feature);
    first = false;
  }
  yield ']}\n';
}
