import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  areaM2, bboxOf, centroidOf, closeRing, closeRings, isRingClosed, metresPerDegree, vertexCount,
  type MultiPolygon, type Polygon, type Position,
} from './geometry.ts';

/** An axis-aligned box of `w` × `h` metres with its south-west corner at (lon, lat), counter-clockwise. */
function boxRing(lon: number, lat: number, w: number, h: number): Position[] {
  const k = metresPerDegree(lat + h / 2 / metresPerDegree(lat).lat);
  const dx = w / k.lon;
  const dy = h / k.lat;
  return [[lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]];
}

describe('metres per degree (WGS84)', () => {
  test('matches published lengths of a degree', () => {
    // Reference values: length of one degree of latitude / longitude on the WGS84 ellipsoid.
    assert.ok(Math.abs(metresPerDegree(30).lat - 110_852.4) < 1);
    assert.ok(Math.abs(metresPerDegree(45).lat - 111_131.8) < 1);
    assert.ok(Math.abs(metresPerDegree(30).lon - 96_486.3) < 1);
    assert.ok(Math.abs(metresPerDegree(45).lon - 78_846.8) < 1);
  });
});

describe('area', () => {
  test('a 100 m × 100 m box near the demo city is one hectare', () => {
    const square: Polygon = { type: 'Polygon', coordinates: [boxRing(118.8, 32, 100, 100)] };
    assert.ok(Math.abs(areaM2(square) - 10_000) < 0.01, `got ${areaM2(square)}`);
  });

  test('holes are subtracted whatever the winding, and MultiPolygon parts add up', () => {
    const outer = boxRing(118.8, 32, 300, 300);
    const hole = boxRing(118.801, 32.001, 50, 40);
    const withHole: Polygon = { type: 'Polygon', coordinates: [outer, hole] };
    const withReversedHole: Polygon = { type: 'Polygon', coordinates: [outer, [...hole].reverse()] };
    assert.ok(Math.abs(areaM2(withHole) - (90_000 - 2_000)) < 0.5);
    assert.ok(Math.abs(areaM2(withReversedHole) - areaM2(withHole)) < 1e-6);
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [[outer], [boxRing(118.9, 32, 100, 100)]] };
    assert.ok(Math.abs(areaM2(multi) - 100_000) < 0.5);
  });

  test('a clockwise exterior gives the same (positive) area', () => {
    const ring = boxRing(118.8, 32, 120, 80);
    assert.ok(Math.abs(areaM2({ type: 'Polygon', coordinates: [[...ring].reverse()] }) - 9_600) < 0.01);
  });
});

describe('bbox and centroid', () => {
  test('bbox covers every exterior ring of a MultiPolygon', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[[[1, 2], [3, 2], [3, 5], [1, 2]]], [[[-4, -1], [0, -1], [0, 0], [-4, -1]]]],
    };
    assert.deepEqual(bboxOf(multi), [-4, -1, 3, 5]);
  });

  test('the centroid of a box is its centre; a hole pulls it away', () => {
    const ring: Position[] = [[118, 32], [118.002, 32], [118.002, 32.002], [118, 32.002], [118, 32]];
    const [lon, lat] = centroidOf({ type: 'Polygon', coordinates: [ring] });
    assert.ok(Math.abs(lon - 118.001) < 1e-9 && Math.abs(lat - 32.001) < 1e-9);
    // A hole in the east half moves the centroid west.
    const hole: Position[] = [[118.0015, 32.0005], [118.0015, 32.0015], [118.0018, 32.0015], [118.0018, 32.0005], [118.0015, 32.0005]];
    const [lon2, lat2] = centroidOf({ type: 'Polygon', coordinates: [ring, hole] });
    assert.ok(lon2 < 118.001 - 1e-6);
    assert.ok(Math.abs(lat2 - 32.001) < 1e-7);
  });

  test('a degenerate ring falls back to the mean of its vertices', () => {
    const [lon, lat] = centroidOf({ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [4, 0], [0, 0]]] });
    assert.ok(Math.abs(lon - 1.5) < 1e-9 && Math.abs(lat) < 1e-9);
  });
});

describe('ring closure', () => {
  test('closeRing appends the first position only when missing', () => {
    const open: Position[] = [[0, 0], [1, 0], [1, 1]];
    assert.equal(isRingClosed(open), false);
    const closed = closeRing(open);
    assert.deepEqual(closed, [[0, 0], [1, 0], [1, 1], [0, 0]]);
    assert.equal(isRingClosed(closed), true);
    assert.equal(closeRing(closed), closed);
    assert.equal(isRingClosed([]), false);
    assert.deepEqual(closeRing([]), []);
  });

  test('closeRings closes every ring of a MultiPolygon and counts positions', () => {
    const multi = closeRings<MultiPolygon>({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] });
    assert.equal(vertexCount(multi), 8);
    assert.ok(multi.coordinates.every((polygon) => polygon.every(isRingClosed)));
  });
});
