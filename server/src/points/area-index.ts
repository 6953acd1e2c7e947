// The responsibility overlays held in memory for a sweep: one R-tree per overlay kind (overlays of one kind
// tile the streets without overlapping, overlays of different kinds do overlap: a frontage lies on a road
// segment inside a duty area), so a place gives at most one overlay of each kind.
import { GridIndex } from '@cityops/domain/geo/grid-index';
import { bboxOf, type BBox, type PolygonalGeometry } from '@cityops/domain/geo/geometry';
import { AREA_KINDS, type AreaKind } from '@cityops/domain/points/responsibility-rules';
import type { Executor } from '../db/database.ts';
import type { UnitKind } from './ledger.ts';

export interface IndexedArea {
  id: number;
  code: string;
  name: string;
  kind: AreaKind;
  /** Who answers for the area: its department, else the government of its territory node. */
  unitKind: UnitKind;
  unitId: number;
}

export class AreaIndex {
  readonly areas: Map<number, IndexedArea>;
  readonly #byKind: Map<AreaKind, GridIndex>;
  readonly #bboxes: Map<number, BBox>;

  constructor(areas: (IndexedArea & { geometry: PolygonalGeometry })[]) {
    this.areas = new Map(areas.map(({ geometry: _g, ...a }) => [a.id, a]));
    this.#bboxes = new Map(areas.map((a) => [a.id, bboxOf(a.geometry)]));
    this.#byKind = new Map(AREA_KINDS.map((k) => [k, new GridIndex(areas.filter((a) => a.kind === k).map((a) => ({ id: a.id, geometry: a.geometry })))]));
  }

  /** An overlay's bounding box [west, south, east, north], to read the cases around it by place. */
  bboxOf(id: number): BBox {
    const bbox = this.#bboxes.get(id);
    if (!bbox) throw new Error(`no overlay ${id} in the index`);
    return bbox;
  }

  /** The overlays (at most one per kind) containing the place. */
  containing(lon: number, lat: number): IndexedArea[] {
    const out: IndexedArea[] = [];
    for (const index of this.#byKind.values()) {
      const id = index.size ? index.locate(lon, lat) : -1;
      if (id >= 0) out.push(this.areas.get(id)!);
    }
    return out;
  }
}

export async function loadAreaIndex(db: Executor): Promise<AreaIndex> {
  const rows = await db.selectFrom('responsibility_areas').select(['id', 'code', 'name', 'kind', 'geometry', 'department_id', 'territory_node_id'])
    .where('kind', 'in', [...AREA_KINDS]).execute();
  return new AreaIndex(rows.map((r) => ({
    id: Number(r.id), code: r.code, name: r.name, kind: r.kind as AreaKind, geometry: JSON.parse(r.geometry) as PolygonalGeometry,
    unitKind: r.department_id !== null ? 'department' : 'territory', unitId: Number(r.department_id ?? r.territory_node_id),
  })));
}
