import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { TerritoryNodeTable } from '../db/schema.ts';
import type { TerritoryLevel } from '@cityops/domain/territory/levels';
import { textContains } from '../db/text-match.ts';
import { ValidationError } from '@cityops/domain/errors';

export type TerritoryNodeRow = Omit<TerritoryNodeTable, 'id'> & { id: number };
const SUMMARY_COLUMNS = [
  'id', 'code', 'name', 'level', 'kind', 'parent_id', 'path', 'area_class', 'area_m2',
  'centroid_lon', 'centroid_lat', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'updated_at',
] as const;
export type TerritoryNodeSummary = Pick<TerritoryNodeRow, (typeof SUMMARY_COLUMNS)[number]>;

export async function findNodeByCode(db: Executor, code: string): Promise<TerritoryNodeRow | undefined> {
  return db.selectFrom('territory_nodes').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * The materialised path of the node a `within` filter names, for a prefix match on its subtree. An unknown code
 * is the caller's mistake, answered 400 naming the parameter on every list that takes one (it used to give an
 * empty list on some and a 400 on others).
 */
export async function subtreePathOf(db: Executor, code: string, field = 'querystring.within'): Promise<string> {
  const [node] = await findNodesByCodes(db, [code]);
  if (!node) throw new ValidationError([{ field, message: `no territory node ${code}` }]);
  return node.path;
}

export async function findNodesByCodes(db: Executor, codes: string[]): Promise<TerritoryNodeSummary[]> {
  if (codes.length === 0) return [];
  const out: TerritoryNodeSummary[] = [];
  for (let i = 0; i < codes.length; i += 900) {
    out.push(...(await db.selectFrom('territory_nodes').select(SUMMARY_COLUMNS).where('code', 'in', codes.slice(i, i + 900)).execute()));
  }
  return out;
}

export interface NodeFilter {
  level?: TerritoryLevel;
  parentCode?: string;
  /** Only nodes inside this subtree (inclusive). */
  withinPath?: string;
  search?: string;
  limit: number;
  offset: number;
}

export async function listNodes(db: Executor, filter: NodeFilter): Promise<{ total: number; items: TerritoryNodeSummary[] }> {
  let query = db.selectFrom('territory_nodes as n');
  if (filter.level) query = query.where('n.level', '=', filter.level);
  if (filter.withinPath) query = query.where('n.path', 'like', `${filter.withinPath}%`);
  if (filter.parentCode) {
    query = query.where('n.parent_id', '=', (eb) => eb.selectFrom('territory_nodes').select('id').where('code', '=', filter.parentCode!));
  }
  if (filter.search) {
    const text = filter.search;
    query = query.where((eb) => eb.or([textContains(db, 'n.name', text), textContains(db, 'n.code', text)]));
  }
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const items = await query
    .select(SUMMARY_COLUMNS.map((c) => `n.${c}` as const))
    .orderBy('n.code')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { total: Number(total), items };
}

export async function childCounts(db: Executor, parentIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (parentIds.length === 0) return counts;
  const rows = await db
    .selectFrom('territory_nodes')
    .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('parent_id', 'in', parentIds)
    .groupBy('parent_id')
    .execute();
  for (const row of rows) counts.set(Number(row.parent_id), Number(row.n));
  return counts;
}

/** Ancestors of a node, root first, resolved from its path. */
export async function ancestorsOf(db: Executor, path: string): Promise<TerritoryNodeSummary[]> {
  const codes = path.split('/').filter(Boolean).slice(0, -1);
  const rows = await findNodesByCodes(db, codes);
  return rows.sort((a, b) => a.path.length - b.path.length);
}

/** Nodes of a subtree for export, geometry included, streamed in code order by pages. */
export async function* subtreeWithGeometry(db: Executor, rootPath: string, levels: TerritoryLevel[] | null): AsyncGenerator<TerritoryNodeRow> {
  let after = '';
  for (;;) {
    let query = db.selectFrom('territory_nodes').selectAll().where('path', 'like', `${rootPath}%`).where('code', '>', after);
    if (levels) query = query.where('level', 'in', levels);
    const page = await query.orderBy('code').limit(2000).execute();
    for (const row of page) yield row;
    if (page.length < 2000) return;
    after = page[page.length - 1]!.code;
  }
}

export async function gridsForIndex(db: Executor): Promise<{ id: number; code: string; path: string; geometry: string }[]> {
  return db.selectFrom('territory_nodes').select(['id', 'code', 'path', 'geometry']).where('level', '=', 'grid').execute();
}

export async function idsByCode(db: Executor, codes: string[]): Promise<Map<string, { id: number; level: string; path: string }>> {
  const map = new Map<string, { id: number; level: string; path: string }>();
  for (const row of await findNodesByCodes(db, codes)) map.set(row.code, { id: row.id, level: row.level, path: row.path });
  return map;
}

export async function territoryVersion(db: Executor): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'territory_version').executeTakeFirst();
  return row?.value ?? '0';
}

export async function bumpTerritoryVersion(db: Executor, now: number): Promise<void> {
  const version = String(now);
  await sql`insert into settings (key, value, updated_at) values ('territory_version', ${version}, ${now})
            on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`.execute(db);
}
