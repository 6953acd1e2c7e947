import type { FieldIssue } from '../errors.ts';
import { localFrame, ringSignedAreaM2, type BBox, type Position } from './geometry.ts';

/**
 * Structural checks of imported GeoJSON (RFC 7946) before anything is stored. Every problem is
 * reported with the path of the offending value, e.g. `geometry.coordinates[0][3][1]`, so a user can
 * fix a whole file in one pass.
 *
 * Not checked, on purpose: ring winding (RFC 7946 says parsers should not reject either winding),
 * self-intersection and holes lying inside their exterior ring (quadratic in the vertex count; the
 * point-in-polygon test still gives an answer for such input, just not a meaningful one).
 */
export interface GeometryValidationOptions {
  /** Refuse geometries with more positions than this (default 100,000): a grid is ~10 vertices. */
  maxVertices?: number;
  /** Stop listing issues after this many (default 100), so a broken file cannot flood the response. */
  maxIssues?: number;
}

const DEFAULT_MAX_VERTICES = 100_000;
const DEFAULT_MAX_ISSUES = 100;
const MIN_RING_AREA_M2 = 1e-6;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
}

class Collector {
  readonly issues: FieldIssue[] = [];
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get full(): boolean {
    return this.issues.length >= this.max;
  }
  add(field: string, message: string): void {
    if (this.issues.length < this.max) this.issues.push({ field, message });
  }
}

/** Validates a GeoJSON Polygon or MultiPolygon; an empty list means it is usable as a territory polygon. */
export function validateGeometry(value: unknown, path = 'geometry', options: GeometryValidationOptions = {}): FieldIssue[] {
  const maxVertices = options.maxVertices ?? DEFAULT_MAX_VERTICES;
  const out = new Collector(options.maxIssues ?? DEFAULT_MAX_ISSUES);
  if (!isObject(value)) {
    out.add(path, `must be a GeoJSON Polygon or MultiPolygon object, got ${describe(value)}`);
    return out.issues;
  }
  const type = value.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    out.add(`${path}.type`, `must be "Polygon" or "MultiPolygon", got ${describe(type)}`);
    return out.issues;
  }
  const coordinates = value.coordinates;
  const at = `${path}.coordinates`;
  if (!Array.isArray(coordinates)) {
    out.add(at, `must be an array, got ${describe(coordinates)}`);
    return out.issues;
  }
  // Count first: a file with millions of positions is refused before any per-position work.
  const polygons: { rings: unknown[]; path: string }[] = [];
  if (type === 'Polygon') {
    polygons.push({ rings: coordinates, path: at });
  } else {
    if (coordinates.length === 0) out.add(at, 'a MultiPolygon needs at least one polygon');
    coordinates.forEach((polygon, p) => {
      if (Array.isArray(polygon)) polygons.push({ rings: polygon, path: `${at}[${p}]` });
      else out.add(`${at}[${p}]`, `must be an array of rings, got ${describe(polygon)}`);
    });
  }
  let vertices = 0;
  for (const polygon of polygons) for (const ring of polygon.rings) if (Array.isArray(ring)) vertices += ring.length;
  if (vertices > maxVertices) {
    out.add(at, `has ${vertices} positions, more than the limit of ${maxVertices}`);
    return out.issues;
  }
  for (const polygon of polygons) {
    if (polygon.rings.length === 0) out.add(polygon.path, 'a polygon needs an exterior ring');
    polygon.rings.forEach((ring, r) => {
      if (!out.full) validateRing(ring, `${polygon.path}[${r}]`, out);
    });
  }
  return out.issues;
}

function validateRing(ring: unknown, path: string, out: Collector): void {
  if (!Array.isArray(ring)) {
    out.add(path, `must be an array of positions, got ${describe(ring)}`);
    return;
  }
  let positionsOk = true;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let k = 0; k < ring.length && !out.full; k++) {
    const p: unknown = ring[k];
    const at = `${path}[${k}]`;
    if (!Array.isArray(p)) {
      out.add(at, `must be a position [lon, lat], got ${describe(p)}`);
      positionsOk = false;
      continue;
    }
    if (p.length < 2 || p.length > 3) {
      out.add(at, `a position has 2 numbers [lon, lat] (or 3 with altitude), got ${p.length}`);
      positionsOk = false;
      continue;
    }
    const [lon, lat, alt] = p as unknown[];
    if (typeof lon !== 'number' || !Number.isFinite(lon)) {
      out.add(`${at}[0]`, `longitude must be a finite number, got ${describe(lon)}`);
      positionsOk = false;
    } else if (lon < -180 || lon > 180) {
      out.add(`${at}[0]`, `longitude must be between -180 and 180, got ${lon}`);
      positionsOk = false;
    }
    if (typeof lat !== 'number' || !Number.isFinite(lat)) {
      out.add(`${at}[1]`, `latitude must be a finite number, got ${describe(lat)}`);
      positionsOk = false;
    } else if (lat < -90 || lat > 90) {
      out.add(`${at}[1]`, `latitude must be between -90 and 90, got ${lat}`);
      positionsOk = false;
    }
    if (p.length === 3 && (typeof alt !== 'number' || !Number.isFinite(alt))) {
      out.add(`${at}[2]`, `altitude must be a finite number, got ${describe(alt)}`);
      positionsOk = false;
    }
    if (positionsOk) {
      const x = lon as number;
      const y = lat as number;
      if (x < minLon) minLon = x;
      if (x > maxLon) maxLon = x;
      if (y < minLat) minLat = y;
      if (y > maxLat) maxLat = y;
    }
  }
  if (ring.length < 4) {
    out.add(path, `a ring needs at least 4 positions (a closed triangle), got ${ring.length}`);
    return;
  }
  if (!positionsOk) return;
  const positions = ring as Position[];
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    out.add(path, `ring is not closed: the last position ${JSON.stringify(last)} must repeat the first ${JSON.stringify(first)}`);
    return;
  }
  const bbox: BBox = [minLon, minLat, maxLon, maxLat];
  // Collinear positions written in decimal degrees do not stay exactly collinear in binary (≈1.5 nm
  // per coordinate), so "zero" means below a tolerance that grows with the ring's size.
  const frame = localFrame(bbox);
  const diagonal = Math.hypot((maxLon - minLon) * frame.kx, (maxLat - minLat) * frame.ky);
  if (Math.abs(ringSignedAreaM2(positions, frame)) <= MIN_RING_AREA_M2 + 1e-9 * diagonal * diagonal) {
    out.add(path, 'ring has zero area (its positions lie on one line)');
  }
}

/**
 * Validates the envelope of a FeatureCollection: the collection, the features array and each
 * feature's type and properties. Geometries are left to validateGeometry, called per feature so its
 * issues can carry the feature's row.
 */
export function validateFeatureCollection(value: unknown, options: { maxIssues?: number } = {}): FieldIssue[] {
  const out = new Collector(options.maxIssues ?? DEFAULT_MAX_ISSUES);
  if (!isObject(value)) {
    out.add('', `must be a GeoJSON FeatureCollection object, got ${describe(value)}`);
    return out.issues;
  }
  if (value.type !== 'FeatureCollection') out.add('type', `must be "FeatureCollection", got ${describe(value.type)}`);
  const features = value.features;
  if (!Array.isArray(features)) {
    out.add('features', `must be an array of features, got ${describe(features)}`);
    return out.issues;
  }
  for (let i = 0; i < features.length && !out.full; i++) {
    const feature: unknown = features[i];
    const at = `features[${i}]`;
    if (!isObject(feature)) {
      out.add(at, `must be a GeoJSON Feature object, got ${describe(feature)}`);
      continue;
    }
    if (feature.type !== 'Feature') out.add(`${at}.type`, `must be "Feature", got ${describe(feature.type)}`);
    if (!isObject(feature.properties)) out.add(`${at}.properties`, `must be an object, got ${describe(feature.properties)}`);
  }
  return out.issues;
}
