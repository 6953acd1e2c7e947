import type { Kysely } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { COMPONENT_STATE_BY_LABEL, componentIdIssues, type ComponentState } from '@cityops/domain/catalog/classes';
import { validateFeatureCollection } from '@cityops/domain/geo/geojson-validation';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/database.ts';
import { recordAudit } from '../audit/audit.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import type { TerritoryLocator } from '../territory/territory-locator.ts';
import { subtreePathOf } from '../territory/territory.queries.ts';

interface ComponentFeature {
  row: number;
  code: string;
  classCode: string;
  name: string | null;
  state: ComponentState;
  ownerCode: string | null;
  maintainerCode: string | null;
  initialDate: string;
  dataSource: string | null;
  note: string | null;
  lon: number;
  lat: number;
}

function normaliseDate(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = text.match(/^(\d{4})-?(\d{2})-?(\d{2})$/);
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? null : date;
}

/**
 * Component inventory (部件普查) from GeoJSON Points. Properties follow GB/T 47678.5's attributes:
 * code (17-digit 标识码), class_code, name, state (完好/破损/丢失/废弃/移除 or intact…), owner_department_code,
 * maintainer_department_code, initial_date (YYYYMMDD), data_source, note.
 */
export function parseComponentFeatures(input: unknown): ComponentFeature[] {
  const envelope = validateFeatureCollection(input);
  if (envelope.length) throw new ValidationError(envelope);
  const features = (input as { features: { properties: Record<string, unknown>; geometry: { type?: string; coordinates?: unknown } | null }[] }).features;
  const issues: FieldIssue[] = [];
  const out: ComponentFeature[] = [];
  const seen = new Map<string, number>();
  features.forEach((f, index) => {
    const row = index + 1;
    const p = f.properties ?? {};
    const at = (field: string, message: string) => issues.push({ row, field, message });
    const text = (k: string) => (p[k] === undefined || p[k] === null || p[k] === '' ? null : String(p[k]).trim());
    const code = text('code');
    const classCode = text('class_code');
    const state = COMPONENT_STATE_BY_LABEL[text('state') ?? '完好'];
    const initialDate = normaliseDate(p.initial_date);
    const coords = f.geometry?.coordinates as unknown[] | undefined;
    if (!code) at('properties.code', 'is required');
    if (!classCode || !/^\d{5}$/.test(classCode)) at('properties.class_code', 'must be a 5-digit component class code');
    if (!state) at('properties.state', `must be one of 完好, 破损, 丢失, 废弃, 移除 (or intact, damaged, lost, abandoned, removed), got "${text('state')}"`);
    if (!initialDate) at('properties.initial_date', `must be a date YYYYMMDD or YYYY-MM-DD, got "${text('initial_date')}"`);
    if (f.geometry?.type !== 'Point' || !Array.isArray(coords) || coords.length < 2 || !coords.slice(0, 2).every((c) => typeof c === 'number' && Number.isFinite(c))) {
      at('geometry', 'must be a GeoJSON Point [lon, lat]');
    } else if (Math.abs(coords[0] as number) > 180 || Math.abs(coords[1] as number) > 90) {
      at('geometry.coordinates', 'lon must be within ±180 and lat within ±90');
    }
    if (code) {
      if (seen.has(code)) at('properties.code', `duplicates feature ${seen.get(code)}`);
      seen.set(code, row);
    }
    if (code && classCode && state && initialDate && Array.isArray(coords)) {
      out.push({
        row, code, classCode, name: text('name'), state, ownerCode: text('owner_department_code'), maintainerCode: text('maintainer_department_code'),
        initialDate, dataSource: text('data_source'), note: text('note'), lon: coords[0] as number, lat: coords[1] as number,
      });
    }
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/** Upserts components by code in one transaction; each is placed in its grid by the spatial index. */
export async function importComponents(db: Kysely<Database>, locator: TerritoryLocator, actor: Actor, features: ComponentFeature[], now = Date.now()) {
  const placed = await locator.locateMany(features);
  return db.transaction().execute(async (trx) => {
    const versionId = await activeCatalogVersionId(trx);
    const classes = await trx.selectFrom('catalog_classes').select(['id', 'code', 'name']).where('version_id', '=', versionId).where('kind', '=', 'component').execute();
    const classByCode = new Map(classes.map((c) => [c.code, c]));
    const deptCodes = [...new Set(features.flatMap((f) => [f.ownerCode, f.maintainerCode]).filter((c): c is string => !!c))];
    const depts = deptCodes.length ? await trx.selectFrom('departments').select(['id', 'code']).where('code', 'in', deptCodes).execute() : [];
    const deptId = new Map(depts.map((d) => [d.code, d.id]));
    const gridIds = [...new Set(placed.filter((p) => p).map((p) => p!.districtId))];
    const districts = gridIds.length ? await trx.selectFrom('territory_nodes').select(['id', 'code']).where('id', 'in', gridIds).execute() : [];
    const districtCode = new Map(districts.map((d) => [d.id, d.code]));
    const issues: FieldIssue[] = [];
    const rows = features.map((f, i) => {
      const at = (field: string, message: string) => issues.push({ row: f.row, field, message });
      const cls = classByCode.get(f.classCode);
      if (!cls) at('properties.class_code', `no component class ${f.classCode} in the active catalog`);
      const place = placed[i];
      if (!place) at('geometry', `point ${f.lon},${f.lat} lies in no grid of the territory`);
      for (const problem of componentIdIssues(f.code, f.classCode, place ? (districtCode.get(place.districtId) ?? null) : null)) at('properties.code', problem);
      if (f.ownerCode && !deptId.has(f.ownerCode)) at('properties.owner_department_code', `no department ${f.ownerCode}`);
      if (f.maintainerCode && !deptId.has(f.maintainerCode)) at('properties.maintainer_department_code', `no department ${f.maintainerCode}`);
      return {
        code: f.code, class_id: cls?.id ?? 0, name: f.name ?? cls?.name ?? '', state: f.state,
        owner_department_id: f.ownerCode ? (deptId.get(f.ownerCode) ?? null) : null, maintainer_department_id: f.maintainerCode ? (deptId.get(f.maintainerCode) ?? null) : null,
        grid_id: place?.gridId ?? null, lon: f.lon, lat: f.lat, initial_date: f.initialDate, changed_date: null, data_source: f.dataSource, note: f.note,
        created_at: now, updated_at: now,
      };
    });
    if (issues.length) throw new ValidationError(issues);
    const existing = new Set<string>();
    for (let i = 0; i < rows.length; i += 900) {
      const found = await trx.selectFrom('components').select('code').where('code', 'in', rows.slice(i, i + 900).map((r) => r.code)).execute();
      for (const r of found) existing.add(r.code);
    }
    const inserts = rows.filter((r) => !existing.has(r.code));
    for (let i = 0; i < inserts.length; i += 500) await trx.insertInto('components').values(inserts.slice(i, i + 500)).execute();
    for (const r of rows.filter((x) => existing.has(x.code))) {
      const { code, created_at: _c, ...values } = r;
      await trx.updateTable('components').set({ ...values, changed_date: new Date(now).toISOString().slice(0, 10) }).where('code', '=', code).execute();
    }
    await recordAudit(trx, actor, 'component.import', { type: 'component' }, { created: inserts.length, updated: rows.length - inserts.length }, now);
    return { created: inserts.length, updated: rows.length - inserts.length };
  });
}

export async function listComponents(db: Executor, filter: { grid?: string; within?: string; classCode?: string; state?: string; limit: number; offset: number }) {
  let query = db.selectFrom('components as c').innerJoin('catalog_classes as k', 'k.id', 'c.class_id').leftJoin('territory_nodes as g', 'g.id', 'c.grid_id')
    .leftJoin('departments as m', 'm.id', 'c.maintainer_department_id').leftJoin('departments as o', 'o.id', 'c.owner_department_id');
  if (filter.grid) query = query.where('g.code', '=', filter.grid);
  if (filter.within) query = query.where('g.path', 'like', `${await subtreePathOf(db, filter.within)}%`);
  if (filter.classCode) query = query.where('k.code', '=', filter.classCode);
  if (filter.state) query = query.where('c.state', '=', filter.state as ComponentState);
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const rows = await query.select([
    'c.id', 'c.code', 'c.name', 'c.state', 'c.lon', 'c.lat', 'c.initial_date', 'c.changed_date', 'c.data_source', 'c.note', 'k.code as class_code', 'k.name as class_name',
    'g.code as grid_code', 'm.code as maintainer_code', 'm.name as maintainer_name', 'o.code as owner_code', 'o.name as owner_name',
  ]).orderBy('c.code').limit(filter.limit).offset(filter.offset).execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, state: r.state, classCode: r.class_code, className: r.class_name, gridCode: r.grid_code, location: [r.lon, r.lat],
      owner: r.owner_code ? { code: r.owner_code, name: r.owner_name } : null, maintainer: r.maintainer_code ? { code: r.maintainer_code, name: r.maintainer_name } : null,
      initialDate: r.initial_date, changedDate: r.changed_date, dataSource: r.data_source, note: r.note,
    })),
  };
}
