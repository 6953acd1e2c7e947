// Similar-case detection (疑似重复/并案): same class within 50 m and 24 h (smart_cityguard's rule).

export interface DuplicateRule {
  radiusM: number;
  windowMs: number;
}

export const DEFAULT_DUPLICATE_RULE: Readonly<DuplicateRule> = Object.freeze({ radiusM: 50, windowMs: 24 * 3_600_000 });

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine): exact enough at 50 m and cheap. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = toRad(lat2 - lat1);
  const dLon = toRad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A lon/lat box that contains every point within radiusM of the centre: the index prefilter. */
export function searchBox(lon: number, lat: number, radiusM: number): { minLon: number; minLat: number; maxLon: number; maxLat: number } {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLon = dLat / Math.max(Math.cos(toRad(lat)), 1e-6);
  return { minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat };
}
