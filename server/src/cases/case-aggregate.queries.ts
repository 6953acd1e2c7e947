// The map of a viewport at any zoom (issue 8): cases in view summed into cells of about 64 screen pixels,
// each with its count, its cases' mean position (where the cluster is drawn) and how many are red or
// yellow. The browser then draws a few thousand cells instead of every case.
//
// Three ways to sum, chosen by what is asked (the answer is the same set of cases either way):
// - by the kept counts: a map of every case (or of a period on half-month bounds) at a zoom where a cell
//   spans several grids sums the reports kept per grid and year (kept_grid_year_reports) for the whole
//   years of the period and per grid and half-month (kept_grid_reports) for the rest, placing each grid's
//   count at its centre; at city zoom that is a few rows per grid instead of every case;
// - by grid from the index: the same question at street zoom reads the cases of the grids in view from
//   an index that holds their positions (cases_grid_reported_place), with no table lookup;
// - by filter: any other filter (state, class, source, department, text…) sums the matching rows.
// The red and yellow counts always come from the open cases in view, which are few.
import { sql } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { halfMonthIndex, halfMonthStart } from '@cityops/domain/indicators/periods';
import { OPEN_STATES } from '@cityops/domain/workflow/case-states';
import type { Executor } from '../db/database.ts';
import type { GridBox } from '../territory/territory-locator.ts';
import { caseReadScope } from './case-access.ts';
import { lightClockSql, scopedCases, type CaseListFilter, type CaseQuery } from './cases.queries.ts';

export interface Viewport { minLon: number; minLat: number; maxLon: number; maxLat: number; zoom: number }
type MapFilter = Omit<CaseListFilter, 'sort' | 'limit' | 'offset'>;

/** Cells are this many degrees wide: 64 pixels of a 256-pixel Web Mercator tile at the zoom. */
export const cellDegrees = (zoom: number) => 90 / 2 ** zoom;

/** At most this many cells in one answer; a larger view is answered at a coarser cell. */
export const MAX_CELLS = 20_000;

/** Up to this many grids in view are named in the query; a city's thousands are filtered in memory instead. */
const FEW_GRIDS = 500;

/** Grid centres stand in for their cases when a cell is at least this many grids wide. */
const GRIDS_PER_CELL_FOR_KEPT = 2;


interface Cell { n: number; sumLon: number; sumLat: number; red: number; yellow: number }

/** The filter's parts beyond territory and reporting time: any of them needs the rows themselves. */
function onlyTerritoryAndTime(f: MapFilter): boolean {
  return !f.states?.length && !f.sources?.length && !f.classCode && f.departmentId === undefined && !f.q && f.overdueAt === undefined
    && !f.light && !f.possibleDuplicate && !f.applicationPending && !f.reportedBy;
}

/** The half-months [from, to) of a reporting period that starts and ends on half-month bounds (null: open), else null. */
function halvesOf(f: MapFilter): { from: number | null; to: number | null } | null {
  const from = f.reportedFrom === undefined ? null : halfMonthIndex(f.reportedFrom);
  const to = f.reportedTo === undefined ? null : halfMonthIndex(f.reportedTo);
  if (from !== null && halfMonthStart(from) !== f.reportedFrom) return null;
  if (to !== null && halfMonthStart(to) !== f.reportedTo) return null;
  return { from, to };
}

const inView = (q: CaseQuery, v: Viewport) => q.where('c.lon', '>=', v.minLon).where('c.lon', '<=', v.maxLon).where('c.lat', '>=', v.minLat).where('c.lat', '<=', v.maxLat);

/**
 * `grids`: every grid's box and path, from the territory locator's memory (reading them from the territory
 * table with their geometries took longer than the rest of the answer).
 */
export async function aggregateCases(db: Executor, actor: Actor, filter: MapFilter, view: Viewport, now: number, grids: () => Promise<readonly GridBox[]>) {
  // A view too large for its zoom (a whole province at street level) is summed at a coarser cell.
  let zoom = view.zoom;
  while (zoom > 0 && ((view.maxLon - view.minLon) / cellDegrees(zoom)) * ((view.maxLat - view.minLat) / cellDegrees(zoom)) > MAX_CELLS) zoom--;
  const cell = cellDegrees(zoom);
  const keyOf = (lon: number, lat: number) => `${Math.floor(lon / cell)}:${Math.floor(lat / cell)}`;
  const cells = new Map<string, Cell>();
  const cellAt = (key: string) => {
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { n: 0, sumLon: 0, sumLat: 0, red: 0, yellow: 0 }));
    return c;
  };

  const scope = caseReadScope(actor);
  const byGrid = onlyTerritoryAndTime(filter) && scope.departmentIds.length === 0;
  if (byGrid) {
    // The grids in view that the reader may see and the filter names.
    const inViewGrids = (await grids()).filter((g) => g.maxLon >= view.minLon && g.minLon <= view.maxLon && g.maxLat >= view.minLat && g.minLat <= view.maxLat
      && scope.territoryPrefixes.some((p) => g.path.startsWith(p)) && (!filter.territoryPath || g.path.startsWith(filter.territoryPath)));
    const widths = inViewGrids.map((g) => g.maxLon - g.minLon).sort((a, b) => a - b);
    const typicalWidth = widths[Math.floor(widths.length / 2)] ?? 0;
    const halves = halvesOf(filter);
    if (inViewGrids.length && halves && cell >= GRIDS_PER_CELL_FOR_KEPT * typicalWidth) {
      await sumKeptReports(db, inViewGrids, halves, (grid, n) => {
        const lon = (grid.minLon + grid.maxLon) / 2;
        const lat = (grid.minLat + grid.maxLat) / 2;
        const c = cellAt(keyOf(lon, lat));
        c.n += n; c.sumLon += lon * n; c.sumLat += lat * n;
      });
      const gridById = new Map(inViewGrids.map((g) => [g.id, g]));
      await sumLights(db, actor, filter, view, now, 'grid', (gridId, red, yellow) => {
        const grid = gridById.get(Number(gridId));
        if (!grid) return;
        const c = cellAt(keyOf((grid.minLon + grid.maxLon) / 2, (grid.minLat + grid.maxLat) / 2));
        c.red += red; c.yellow += yellow;
      }, inViewGrids);
    } else if (inViewGrids.length) {
      await sumGridCases(db, inViewGrids.map((g) => g.id), filter, view, cell, (key, n, sumLon, sumLat) => {
        const c = cellAt(key);
        c.n += n; c.sumLon += sumLon; c.sumLat += sumLat;
      });
      await sumLights(db, actor, filter, view, now, cell, (key, red, yellow) => {
        const c = cellAt(key);
        c.red += red; c.yellow += yellow;
      });
    }
  } else {
    await sumFilteredCases(db, actor, filter, view, now, cell, (key, c) => cells.set(key, c));
  }

  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const out = [...cells.values()].filter((c) => c.n > 0);
  return {
    zoom, cellDegrees: cell,
    total: out.reduce((n, c) => n + c.n, 0),
    /** [lon, lat, count, red, yellow], the position being the mean of the cell's cases. */
    cells: out.map((c) => [round(c.sumLon / c.n), round(c.sumLat / c.n), c.n, c.red, c.yellow] as [number, number, number, number, number]),
  };
}

/**
 * The cell of a point, as the column and row numbers JavaScript computes with Math.floor(lon / cell). The
 * cell size is a literal (computed here, not input): PostgreSQL matches a GROUP BY to the selected
 * expression only when both read the same text, and two placeholders are not the same text.
 */
function cellSql(cell: number) {
  const size = sql.lit(cell);
  return { cx: sql<number>`floor(c.lon / ${size})`, cy: sql<number>`floor(c.lat / ${size})` };
}

const cellKey = (r: { cx: number | string; cy: number | string }) => `${Number(r.cx)}:${Number(r.cy)}`;

/**
 * Reports kept per grid over the half-months [from, to) (null: unbounded), for the grids given: the whole
 * calendar years inside from the year rows, the half-months before and after them from the half rows.
 */
async function sumKeptReports(db: Executor, grids: readonly GridBox[], halves: { from: number | null; to: number | null }, add: (grid: GridBox, n: number) => void) {
  const byId = new Map(grids.map((g) => [g.id, g]));
  const sums = new Map<number, number>();
  const collect = (rows: { grid_id: number; n: number | string | null }[]) => {
    for (const r of rows) sums.set(Number(r.grid_id), (sums.get(Number(r.grid_id)) ?? 0) + Number(r.n ?? 0));
  };
  const few = grids.length <= FEW_GRIDS ? grids.map((g) => g.id) : null;
  // Whole years [firstYear, endYear) in half-month numbers: a year is 24 of them from January 1970.
  const firstYear = halves.from === null ? null : Math.ceil(halves.from / 24);
  const endYear = halves.to === null ? null : Math.floor(halves.to / 24);
  const spans: { from: number | null; to: number | null }[] = [];
  if (firstYear !== null && endYear !== null && firstYear >= endYear) {
    spans.push(halves);
  } else {
    let years = db.selectFrom('kept_grid_year_reports').select(['grid_id', (eb) => eb.fn.sum<number | string>('reported').as('n')]);
    if (firstYear !== null) years = years.where('year', '>=', 1970 + firstYear);
    if (endYear !== null) years = years.where('year', '<', 1970 + endYear);
    if (few) years = years.where('grid_id', 'in', few);
    collect(await years.groupBy('grid_id').execute());
    if (firstYear !== null) spans.push({ from: halves.from, to: firstYear * 24 });
    if (endYear !== null) spans.push({ from: endYear * 24, to: halves.to });
  }
  for (const span of spans) {
    if (span.from !== null && span.to !== null && span.from >= span.to) continue;
    let q = db.selectFrom('kept_grid_reports').select(['grid_id', (eb) => eb.fn.sum<number | string>('reported').as('n')]);
    if (span.from !== null) q = q.where('half', '>=', span.from);
    if (span.to !== null) q = q.where('half', '<', span.to);
    if (few) q = q.where('grid_id', 'in', few);
    collect(await q.groupBy('grid_id').execute());
  }
  for (const [gridId, n] of sums) {
    const grid = byId.get(gridId);
    if (grid && n) add(grid, n);
  }
}

/** Cases of the grids in view, their positions read from the index (grid, reported, lon, lat). */
async function sumGridCases(db: Executor, gridIds: number[], filter: MapFilter, view: Viewport, cell: number, add: (key: string, n: number, sumLon: number, sumLat: number) => void) {
  const { cx, cy } = cellSql(cell);
  for (let i = 0; i < gridIds.length; i += 2000) {
    let q = inView(db.selectFrom('cases as c') as CaseQuery, view).where('c.grid_id', 'in', gridIds.slice(i, i + 2000));
    if (filter.reportedFrom !== undefined) q = q.where('c.reported_at', '>=', filter.reportedFrom);
    if (filter.reportedTo !== undefined) q = q.where('c.reported_at', '<', filter.reportedTo);
    const rows = await q.select([cx.as('cx'), cy.as('cy'), (eb) => eb.fn.countAll<number | string>().as('n'), sql<number>`sum(c.lon)`.as('lon'), sql<number>`sum(c.lat)`.as('lat')]).groupBy([cx, cy]).execute();
    for (const r of rows) add(cellKey(r), Number(r.n), Number(r.lon), Number(r.lat));
  }
}

/** Red and yellow among the open cases in view, by grid or by cell of the given size. */
async function sumLights(db: Executor, actor: Actor, filter: MapFilter, view: Viewport, now: number, by: 'grid' | number, add: (key: string, red: number, yellow: number) => void, grids?: readonly GridBox[]) {
  const { due, warn } = lightClockSql();
  const { cx, cy } = by === 'grid' ? { cx: sql<number>`c.grid_id`, cy: sql<number>`0` } : cellSql(by);
  let q = inView(scopedCases(db, actor, { ...filter, states: [...OPEN_STATES], sort: 'reported_desc', limit: 0, offset: 0 }, now), view);
  if (grids && grids.length <= FEW_GRIDS) q = q.where('c.grid_id', 'in', grids.map((g) => g.id));
  const rows = await q.select([
    cx.as('cx'), cy.as('cy'),
    sql<number | string>`sum(case when ${due} < ${now} then 1 else 0 end)`.as('red'),
    sql<number | string>`sum(case when ${due} >= ${now} and ${warn} <= ${now} then 1 else 0 end)`.as('yellow'),
  ]).groupBy(by === 'grid' ? [cx] : [cx, cy]).execute();
  for (const r of rows) add(by === 'grid' ? String(r.cx) : cellKey(r), Number(r.red ?? 0), Number(r.yellow ?? 0));
}

/** Any filter: the matching rows in view, summed by cell with their lights in one grouped query. */
async function sumFilteredCases(db: Executor, actor: Actor, filter: MapFilter, view: Viewport, now: number, cell: number, put: (key: string, c: Cell) => void) {
  const { cx, cy } = cellSql(cell);
  const { due, warn } = lightClockSql();
  const rows = await inView(scopedCases(db, actor, { ...filter, sort: 'reported_desc', limit: 0, offset: 0 }, now), view).select([
    cx.as('cx'), cy.as('cy'),
    (eb) => eb.fn.countAll<number | string>().as('n'),
    sql<number>`sum(c.lon)`.as('lon'), sql<number>`sum(c.lat)`.as('lat'),
    sql<number | string>`sum(case when ${due} < ${now} then 1 else 0 end)`.as('red'),
    sql<number | string>`sum(case when ${due} >= ${now} and ${warn} <= ${now} then 1 else 0 end)`.as('yellow'),
  ]).groupBy([cx, cy]).execute();
  for (const r of rows) put(cellKey(r), { n: Number(r.n), sumLon: Number(r.lon), sumLat: Number(r.lat), red: Number(r.red ?? 0), yellow: Number(r.yellow ?? 0) });
}
