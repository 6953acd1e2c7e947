import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { areaM2, bboxOf, centroidOf, metresPerDegree, type Position } from '@cityops/domain/geo/geometry';
import { validateGeometry } from '@cityops/domain/geo/geojson-validation';
import { GridIndex, geometryContains } from '@cityops/domain/geo/grid-index';
import { DEMO_CITY_CODE, generateCityLayout, partition, type TerritoryNodeSeed } from './city-layout.ts';
import { createRandom } from '@cityops/domain/random';

const started = performance.now();
const layout = generateCityLayout({ seed: 20261122 });
const defaultMs = performance.now() - started;
const byLevel = (level: TerritoryNodeSeed['level']) => layout.nodes.filter((n) => n.level === level);
const grids = byLevel('grid');
const byCode = new Map(layout.nodes.map((n) => [n.code, n]));

describe('the seeded random generator', () => {
  test('repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 1_000 }, () => a());
    assert.deepEqual(Array.from({ length: 1_000 }, () => b()), xs);
    assert.notDeepEqual(Array.from({ length: 1_000 }, () => c()), xs);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05);
  });
});

describe('generateCityLayout', () => {
  test('is deterministic: same seed, byte-identical; another seed, another city', () => {
    const again = generateCityLayout({ seed: 20261122 });
    assert.equal(JSON.stringify(again), JSON.stringify(layout));
    assert.notEqual(JSON.stringify(generateCityLayout({ seed: 20261123 })), JSON.stringify(layout));
    assert.ok(defaultMs < 1_500, `5,000 grids took ${defaultMs.toFixed(0)} ms`);
  });

  test('default scale: 7 districts (4 urban, 3 counties), ≥ 42 streets, ≥ 210 communities, ≥ 5,000 grids', () => {
    const districts = byLevel('district');
    assert.equal(districts.length, 7);
    assert.equal(districts.filter((d) => d.kind === 'urban_district').length, 4);
    assert.equal(districts.filter((d) => d.kind === 'county').length, 3);
    assert.ok(byLevel('street').length >= 42);
    assert.ok(byLevel('community').length >= 210);
    assert.ok(grids.length >= 5_000);
    assert.equal(byLevel('city').length, 1);
    assert.equal(layout.city, layout.nodes[0]);
    // Counties are larger and sparser: more grids per town than per urban street.
    const gridsPerStreet = (kind: string) => {
      const codes = new Set(districts.filter((d) => d.kind === kind).map((d) => d.code));
      const streets = byLevel('street').filter((s) => codes.has(s.parentCode!)).length;
      return grids.filter((g) => codes.has(g.code.slice(0, 6))).length / streets;
    };
    assert.ok(gridsPerStreet('county') > 1.5 * gridsPerStreet('urban_district'));
  });

  test('codes: 6/9/12/15 digits, prefix 99, each extending its parent, unique, parents first', () => {
    const lengths = { city: 6, district: 6, street: 9, community: 12, grid: 15 } as const;
    const seen = new Set<string>();
    for (const node of layout.nodes) {
      assert.match(node.code, new RegExp(`^99\\d{${lengths[node.level] - 2}}$`));
      assert.ok(!seen.has(node.code), `duplicate ${node.code}`);
      if (node.level === 'city') assert.equal(node.parentCode, null);
      else {
        assert.ok(node.parentCode !== null && seen.has(node.parentCode), `${node.code}: parent ${node.parentCode} must come first`);
        if (node.level !== 'district') assert.equal(node.code.slice(0, -3), node.parentCode);
      }
      seen.add(node.code);
    }
    assert.equal(layout.city.code, DEMO_CITY_CODE);
    assert.deepEqual(byLevel('district').map((d) => d.code), ['990102', '990103', '990104', '990105', '990121', '990122', '990123']);
    // NBS ranges: 街道 001–099, 镇 101–199, 社区 001–199, 村 201–399.
    for (const s of byLevel('street')) assert.equal(s.code.at(-3), s.kind === 'town' ? '1' : '0', s.code);
    for (const c of byLevel('community')) assert.ok(c.kind === 'village' ? Number(c.code.slice(-3)) > 200 : Number(c.code.slice(-3)) < 200, c.code);
  });

  test('grid sequences run west→east, then north→south, within each community', () => {
    const rowStep = 100 / metresPerDegree(32).lat;
    const communities = new Map<string, TerritoryNodeSeed[]>();
    for (const g of grids) communities.set(g.parentCode!, [...(communities.get(g.parentCode!) ?? []), g]);
    for (const [code, list] of communities) {
      assert.equal(list[0]!.code, `${code}001`);
      for (let k = 1; k < list.length; k++) {
        const [lonA, latA] = centroidOf(list[k - 1]!.geometry);
        const [lonB, latB] = centroidOf(list[k]!.geometry);
        assert.equal(Number(list[k]!.code.slice(-3)), k + 1);
        if (Math.abs(latB - latA) < rowStep / 2) assert.ok(lonB > lonA, `${list[k]!.code} must be east of the previous grid`);
        else assert.ok(latB < latA - rowStep / 2, `${list[k]!.code} must start the next row south`);
      }
    }
  });

  test('names: right suffix for the level and kind, unique within the parent', () => {
    const suffix: Record<string, RegExp> = { urban_district: /区$/, county: /县$/, street: /街道$/, town: /镇$/, community: /社区$/, village: /村$/ };
    const siblings = new Map<string, Set<string>>();
    for (const n of layout.nodes) {
      assert.ok(n.name.length >= 2 && n.name.length <= 30, n.name);
      if (n.kind) assert.match(n.name, suffix[n.kind]!, `${n.code} ${n.name}`);
      if (n.level === 'grid') assert.match(n.name, /^.+(社区|村)第\d+网格$/);
      const key = n.parentCode ?? '';
      const names = siblings.get(key) ?? new Set<string>();
      assert.ok(!names.has(n.name), `${n.name} twice under ${key}`);
      names.add(n.name);
      siblings.set(key, names);
    }
    assert.equal(byLevel('street').filter((s) => s.name === '城关镇').length, 3, 'one county seat per county');
  });

  test('area classes: core 1, urban fringe 2, counties 3 except the county seats', () => {
    const classes = (prefixes: string[]) => {
      const counts = [0, 0, 0, 0];
      for (const g of grids) if (prefixes.includes(g.code.slice(0, 6))) counts[g.areaClass]!++;
      return counts;
    };
    const urban = classes(['990102', '990103', '990104', '990105']);
    const county = classes(['990121', '990122', '990123']);
    assert.ok(urban[1]! > 0 && urban[2]! > 0 && urban[3] === 0);
    assert.ok(county[1] === 0 && county[3]! > 5 * county[2]! && county[2]! > 0);
    const central = new GridIndex(grids.map((g, i) => ({ id: i, geometry: g.geometry }))).locate(...layout.centre);
    assert.equal(grids[central]!.areaClass, 1);
  });

  test('every grid is a valid, simple polygon of 4,000–25,000 m²', () => {
    for (const g of grids) {
      assert.deepEqual(validateGeometry(g.geometry), [], g.code);
      const area = areaM2(g.geometry);
      assert.ok(area >= 4_000 && area <= 25_000, `${g.code}: ${area} m²`);
      assert.ok(isSimple(g.geometry.coordinates[0]!), `${g.code} intersects itself`);
    }
    for (const n of layout.nodes) if (n.level !== 'grid') assert.deepEqual(validateGeometry(n.geometry), [], n.code);
  });

  test('every grid centroid is located into that grid', () => {
    const index = new GridIndex(grids.map((g, i) => ({ id: i, geometry: g.geometry })));
    grids.forEach((g, i) => assert.equal(index.locate(...centroidOf(g.geometry)), i, g.code));
  });

  test('exact nesting: children lie in their parent bbox and their areas add up to the parent area', () => {
    const childArea = new Map<string, number>();
    for (const n of layout.nodes) {
      if (n.parentCode === null) continue;
      const [a0, a1, a2, a3] = bboxOf(n.geometry);
      const [p0, p1, p2, p3] = bboxOf(byCode.get(n.parentCode)!.geometry);
      assert.ok(a0 >= p0 && a1 >= p1 && a2 <= p2 && a3 <= p3, `${n.code} outside ${n.parentCode}`);
      childArea.set(n.parentCode, (childArea.get(n.parentCode) ?? 0) + areaM2(n.geometry));
    }
    for (const [code, sum] of childArea) {
      const area = areaM2(byCode.get(code)!.geometry);
      assert.ok(Math.abs(sum - area) / area < 1e-4, `${code}: children ${sum} m², parent ${area} m²`);
    }
  });

  test('no gaps: random points inside the city polygon all land in a grid, points outside in none', () => {
    const index = new GridIndex(grids.map((g, i) => ({ id: i, geometry: g.geometry })));
    const [x0, y0, x1, y1] = bboxOf(layout.city.geometry);
    const random = createRandom(7);
    for (let k = 0; k < 20_000; k++) {
      const lon = x0 + (x1 - x0) * random();
      const lat = y0 + (y1 - y0) * random();
      const id = index.locate(lon, lat);
      assert.equal(id !== -1, geometryContains(layout.city.geometry, lon, lat));
      if (id !== -1) assert.ok(geometryContains(byCode.get(grids[id]!.parentCode!)!.geometry, lon, lat), 'the community contains its grid\'s points');
    }
  });

  test('scales: 10,000 grids double the streets and communities', () => {
    const t = performance.now();
    const big = generateCityLayout({ seed: 5, targetGrids: 10_000 });
    const ms = performance.now() - t;
    const count = (level: string) => big.nodes.filter((n) => n.level === level).length;
    assert.ok(count('grid') >= 10_000);
    assert.ok(count('street') >= 84 && count('community') >= 420);
    assert.equal(count('district'), 7);
    assert.ok(ms < 3_000, `10,000 grids took ${ms.toFixed(0)} ms`);
    assert.throws(() => generateCityLayout({ seed: 1, targetGrids: 10 }), RangeError);
  });

  test('partition covers its block exactly with one rectangle per weight', () => {
    const parts = partition({ x: 3, y: 4, w: 17, h: 11 }, [1, 2, 0.5, 1.5, 1, 1, 0.7], 6);
    assert.equal(parts.length, 7);
    const cells = new Set<string>();
    for (const p of parts) for (let i = p.x; i < p.x + p.w; i++) for (let j = p.y; j < p.y + p.h; j++) {
      assert.ok(i >= 3 && i < 20 && j >= 4 && j < 15);
      assert.ok(!cells.has(`${i},${j}`));
      cells.add(`${i},${j}`);
    }
    assert.equal(cells.size, 17 * 11);
    assert.ok(parts.every((p) => p.w * p.h >= 6));
  });
});

/** No two non-adjacent edges of the ring meet (brute force; a grid ring has ~9 positions). */
function isSimple(ring: Position[]): boolean {
  const n = ring.length - 1;
  const cross = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
      if (Math.sign(cross(a, b, c)) * Math.sign(cross(a, b, d)) <= 0 && Math.sign(cross(c, d, a)) * Math.sign(cross(c, d, b)) <= 0) return false;
    }
  }
  return true;
}
