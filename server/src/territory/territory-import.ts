import { validateFeatureCollection, validateGeometry } from '@cityops/domain/geo/geojson-validation';
import type { PolygonalGeometry } from '@cityops/domain/geo/geometry';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { childPath, isTerritoryLevel, levelDepth, territoryCodeIssues, type TerritoryLevel } from '@cityops/domain/territory/levels';
import type { Actor } from '@cityops/domain/access/scope';
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { geometryFacts } from './geometry-facts.ts';
import { bumpTerritoryVersion, findNodesByCodes } from './territory.queries.ts';

const LEVEL_ALIASES: Record<string, TerritoryLevel> = {
  市: 'city', 区: 'district', 县: 'district', 区县: 'district', 街道: 'street', 乡镇: 'street', 镇: 'street',
  社区: 'community', 村: 'community', 网格: 'grid', 单元网格: 'grid',
};

export interface TerritoryFeatureRow {
  row: number;
  code: string;
  name: string;
  level: TerritoryLevel;
  parentCode: string | null;
  areaClass: number;
  kind: string | null;
  geometry: PolygonalGeometry;
}

export interface TerritoryImportResult {
  created: number;
  updated: number;
  byLevel: Record<string, number>;
}

/**
 * Reads a GeoJSON FeatureCollection of territory nodes. Properties: code, name, level (city, district,
 * street, community, grid, or 市/区县/街道/社区/网格), parent_code, area_class (1–3; a child without
 * one inherits its parent's), kind (optional). Every problem is collected with its feature number.
 */
export function parseTerritoryFeatures(input: unknown): TerritoryFeatureRow[] {
  const envelope = validateFeatureCollection(input);
  if (envelope.length > 0) throw new ValidationError(envelope);
  const features = (input as { features: { properties: Record<string, unknown>; geometry: unknown }[] }).features;
  const issues: FieldIssue[] = [];
  const rows: TerritoryFeatureRow[] = [];
  const seen = new Map<string, number>();
  features.forEach((feature, index) => {
    const row = index + 1;
    const p = feature.properties ?? {};
    const at = (field: string, message: string) => issues.push({ row, field: `properties.${field}`, message });
    const code = typeof p.code === 'number' ? String(p.code) : p.code;
    const levelRaw = typeof p.level === 'string' ? (LEVEL_ALIASES[p.level] ?? p.level) : p.level;
    if (typeof code !== 'string' || code === '') at('code', 'is required');
    if (typeof p.name !== 'string' || p.name.trim() === '') at('name', 'is required');
    else if (p.name.length > 100) at('name', 'must have at most 100 characters');
    if (!isTerritoryLevel(levelRaw)) at('level', `must be one of city, district, street, community, grid (or 市, 区县, 街道, 社区, 网格), got ${JSON.stringify(p.level)}`);
    const parentCode = p.parent_code === undefined || p.parent_code === null || p.parent_code === '' ? null : String(p.parent_code);
    let areaClass = 0;
    if (p.area_class !== undefined && p.area_class !== null && p.area_class !== '') {
      areaClass = Number(p.area_class);
      if (![1, 2, 3].includes(areaClass)) at('area_class', `must be 1, 2 or 3, got ${JSON.stringify(p.area_class)}`);
    }
    if (p.kind !== undefined && p.kind !== null && typeof p.kind !== 'string') at('kind', 'must be text');
    for (const issue of validateGeometry(feature.geometry, 'geometry')) issues.push({ row, ...issue });
    if (typeof code === 'string' && code !== '') {
      const previous = seen.get(code);
      if (previous !== undefined) at('code', `duplicates feature ${previous}`);
      seen.set(code, row);
    }
    if (typeof code === 'string' && typeof p.name === 'string' && isTerritoryLevel(levelRaw)) {
      rows.push({
        row, code, name: p.name.trim(), level: levelRaw, parentCode, areaClass,
        kind: typeof p.kind === 'string' && p.kind !== '' ? p.kind : null,
        geometry: feature.geometry as PolygonalGeometry,
      });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return rows;
}

/**
 * Creates or updates the nodes of a parsed file in one transaction: either every feature is applied or
 * none is. A node keeps its parent (its code is derived from it); moving a node is refused.
 */
export async function importTerritory(db: Kysely<Database>, actor: Actor, rows: TerritoryFeatureRow[], now = Date.now()): Promise<TerritoryImportResult> {
  const ordered = [...rows].sort((a, b) => levelDepth(a.level) - levelDepth(b.level) || a.code.localeCompare(b.code));
  return db.transaction().execute(async (trx) => {
    const referenced = new Set<string>();
    for (const r of ordered) {
      referenced.add(r.code);
      if (r.parentCode) referenced.add(r.parentCode);
    }
    const existing = new Map((await findNodesByCodes(trx, [...referenced])).map((n) => [n.code, n]));
    const known = new Map<string, { level: TerritoryLevel; path: string; areaClass: number }>();
    for (const n of existing.values()) known.set(n.code, { level: n.level, path: n.path, areaClass: n.area_class });
    const issues: FieldIssue[] = [];
    const inserts: Insertable<Database['territory_nodes']>[] = [];
    const updates: { code: string; values: Updateable<Database['territory_nodes']> }[] = [];
    const byLevel: Record<string, number> = {};

    for (const r of ordered) {
      const parent = r.parentCode ? known.get(r.parentCode) : undefined;
      if (r.parentCode && !parent) {
        issues.push({ row: r.row, field: 'properties.parent_code', message: `no node with code ${r.parentCode} in the file or the database` });
        continue;
      }
      const codeIssues = territoryCodeIssues(
        { code: r.code, level: r.level },
        parent && r.parentCode ? { code: r.parentCode, level: parent.level } : null,
        r.row,
      ).map((i) => ({ ...i, field: `properties.${i.field}` }));
      if (codeIssues.length > 0) {
        issues.push(...codeIssues);
        continue;
      }
      const areaClass = r.areaClass || parent?.areaClass || 2;
      const path = childPath(parent?.path ?? null, r.code);
      const current = existing.get(r.code);
      const facts = geometryFacts(r.geometry);
      const values = { name: r.name, area_class: areaClass, kind: r.kind, geometry: JSON.stringify(r.geometry), ...facts, updated_at: now };
      if (current) {
        if (current.level !== r.level || current.path !== path) {
          issues.push({ row: r.row, field: 'properties.parent_code', message: `node ${r.code} exists as a ${current.level} under ${current.path}; a node cannot change level or parent` });
          continue;
        }
        updates.push({ code: r.code, values });
      } else {
        inserts.push({ code: r.code, level: r.level, parent_id: null, path, created_at: now, ...values });
      }
      known.set(r.code, { level: r.level, path, areaClass });
      byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
    }
    if (issues.length > 0) throw new ValidationError(issues);

    // Parents first, so parent ids can be resolved by code for each level's batch.
    for (const level of ['city', 'district', 'street', 'community', 'grid'] as const) {
      const batch = inserts.filter((i) => i.level === level);
      if (batch.length === 0) continue;
      const parentCodes = [...new Set(batch.map((b) => parentCodeOf(b.path)).filter((c): c is string => c !== null))];
      const parentIds = new Map((await findNodesByCodes(trx, parentCodes)).map((n) => [n.code, n.id]));
      for (const b of batch) {
        const pc = parentCodeOf(b.path);
        b.parent_id = pc ? (parentIds.get(pc) ?? null) : null;
      }
      for (let i = 0; i < batch.length; i += 400) await trx.insertInto('territory_nodes').values(batch.slice(i, i + 400)).execute();
    }
    for (const u of updates) await trx.updateTable('territory_nodes').set(u.values).where('code', '=', u.code).execute();
    await bumpTerritoryVersion(trx, now);
    await recordAudit(trx, actor, 'territory.import', { type: 'territory' }, { created: inserts.length, updated: updates.length, byLevel }, now);
    return { created: inserts.length, updated: updates.length, byLevel };
  });
}

function parentCodeOf(path: string): string | null {
  const codes = path.split('/').filter(Boolean);
  return codes.length >= 2 ? codes[codes.length - 2]! : null;
}
