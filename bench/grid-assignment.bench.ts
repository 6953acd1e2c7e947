import Flatbush from 'flatbush';
import { bboxOf } from '@cityops/domain/geo/geometry';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import { generateCityLayout } from '../server/src/demo/city-layout.ts';
import { createRandom } from '@cityops/domain/random';
import type { BenchEntry } from './entry.ts';

/**
 * Point → unit-grid assignment for bulk imports (PRODUCT.md §2; target 1,000,000 points/s): a
 * 10,000-grid demo city, 1,000,000 uniform points over its bbox, GridIndex.locateMany, best of 3
 * after a warm-up. Anchor: a bare Flatbush bbox search (`search(x, y, x, y)`) of the same points
 * in the same run, i.e. the R-tree lookup alone, without the point-in-polygon test.
 */
export async function run(options: { grids?: number; points?: number; log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const n = options.points ?? 1_000_000;

  let t0 = performance.now();
  const layout = generateCityLayout({ seed: 1, targetGrids: options.grids ?? 10_000 });
  const generateMs = performance.now() - t0;
  const grids = layout.nodes.filter((node) => node.level === 'grid');

  t0 = performance.now();
  const index = new GridIndex(grids.map((g, i) => ({ id: i, geometry: g.geometry })));
  const buildMs = performance.now() - t0;

  const [minLon, minLat, maxLon, maxLat] = bboxOf(layout.city.geometry);
  const random = createRandom(2026);
  const lons = new Float64Array(n);
  const lats = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lons[i] = minLon + (maxLon - minLon) * random();
    lats[i] = minLat + (maxLat - minLat) * random();
  }
  const out = new Int32Array(n);

  const timeLocate = () => {
    const t = performance.now();
    index.locateMany(lons, lats, out);
    return performance.now() - t;
  };
  timeLocate();
  const locateMs = Math.min(timeLocate(), timeLocate(), timeLocate());
  let assigned = 0;
  for (let i = 0; i < n; i++) if (out[i] !== -1) assigned++;

  // Anchor: the same points through a plain Flatbush over the grids' bboxes, search only.
  const tree = new Flatbush(grids.length);
  for (const g of grids) {
    const [a, b, c, d] = bboxOf(g.geometry);
    tree.add(a, b, c, d);
  }
  tree.finish();
  let candidates = 0;
  const timeSearch = () => {
    const t = performance.now();
    candidates = 0;
    for (let i = 0; i < n; i++) candidates += tree.search(lons[i]!, lats[i]!, lons[i]!, lats[i]!).length;
    return performance.now() - t;
  };
  timeSearch();
  const searchMs = Math.min(timeSearch(), timeSearch(), timeSearch());

  const value = Math.round(n / (locateMs / 1000));
  const anchor = Math.round(n / (searchMs / 1000));
  log(
    `grid_assignment: ${grids.length} grids generated in ${generateMs.toFixed(0)} ms, index built in ${buildMs.toFixed(1)} ms; ` +
      `${n.toLocaleString('en')} points in ${locateMs.toFixed(0)} ms = ${value.toLocaleString('en')} points/s ` +
      `(${((100 * assigned) / n).toFixed(2)} % inside a grid, ${(candidates / n).toFixed(2)} bbox candidates per point); ` +
      `Flatbush search alone ${searchMs.toFixed(0)} ms = ${anchor.toLocaleString('en')} points/s`,
  );
  return [{
    name: 'grid_assignment', database: null, value, unit: 'points/s', target: 1_000_000,
    anchor: { name: 'flatbush_search_only', value: anchor, unit: 'points/s' }, ratio: value / anchor,
  }];
}

if (import.meta.main) console.log(JSON.stringify(await run(), null, 2));
