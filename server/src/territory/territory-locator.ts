import type { Kysely } from 'kysely';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import { bboxOf, type PolygonalGeometry } from '@cityops/domain/geo/geometry';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { findNodesByCodes, gridsForIndex, territoryVersion } from './territory.queries.ts';

/** Where a point falls: its grid and that grid's community, street and district. */
export interface GridAssignment {
  gridId: number;
  gridCode: string;
  /** Materialised path of the grid node, for scope checks on what is placed in it. */
  gridPath: string;
  communityId: number;
  streetId: number;
  districtId: number;
}

/** A grid's box and path, for maps that place a grid's count at its centre. */
export interface GridBox { id: number; path: string; minLon: number; minLat: number; maxLon: number; maxLat: number }

interface LoadedIndex {
  version: string;
  index: GridIndex;
  byGridId: Map<number, GridAssignment>;
  boxes: GridBox[];
}

/**
 * Point → grid assignment over an in-memory spatial index of every grid polygon, loaded from the
 * database on first use. Another process may import territory; the stored territory version is
 * re-read at most every few seconds and a change rebuilds the index.
 */
export class TerritoryLocator {
  readonly #db: Kysely<Database>;
  #loaded: Promise<LoadedIndex> | undefined;
  #checkedAt = 0;
  readonly #recheckMs: number;

  constructor(db: Kysely<Database>, recheckMs = 5_000) {
    this.#db = db;
    this.#recheckMs = recheckMs;
  }

  invalidate(): void {
    this.#loaded = undefined;
  }

  async #current(): Promise<LoadedIndex> {
    const now = Date.now();
    if (this.#loaded && now - this.#checkedAt > this.#recheckMs) {
      this.#checkedAt = now;
      const [loaded, version] = await Promise.all([this.#loaded, territoryVersion(this.#db)]);
      if (loaded.version !== version) this.#loaded = undefined;
    }
    this.#loaded ??= this.#load();
    this.#checkedAt ||= now;
    return this.#loaded;
  }

  /**
   * This locator's index, checked and if need be loaded through `db`, fixed for the caller's work: inside
   * a transaction on SQLite (one connection) a query on the root handle would wait for that transaction.
   */
  async pinned(db: Executor): Promise<TerritoryLocator> {
    const version = await territoryVersion(db);
    let loaded = this.#loaded ? await this.#loaded : undefined;
    if (loaded?.version !== version) {
      this.#loaded = this.#load(db);
      this.#checkedAt = Date.now();
      loaded = await this.#loaded;
    }
    const view = new TerritoryLocator(this.#db, Number.POSITIVE_INFINITY);
    view.#loaded = Promise.resolve(loaded);
    view.#checkedAt = Date.now();
    return view;
  }

  async #load(db: Executor = this.#db): Promise<LoadedIndex> {
    const version = await territoryVersion(db);
    const grids = await gridsForIndex(db);
    const ancestorCodes = new Set<string>();
    for (const g of grids) for (const code of g.path.split('/').filter(Boolean)) ancestorCodes.add(code);
    const ancestors = new Map((await findNodesByCodes(db, [...ancestorCodes])).map((n) => [n.code, n]));
    const byGridId = new Map<number, GridAssignment>();
    for (const g of grids) {
      const chain = g.path.split('/').filter(Boolean).map((code) => ancestors.get(code));
      const idAt = (level: string) => chain.find((n) => n?.level === level)?.id ?? -1;
      byGridId.set(g.id, { gridId: g.id, gridCode: g.code, gridPath: g.path, communityId: idAt('community'), streetId: idAt('street'), districtId: idAt('district') });
    }
    const geometries = grids.map((g) => JSON.parse(g.geometry) as PolygonalGeometry);
    const index = new GridIndex(grids.map((g, i) => ({ id: g.id, geometry: geometries[i]! })));
    const boxes = grids.map((g, i) => {
      const [minLon, minLat, maxLon, maxLat] = bboxOf(geometries[i]!);
      return { id: g.id, path: g.path, minLon, minLat, maxLon, maxLat };
    });
    return { version, index, byGridId, boxes };
  }

  /** Every grid's box and path (read once with the index: a map request does not read the territory table). */
  async gridBoxes(): Promise<readonly GridBox[]> {
    return (await this.#current()).boxes;
  }

  async locate(lon: number, lat: number): Promise<GridAssignment | null> {
    const { index, byGridId } = await this.#current();
    const id = index.locate(lon, lat);
    return id === -1 ? null : (byGridId.get(id) ?? null);
  }

  /** Bulk assignment for imports: one index lookup per point, no allocation per miss. */
  async locateMany(points: { lon: number; lat: number }[]): Promise<(GridAssignment | null)[]> {
    const { index, byGridId } = await this.#current();
    const lons = new Float64Array(points.length);
    const lats = new Float64Array(points.length);
    points.forEach((p, i) => {
      lons[i] = p.lon;
      lats[i] = p.lat;
    });
    const out = new Int32Array(points.length);
    index.locateMany(lons, lats, out);
    return Array.from(out, (id) => (id === -1 ? null : (byGridId.get(id) ?? null)));
  }

  async gridCount(): Promise<number> {
    return (await this.#current()).byGridId.size;
  }
}
