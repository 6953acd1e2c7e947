/**
 * GeoJSON polygon types (RFC 7946, WGS84 [lon, lat]) and the few planar measures the territory needs:
 * bounding box, area and centroid.
 *
 * Measures use a local equirectangular projection centred on the geometry's own bbox: one degree of
 * longitude is N·cos φ₀·π/180 m and one degree of latitude is M·π/180 m, with N and M the WGS84 radii of
 * curvature (prime vertical, meridian) at the bbox's middle latitude φ₀. Error budget:
 *   - a 万米单元网格 (~100 m, ~1 ha): the scale varies by ~tan φ·Δφ ≈ 1e-5 across it and the first-order
 *     terms cancel about φ₀, so the area is right to better than 1e-6 relative (≪ 1 cm²);
 *   - a district or a whole city (tens of km): the dropped terms grow with (Δφ)², below 1e-4 relative
 *     at 50 km north–south; good enough for reports, not for cadastral work.
 * Geodesic (ellipsoidal) area would change nothing visible at these sizes and costs far more.
 */

/** [lon, lat], optionally followed by an altitude, which every measure here ignores. */
export type Position = [number, number, ...number[]];
/** A linear ring: closed (last position equals the first), at least 4 positions. */
export type Ring = Position[];

export interface Polygon {
  type: 'Polygon';
  /** Exterior ring first, then holes. */
  coordinates: Ring[];
}

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}

export type PolygonalGeometry = Polygon | MultiPolygon;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

const WGS84_A = 6_378_137;
const WGS84_E2 = 0.006_694_379_990_14;
const DEG = Math.PI / 180;

/** Polygons of a geometry as ring lists, so callers need not branch on the type. */
export function polygonsOf(geometry: PolygonalGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function bboxOf(geometry: PolygonalGeometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygonsOf(geometry)) {
    // Holes lie inside the exterior ring, so the exterior alone bounds the polygon.
    const exterior = polygon[0];
    if (!exterior) continue;
    for (const p of exterior) {
      if (p[0] < minLon) minLon = p[0];
      if (p[0] > maxLon) maxLon = p[0];
      if (p[1] < minLat) minLat = p[1];
      if (p[1] > maxLat) maxLat = p[1];
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** Metres per degree of longitude and of latitude at a latitude (WGS84 ellipsoid). */
export function metresPerDegree(latDeg: number): { lon: number; lat: number } {
  const s = Math.sin(latDeg * DEG);
  const w = 1 - WGS84_E2 * s * s;
  const n = WGS84_A / Math.sqrt(w);
  const m = (WGS84_A * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return { lon: n * Math.cos(latDeg * DEG) * DEG, lat: m * DEG };
}

/** The local projection used by the measures: origin and metres per degree. */
export interface LocalFrame {
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
}

export function localFrame(bbox: BBox): LocalFrame {
  const lon0 = (bbox[0] + bbox[2]) / 2;
  const lat0 = (bbox[1] + bbox[3]) / 2;
  const k = metresPerDegree(lat0);
  return { lon0, lat0, kx: k.lon, ky: k.lat };
}

/**
 * Signed shoelace area of a ring in the frame, in m²: positive when counter-clockwise (an RFC 7946
 * exterior ring), negative when clockwise. Coordinates are taken relative to the origin so the
 * products do not lose precision.
 */
export function ringSignedAreaM2(ring: readonly Position[], frame: LocalFrame): number {
  let twice = 0;
  const n = ring.length;
  if (n < 3) return 0;
  const last = ring[n - 1]!;
  let px = (last[0] - frame.lon0) * frame.kx;
  let py = (last[1] - frame.lat0) * frame.ky;
  for (let i = 0; i < n; i++) {
    const p = ring[i]!;
    const x = (p[0] - frame.lon0) * frame.kx;
    const y = (p[1] - frame.lat0) * frame.ky;
    twice += px * y - x * py;
    px = x;
    py = y;
  }
  return twice / 2;
}

/** Area in m²: each exterior ring minus its holes, whatever the winding of the input. */
export function areaM2(geometry: PolygonalGeometry): number {
  const frame = localFrame(bboxOf(geometry));
  let area = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, i) => {
      const a = Math.abs(ringSignedAreaM2(ring, frame));
      area += i === 0 ? a : -a;
    });
  }
  return area;
}

/**
 * Area-weighted centroid [lon, lat] (holes subtracted). Not necessarily inside a concave polygon;
 * a degenerate (zero-area) geometry falls back to the mean of its exterior vertices.
 */
export function centroidOf(geometry: PolygonalGeometry): [number, number] {
  const frame = localFrame(bboxOf(geometry));
  let sumA = 0;
  let sumX = 0;
  let sumY = 0;
  let vertices = 0;
  let meanX = 0;
  let meanY = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, ringIndex) => {
      const n = ring.length;
      if (n < 3) return;
      // Orient every ring so exteriors add and holes subtract.
      const sign = Math.sign(ringSignedAreaM2(ring, frame)) * (ringIndex === 0 ? 1 : -1);
      const last = ring[n - 1]!;
      let px = (last[0] - frame.lon0) * frame.kx;
      let py = (last[1] - frame.lat0) * frame.ky;
      for (let i = 0; i < n; i++) {
        const p = ring[i]!;
        const x = (p[0] - frame.lon0) * frame.kx;
        const y = (p[1] - frame.lat0) * frame.ky;
        const cross = (px * y - x * py) * sign;
        sumA += cross;
        sumX += (px + x) * cross;
        sumY += (py + y) * cross;
        if (ringIndex === 0) {
          meanX += x;
          meanY += y;
          vertices++;
        }
        px = x;
        py = y;
      }
    });
  }
  let x: number;
  let y: number;
  if (Math.abs(sumA) > 1e-9) {
    x = sumX / (3 * sumA);
    y = sumY / (3 * sumA);
  } else if (vertices > 0) {
    x = meanX / vertices;
    y = meanY / vertices;
  } else {
    return [NaN, NaN];
  }
  return [frame.lon0 + x / frame.kx, frame.lat0 + y / frame.ky];
}

export function samePosition(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** A ring is closed when its last position repeats the first (RFC 7946 §3.1.6). */
export function isRingClosed(ring: readonly Position[]): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length > 1 && first !== undefined && last !== undefined && samePosition(first, last);
}

/** The ring, closed: returned as is when already closed, else a copy with the first position appended. */
export function closeRing(ring: Ring): Ring {
  const first = ring[0];
  if (first === undefined || isRingClosed(ring)) return ring;
  return [...ring, [first[0], first[1]]];
}

/** Same geometry with every ring closed (for lenient imports). */
export function closeRings<G extends PolygonalGeometry>(geometry: G): G {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(closeRing) };
  return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(closeRing)) };
}

/** Number of positions, closing ones included. */
export function vertexCount(geometry: PolygonalGeometry): number {
  let n = 0;
  for (const polygon of polygonsOf(geometry)) for (const ring of polygon) n += ring.length;
  return n;
}
