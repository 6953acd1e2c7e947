// GeoJSON that an import must refuse or survive: rings that cross themselves, do not close, are too short
// or lie on a line; coordinates out of range, of the wrong nesting or not numbers; the wrong geometry
// type; and huge geometries (up to `maxPoints` positions, around the importers' per-geometry limit).
import fc from 'fast-check';
import { hostileJson, hostileString, numberLike } from './hostile.ts';

type Position = [number, number];
const BASE: Position = [118.8, 32.0];

/** A ring of n positions around the base point, closed unless told otherwise. */
export function ring(n: number, options: { closed?: boolean; radius?: number; center?: Position } = {}): unknown[] {
  const [x, y] = options.center ?? BASE;
  const r = options.radius ?? 0.0005;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push([x + r * Math.cos((2 * Math.PI * i) / n), y + r * Math.sin((2 * Math.PI * i) / n)]);
  if (options.closed !== false && n > 0) out.push(out[0]);
  return out;
}

const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });

/** Geometries that are wrong in one way each. */
function brokenGeometries(maxPoints: number): fc.Arbitrary<unknown> {
  const [x, y] = BASE;
  const d = 0.001;
  return fc.oneof(
    fc.constantFrom<unknown>(
      polygon([[x, y], [x + d, y + d], [x + d, y], [x, y + d], [x, y]]), // bow-tie: crosses itself
      polygon([[x, y], [x + d, y], [x + d, y + d], [x, y + d]]), // not closed
      polygon([[x, y], [x + d, y], [x, y]]), // too short
      polygon([[x, y], [x + d, y], [x + 2 * d, y], [x, y]]), // zero area
      polygon([[200, 100], [201, 100], [201, 101], [200, 100]]), // out of range
      polygon([[x, y, 'high'], [x + d, y], [x + d, y + d], [x, y]]),
      polygon([[x, y], [x + d, y + d]]),
      polygon(), polygon([]), polygon([[]]), polygon([[[x, y]]]),
      { type: 'Polygon', coordinates: [[x, y], [x + d, y], [x + d, y + d], [x, y]] }, // a LineString's nesting
      { type: 'Polygon', coordinates: [[[[x, y], [x + d, y], [x + d, y + d], [x, y]]]] }, // a MultiPolygon's nesting
      { type: 'MultiPolygon', coordinates: [] }, { type: 'MultiPolygon', coordinates: [[]] }, { type: 'MultiPolygon', coordinates: [null] },
      { type: 'Point', coordinates: [x, y] }, { type: 'Point', coordinates: [x] }, { type: 'Point', coordinates: [] }, { type: 'Point', coordinates: [1e400, 'x'] },
      { type: 'Point', coordinates: [x, y, 1, 2, 3] }, { type: 'Point', coordinates: [[x, y]] }, { type: 'Point' },
      { type: 'LineString', coordinates: [[x, y], [x + d, y]] },
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [x, y] }] },
      { type: 'polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y]]] }, { type: null }, { coordinates: 'POLYGON((1 1,2 2,3 3,1 1))' },
      null, 'POLYGON((118.8 32, 118.9 32, 118.9 32.1, 118.8 32))', [], {}, 1,
      // a hole outside its exterior ring, and the exterior inside the hole
      polygon(ring(8), ring(8, { center: [x + 1, y + 1] })), polygon(ring(8, { radius: 0.0001 }), ring(8, { radius: 0.001 })),
    ),
    fc.tuple(numberLike, numberLike).map(([a, b]) => ({ type: 'Point', coordinates: [a, b] })),
    fc.tuple(numberLike, numberLike).map(([a, b]) => polygon([[x, y], [a, b], [x + d, y + d], [x, y]])),
    hostileJson.map((c) => ({ type: 'Polygon', coordinates: c })),
    // huge: just under, at and over the usual per-geometry limit, closed or not
    fc.tuple(fc.constantFrom(...[1000, 99_999, 100_000, 100_001, maxPoints].filter((n) => n <= maxPoints)), fc.boolean())
      .map(([n, closed]) => polygon(ring(n, { closed }))),
  );
}

/** Feature properties: the importers' own names (from documents the app exported), with good or bad values. */
function properties(names: readonly string[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(hostileString, numberLike, fc.constantFrom(null, true, '990100', '990101', '990101001', '990101001001', '990101001001001', 'grid', 'street', 'city', 'district', 'community', '06010', 'HWC'));
  return fc.oneof(
    { weight: 5, arbitrary: fc.dictionary(names.length ? fc.constantFrom(...names) : fc.string({ maxLength: 10 }), value, { maxKeys: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 'props', 1) },
  );
}

export interface GeoJsonOptions {
  /** Property names to use (harvested from the app's own exports). */
  propertyNames: readonly string[];
  /** Features exported by the app, to break one part of at a time. */
  features: readonly unknown[];
  /** The largest geometry to send (positions). */
  maxPoints: number;
}

/** FeatureCollections that are broken in one place, or whole documents that are not GeoJSON at all. */
export function brokenGeoJson(options: GeoJsonOptions): fc.Arbitrary<unknown> {
  const feature = fc.record({
    type: fc.oneof({ weight: 8, arbitrary: fc.constant('Feature') }, { weight: 1, arbitrary: fc.constantFrom('feature', 'FeatureCollection', null, 1) }),
    properties: properties(options.propertyNames),
    geometry: brokenGeometries(options.maxPoints),
  }, { requiredKeys: [] });
  const exported = options.features.length
    ? fc.tuple(fc.constantFrom(...options.features), brokenGeometries(Math.min(options.maxPoints, 1000)), fc.boolean())
      .map(([f, geometry, keepGeometry]) => (keepGeometry ? f : { ...(f as object), geometry }))
    : feature;
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.oneof(feature, exported), { minLength: 1, maxLength: 5 }).map((features) => ({ type: 'FeatureCollection', features })) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { type: 'FeatureCollection' }, { type: 'FeatureCollection', features: {} }, { type: 'FeatureCollection', features: [null, 1, 'x'] }, { type: 'Feature', geometry: null, properties: {} }, { features: [] }) },
    { weight: 1, arbitrary: brokenGeometries(options.maxPoints) },
    // many features: the whole file can hold millions of positions while each geometry keeps within its limit
    { weight: 1, arbitrary: fc.integer({ min: 2, max: Math.max(2, Math.floor(options.maxPoints / 1000)) }).map((n) => ({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: { code: `99${i}`, name: `f${i}` }, geometry: polygon(ring(1000)) })) })) },
  );
}

/**
 * Huge GeoJSON: one polygon just under, at or over the per-geometry limit, or a collection whose geometries
 * each keep within it while the whole file holds up to `maxPoints` positions. Properties are the app's own.
 */
export function hugeGeoJson(options: GeoJsonOptions): fc.Arbitrary<unknown> {
  const sizes = [99_999, 100_000, 100_001, options.maxPoints].filter((n, i, all) => n <= options.maxPoints && all.indexOf(n) === i);
  const template = (i: number) => {
    const f = options.features[i % Math.max(1, options.features.length)] as { properties?: object } | undefined;
    return { ...(f?.properties ?? {}), code: `${(f?.properties as { code?: string } | undefined)?.code ?? '99'}${i}` };
  };
  return fc.oneof(
    fc.tuple(fc.constantFrom(...sizes), fc.boolean()).map(([n, closed]) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: template(0), geometry: polygon(ring(n, { closed })) }] })),
    fc.constantFrom(10_000, 50_000).map((per) => ({
      type: 'FeatureCollection',
      features: Array.from({ length: Math.max(1, Math.floor(options.maxPoints / per)) }, (_, i) => ({ type: 'Feature', properties: template(i), geometry: polygon(ring(per, { center: [118.8 + 0.002 * (i % 4), 32.0005] })) })),
    })),
  );
}
