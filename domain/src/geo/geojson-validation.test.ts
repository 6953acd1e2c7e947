import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateFeatureCollection, validateGeometry } from './geojson-validation.ts';

const square = [[118.8, 32], [118.801, 32], [118.801, 32.001], [118.8, 32.001], [118.8, 32]];
const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('validateGeometry', () => {
  test('accepts a Polygon, a Polygon with a hole, a MultiPolygon and positions with altitude', () => {
    const hole = [[118.8002, 32.0002], [118.8002, 32.0004], [118.8004, 32.0004], [118.8002, 32.0002]];
    assert.deepEqual(validateGeometry({ type: 'Polygon', coordinates: [square] }), []);
    assert.deepEqual(validateGeometry({ type: 'Polygon', coordinates: [square, hole] }), []);
    assert.deepEqual(validateGeometry({ type: 'MultiPolygon', coordinates: [[square], [hole]] }), []);
    assert.deepEqual(validateGeometry({ type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 12.5])] }), []);
  });

  test('rejects non-objects, other types and missing coordinates', () => {
    assert.deepEqual(fields(validateGeometry(null)), ['geometry']);
    assert.deepEqual(fields(validateGeometry([square])), ['geometry']);
    const point = validateGeometry({ type: 'Point', coordinates: [1, 2] });
    assert.deepEqual(fields(point), ['geometry.type']);
    assert.match(point[0]!.message, /"Polygon" or "MultiPolygon", got "Point"/);
    assert.deepEqual(fields(validateGeometry({ type: 'Polygon' }, 'features[3].geometry')), ['features[3].geometry.coordinates']);
    assert.deepEqual(fields(validateGeometry({ type: 'Polygon', coordinates: [] })), ['geometry.coordinates']);
    assert.deepEqual(fields(validateGeometry({ type: 'MultiPolygon', coordinates: [] })), ['geometry.coordinates']);
  });

  test('names the exact position and coordinate at fault', () => {
    const ring = square.map((p) => [...p]);
    ring[3] = [118.8, 95];
    ring[1] = [200, 32];
    const issues = validateGeometry({ type: 'Polygon', coordinates: [ring] });
    assert.deepEqual(fields(issues), ['geometry.coordinates[0][1][0]', 'geometry.coordinates[0][3][1]']);
    assert.match(issues[1]!.message, /latitude must be between -90 and 90, got 95/);

    const nested = validateGeometry({ type: 'MultiPolygon', coordinates: [[square], [[square[0], [1, 'x'], 'oops', [1, 2, 3, 4], [Infinity, 0]]]] });
    assert.deepEqual(fields(nested), [
      'geometry.coordinates[1][0][1][1]',
      'geometry.coordinates[1][0][2]',
      'geometry.coordinates[1][0][3]',
      'geometry.coordinates[1][0][4][0]',
    ]);
    // A Polygon's coordinates labelled MultiPolygon: one level too shallow, found at the first number.
    const shallow = validateGeometry({ type: 'MultiPolygon', coordinates: [square] });
    assert.deepEqual(fields(shallow).slice(0, 1), ['geometry.coordinates[0][0][0]']);
    assert.match(shallow[0]!.message, /must be a position \[lon, lat\], got number/);
  });

  test('rings must be closed, have at least 4 positions and enclose an area', () => {
    const open = validateGeometry({ type: 'Polygon', coordinates: [square.slice(0, 4)] });
    assert.deepEqual(fields(open), ['geometry.coordinates[0]']);
    assert.match(open[0]!.message, /not closed/);
    const triangleless = validateGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] });
    assert.match(triangleless[0]!.message, /at least 4 positions/);
    const flat = validateGeometry({ type: 'Polygon', coordinates: [[[118.8, 32], [118.81, 32.01], [118.82, 32.02], [118.8, 32]]] });
    assert.deepEqual(fields(flat), ['geometry.coordinates[0]']);
    assert.match(flat[0]!.message, /zero area/);
    const hole = validateGeometry({ type: 'Polygon', coordinates: [square, [[118.8, 32], [118.8, 32], [118.8, 32], [118.8, 32]]] });
    assert.deepEqual(fields(hole), ['geometry.coordinates[1]']);
  });

  test('refuses more vertices than the configured limit, and caps the issue list', () => {
    const big = Array.from({ length: 1_000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 1_000;
      return [118.8 + 0.01 * Math.cos(a), 32 + 0.01 * Math.sin(a)];
    });
    big.push(big[0]!);
    assert.deepEqual(validateGeometry({ type: 'Polygon', coordinates: [big] }), []);
    const limited = validateGeometry({ type: 'Polygon', coordinates: [big] }, 'geometry', { maxVertices: 500 });
    assert.deepEqual(fields(limited), ['geometry.coordinates']);
    assert.match(limited[0]!.message, /1001 positions, more than the limit of 500/);
    const broken = big.map(() => [0, 'x']);
    assert.equal(validateGeometry({ type: 'Polygon', coordinates: [broken] }, 'geometry', { maxIssues: 7 }).length, 7);
  });
});

describe('validateFeatureCollection', () => {
  const feature = { type: 'Feature', properties: { code: '990102' }, geometry: { type: 'Polygon', coordinates: [square] } };

  test('accepts a well-formed envelope, geometries being checked separately', () => {
    assert.deepEqual(validateFeatureCollection({ type: 'FeatureCollection', features: [feature, feature] }), []);
    assert.deepEqual(validateFeatureCollection({ type: 'FeatureCollection', features: [] }), []);
  });

  test('reports the collection, the features array and each feature with its index', () => {
    assert.deepEqual(fields(validateFeatureCollection('{}')), ['']);
    assert.deepEqual(fields(validateFeatureCollection({ type: 'Feature', features: {} })), ['type', 'features']);
    const features: unknown[] = Array.from({ length: 13 }, () => feature);
    features[2] = 42;
    features[5] = { ...feature, type: 'feature' };
    features[12] = { ...feature, properties: null };
    features[7] = { type: 'Feature', geometry: null };
    const issues = validateFeatureCollection({ type: 'FeatureCollection', features });
    assert.deepEqual(fields(issues), ['features[2]', 'features[5].type', 'features[7].properties', 'features[12].properties']);
    assert.match(issues[3]!.message, /must be an object, got null/);
  });
});
