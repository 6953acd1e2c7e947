// The inspector's patrol area (巡查责任网格): the grids of the street in their grant, kept on the phone so
// that the patrol map opens offline, and which of them a position falls in.
import { exportSubtree, type TerritoryFeatureCollection } from '../api/territory.ts';

const KEY = 'cityops.inspector.grids';

/** The code of the node an inspector grant covers: the last segment of its materialised path. */
export function patrolRoot(territoryPath: string | null | undefined): string | null {
  const parts = (territoryPath ?? '').split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1]! : null;
}

/** The grids under `root`: fresh from the server when online (and kept), else the kept copy. */
export async function patrolGrids(root: string, online: boolean): Promise<TerritoryFeatureCollection | null> {
  const kept = (() => {
    try {
      const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { root: string; grids: TerritoryFeatureCollection } | null;
      return value?.root === root ? value.grids : null;
    } catch { return null; }
  })();
  if (!online) return kept;
  try {
    const grids = await exportSubtree(root, ['grid']);
    try { localStorage.setItem(KEY, JSON.stringify({ root, grids })); } catch { /* full: the map still shows */ }
    return grids;
  } catch (error) {
    if (kept) return kept;
    throw error;
  }
}

type Ring = [number, number][];

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The grid a point lies in (even-odd rule over each polygon's rings, so holes count), or null. */
export function gridAt(grids: TerritoryFeatureCollection, lon: number, lat: number): { code: string; name: string } | null {
  for (const f of grids.features) {
    const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][];
    if (polygons.some((rings) => rings.reduce((inside, ring) => (inRing(lon, lat, ring) ? !inside : inside), false))) {
      return { code: f.properties.code, name: f.properties.name };
    }
  }
  return null;
}
