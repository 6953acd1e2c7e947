// "The cases under a territory node" in SQL: a scope grant or a territory filter names a node by its path,
// and a case lies under it when its grid's path starts with it. Written as LIKE on the case's path, only
// PostgreSQL could seek an index for it (SQLite's LIKE ignores case, so its index was read whole: a street
// office's case count took 0.9–1.2 s at 10,000,000 cases), and that text index was the costliest of the
// case's indexes to write (bench intake_http, decision 0014). Paths never change (a node cannot change
// parent) and every level is present (a parent is exactly one level up), so the same cases are those whose
// column of the node's level holds the node's id, read from the integer indexes.
import { TERRITORY_LEVELS, type TerritoryLevel } from '@cityops/domain/territory/levels';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';

type CaseBuilder = ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>;

/**
 * How each level's node finds its cases: its own id in one of the case's territory columns, or (a city, a
 * community) its children's ids in the column below it, which is indexed.
 */
const CASES_UNDER: Record<TerritoryLevel, { column: 'c.district_id' | 'c.street_id' | 'c.grid_id'; match: 'node' | 'children' }> = {
  city: { column: 'c.district_id', match: 'children' },
  district: { column: 'c.district_id', match: 'node' },
  street: { column: 'c.street_id', match: 'node' },
  community: { column: 'c.grid_id', match: 'children' },
  grid: { column: 'c.grid_id', match: 'node' },
};

/** The node's level from its path's depth ('/990100/990102/' is a district). */
function levelOfPath(path: string): TerritoryLevel | null {
  return TERRITORY_LEVELS[path.split('/').filter(Boolean).length - 1]?.level ?? null;
}

/**
 * `seek`: whether the territory's index should lead. A query of open cases only should not: open cases are few
 * at any size (the backlog, not the history), so the state index leads and the territory is checked on its rows.
 * SQLite, which keeps no statistics here, would otherwise read a street's hundred thousand cases to find its
 * thirty open ones (0.4 s at 10,000,000 cases, against 4 ms); `column + 0` is the usual way to tell it so.
 */
export function casesUnder(eb: CaseBuilder, path: string, seek = true): Expression<SqlBool> {
  const level = levelOfPath(path);
  if (!level) return sql<SqlBool>`1 = 0`;
  const { column, match } = CASES_UNDER[level];
  const node = eb.selectFrom('territory_nodes').select('id').where('path', '=', path);
  const value = seek ? eb.ref(column) : sql<number>`${eb.ref(column)} + 0`;
  return match === 'node'
    ? eb(value, '=', node)
    : eb(value, 'in', eb.selectFrom('territory_nodes as child').select('child.id').where('child.parent_id', '=', node));
}
