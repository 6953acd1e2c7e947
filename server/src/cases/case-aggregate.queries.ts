// The map of a viewport at any zoom (issue 8): cases in view summed into cells of about 64 screen pixels,
// each with its count, its cases' mean position (where the cluster is drawn) and how many are red or
// yellow, in one grouped query. The browser then draws a few thousand cells instead of every case.
import { sql } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import type { Executor } from '../db/database.ts';
import { applyFilter, applyScope, lightClockSql, type CaseListFilter, type CaseQuery } from './cases.queries.ts';

export interface Viewport { minLon: number; minLat: number; maxLon: number; maxLat: number; zoom: number }

/** Cells are this many degrees wide: 64 pixels of a 256-pixel Web Mercator tile at the zoom. */
export const cellDegrees = (zoom: number) => 90 / 2 ** zoom;

/** At most this many cells in one answer; a larger view is answered at a coarser cell. */
export const MAX_CELLS = 20_000;

export async function aggregateCases(db: Executor, actor: Actor, filter: Omit<CaseListFilter, 'sort' | 'limit' | 'offset'>, view: Viewport, now: number) {
  // A view too large for its zoom (a whole province at street level) is summed at a coarser cell.
  let zoom = view.zoom;
  while (zoom > 0 && ((view.maxLon - view.minLon) / cellDegrees(zoom)) * ((view.maxLat - view.minLat) / cellDegrees(zoom)) > MAX_CELLS) zoom--;
  const cell = cellDegrees(zoom);
  const scoped = applyFilter(applyScope(db.selectFrom('cases as c'), actor) as CaseQuery, { ...filter, sort: 'reported_desc', limit: 0, offset: 0 }, now)
    .where('c.lon', '>=', view.minLon).where('c.lon', '<=', view.maxLon).where('c.lat', '>=', view.minLat).where('c.lat', '<=', view.maxLat);
  const { due, warn } = lightClockSql();
  // The cell size as a literal (a number computed here, not input): PostgreSQL matches the GROUP BY to the
  // selected expression only when both read the same text, and two placeholders are not the same text.
  const cx = sql<number>`floor(c.lon / ${sql.lit(cell)})`;
  const cy = sql<number>`floor(c.lat / ${sql.lit(cell)})`;
  const rows = await scoped.select([
    cx.as('cx'), cy.as('cy'),
    (eb) => eb.fn.countAll<number | string>().as('n'),
    sql<number>`avg(c.lon)`.as('lon'), sql<number>`avg(c.lat)`.as('lat'),
    sql<number | string>`sum(case when ${due} < ${now} then 1 else 0 end)`.as('red'),
    sql<number | string>`sum(case when ${due} >= ${now} and ${warn} <= ${now} then 1 else 0 end)`.as('yellow'),
  ]).groupBy([cx, cy]).execute();
  const round = (x: number) => Math.round(Number(x) * 1e6) / 1e6;
  return {
    zoom, cellDegrees: cell,
    total: rows.reduce((n, r) => n + Number(r.n), 0),
    /** [lon, lat, count, red, yellow], the position being the mean of the cell's cases. */
    cells: rows.map((r) => [round(r.lon), round(r.lat), Number(r.n), Number(r.red ?? 0), Number(r.yellow ?? 0)] as [number, number, number, number, number]),
  };
}
