import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import classicPointInPolygon from 'point-in-polygon';
import { GridIndex, geometryContains, type IndexedGrid } from './grid-index.ts';
import { polygonsOf, type PolygonalGeometry, type Position } from './geometry.ts';

const box = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('GridIndex on hand-made grids', () => {
  // Unit squares 1 (0..1) and 2 (1..2) side by side; square 1 has a hole (0.25..0.75) that grid 3 fills
  // only in its south half; grid 4 is a MultiPolygon of two squares far apart; grid 5 is unclosed.
  const grids: IndexedGrid[] = [
    { id: 1, geometry: { type: 'Polygon', coordinates: [box(0, 0, 1, 1), box(0.25, 0.25, 0.75, 0.75)] } },
    { id: 2, geometry: { type: 'Polygon', coordinates: [box(1, 0, 2, 1)] } },
    { id: 3, geometry: { type: 'Polygon', coordinates: [box(0.25, 0.25, 0.75, 0.5)] } },
    { id: 4, geometry: { type: 'MultiPolygon', coordinates: [[box(10, 10, 11, 11)], [box(20, 20, 21, 21)]] } },
    { id: 5, geometry: { type: 'Polygon', coordinates: [[[30, 30], [31, 30], [31, 31], [30, 31]]] } },
  ];
  const index = new GridIndex(grids);

  test('points inside plain squares, holes and MultiPolygon parts', () => {
    assert.equal(index.size, 5);
    assert.equal(index.locate(0.1, 0.1), 1);
    assert.equal(index.locate(1.5, 0.5), 2);
    assert.equal(index.locate(0.5, 0.4), 3, 'inside the hole of grid 1, where grid 3 is');
    assert.equal(index.locate(0.5, 0.6), -1, 'inside the hole of grid 1 and outside grid 3');
    assert.equal(index.locate(10.5, 10.5), 4);
    assert.equal(index.locate(20.5, 20.9), 4);
    assert.equal(index.locate(30.5, 30.5), 5, 'an unclosed ring is closed when indexed');
  });

  test('points outside everything, and NaN', () => {
    assert.equal(index.locate(5, 5), -1);
    assert.equal(index.locate(15, 15), -1, 'inside the bbox of the MultiPolygon but in neither part');
    assert.equal(index.locate(-0.1, 0.5), -1);
    assert.equal(index.locate(NaN, 0.5), -1);
  });

  test('a point on a shared edge goes to the grid east (or north) of it, always the same one', () => {
    assert.equal(index.locate(1, 0.5), 2, 'on the edge between 1 and 2: east');
    assert.equal(index.locate(0.5, 0.25), 3, 'on the edge between grid 1 and grid 3 (the rim of the hole): north, grid 3');
    assert.equal(index.locate(0.25, 0.4), 3, 'on the west rim of the hole: east, grid 3');
    assert.equal(index.locate(0.75, 0.3), 1, 'on the east rim of the hole: east, back in grid 1');
    assert.equal(index.locate(0.5, 0.5), -1, 'on the north edge of grid 3: north, the uncovered part of the hole');
  });

  test('the outer boundary: west and south sides are in, east and north sides are out', () => {
    assert.equal(index.locate(0, 0.5), 1);
    assert.equal(index.locate(0.5, 0), 1);
    assert.equal(index.locate(2, 0.5), -1);
    assert.equal(index.locate(1.5, 1), -1);
  });

  test('locateMany fills the output array and checks lengths', () => {
    const lons = Float64Array.of(0.1, 1.5, 5, 20.5);
    const lats = Float64Array.of(0.1, 0.5, 5, 20.5);
    const out = new Int32Array(4);
    index.locateMany(lons, lats, out);
    assert.deepEqual([...out], [1, 2, -1, 4]);
    assert.throws(() => index.locateMany(lons, lats, new Int32Array(3)), RangeError);
  });

  test('an empty index finds nothing; ids must be non-negative 32-bit integers', () => {
    assert.equal(new GridIndex([]).locate(0, 0), -1);
    assert.throws(() => new GridIndex([{ id: -1, geometry: { type: 'Polygon', coordinates: [box(0, 0, 1, 1)] } }]), RangeError);
    assert.throws(() => new GridIndex([{ id: 1.5, geometry: { type: 'Polygon', coordinates: [box(0, 0, 1, 1)] } }]), RangeError);
  });
});

/** Small deterministic PRNG so a fast-check seed fixes a whole tessellation. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A jittered nx × ny lattice over [118.8, 118.8 + nx·d] × [32, 32 + ny·d] with shared vertices and a
 * straight outer boundary. Cell (0, 0) has a hole filled by its own grid, and cells (nx-1, 0) and
 * (0, ny-1) form one MultiPolygon grid; together they tessellate the rectangle exactly.
 */
function tessellation(nx: number, ny: number, seed: number): { grids: IndexedGrid[]; extent: [number, number, number, number] } {
  const rnd = prng(seed);
  const d = 0.001;
  const vx = (i: number) => 118.8 + i * d;
  const vy = (j: number) => 32 + j * d;
  const jit: [number, number][] = [];
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const interior = i > 0 && i < nx && j > 0 && j < ny;
      jit.push(interior ? [vx(i) + (rnd() - 0.5) * 0.5 * d, vy(j) + (rnd() - 0.5) * 0.5 * d] : [vx(i), vy(j)]);
    }
  }
  const v = (i: number, j: number): Position => jit[j * (nx + 1) + i]!;
  const cell = (i: number, j: number): Position[] => [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)];
  const grids: IndexedGrid[] = [];
  let id = 100;
  const multi: Position[][][] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if ((i === nx - 1 && j === 0) || (i === 0 && j === ny - 1)) {
        multi.push([cell(i, j)]);
        continue;
      }
      const ring = cell(i, j);
      if (i === 0 && j === 0) {
        // A diamond hole around the cell's centre, clockwise, filled by a grid of its own.
        const [cx, cy] = [(v(0, 0)[0] + v(1, 1)[0]) / 2, (v(0, 0)[1] + v(1, 1)[1]) / 2];
        const r = d / 8;
        const hole: Position[] = [[cx, cy - r], [cx - r, cy], [cx, cy + r], [cx + r, cy], [cx, cy - r]];
        grids.push({ id: id++, geometry: { type: 'Polygon', coordinates: [ring, hole] } });
        grids.push({ id: id++, geometry: { type: 'Polygon', coordinates: [[...hole].reverse()] } });
      } else {
        grids.push({ id: id++, geometry: { type: 'Polygon', coordinates: [ring] } });
      }
    }
  }
  grids.push({ id: id++, geometry: { type: 'MultiPolygon', coordinates: multi } });
  return { grids, extent: [118.8, 32, 118.8 + nx * d, 32 + ny * d] };
}

/** Brute force with an independent implementation (the classic `point-in-polygon`). */
function bruteForce(grids: IndexedGrid[], x: number, y: number): number[] {
  const inside = (ring: Position[]) => classicPointInPolygon([x, y], ring);
  const hits: number[] = [];
  for (const g of grids) {
    const parts = polygonsOf(g.geometry as PolygonalGeometry);
    if (parts.some(([outer, ...holes]) => outer !== undefined && inside(outer) && !holes.some(inside))) hits.push(g.id);
  }
  return hits;
}

describe('GridIndex on random tessellations (property)', () => {
  test('every point of the extent is in exactly one grid, the one brute force finds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer(),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), { minLength: 1, maxLength: 60 }),
        (nx, ny, seed, unitPoints) => {
          const { grids, extent } = tessellation(nx, ny, seed);
          const index = new GridIndex(grids);
          const lons = new Float64Array(unitPoints.length);
          const lats = new Float64Array(unitPoints.length);
          unitPoints.forEach(([u, w], k) => {
            // Keep clear of the outer boundary, where the half-open rule (not brute force) decides.
            lons[k] = extent[0] + (extent[2] - extent[0]) * (1e-9 + u * (1 - 2e-9));
            lats[k] = extent[1] + (extent[3] - extent[1]) * (1e-9 + w * (1 - 2e-9));
          });
          const out = new Int32Array(unitPoints.length);
          index.locateMany(lons, lats, out);
          for (let k = 0; k < out.length; k++) {
            const x = lons[k]!;
            const y = lats[k]!;
            const same = grids.filter((g) => geometryContains(g.geometry, x, y)).map((g) => g.id);
            assert.equal(same.length, 1, `point ${x},${y} is in ${same.length} grids by the index's own rule`);
            assert.equal(out[k], same[0]);
            assert.equal(index.locate(x, y), out[k]);
            assert.deepEqual(bruteForce(grids, x, y), [out[k]]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('gives the same answers whatever the R-tree fan-out, on a tree several levels deep', () => {
    const { grids, extent } = tessellation(40, 40, 99);
    const indexes = [2, 4, 16, 64].map((nodeSize) => new GridIndex(grids, nodeSize));
    const rnd = prng(5);
    for (let k = 0; k < 3_000; k++) {
      // A margin of 5 % outside the extent on every side, so misses are exercised too.
      const x = extent[0] + (extent[2] - extent[0]) * (1.1 * rnd() - 0.05);
      const y = extent[1] + (extent[3] - extent[1]) * (1.1 * rnd() - 0.05);
      const expected = grids.find((g) => geometryContains(g.geometry, x, y))?.id ?? -1;
      for (const index of indexes) assert.equal(index.locate(x, y), expected);
    }
  });

  test('lattice vertices and edge midpoints of an unjittered tessellation: exactly one grid each, the one to the north-east', () => {
    const nx = 6;
    const ny = 5;
    const grids: IndexedGrid[] = [];
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) grids.push({ id: j * nx + i, geometry: { type: 'Polygon', coordinates: [box(i, j, i + 1, j + 1)] } });
    const index = new GridIndex(grids);
    for (let j2 = 0; j2 < 2 * ny; j2++) {
      for (let i2 = 0; i2 < 2 * nx; i2++) {
        const [x, y] = [i2 / 2, j2 / 2];
        const owners = grids.filter((g) => geometryContains(g.geometry, x, y)).map((g) => g.id);
        const expected = Math.floor(y) * nx + Math.floor(x);
        assert.deepEqual(owners, [expected], `point (${x}, ${y})`);
        assert.equal(index.locate(x, y), expected);
      }
    }
  });
});
