import { areaM2, bboxOf, centroidOf, type PolygonalGeometry } from '@cityops/domain/geo/geometry';

/** Derived columns stored next to a polygon, so lists and map viewports need not parse GeoJSON. */
export interface GeometryFacts {
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_m2: number;
  centroid_lon: number;
  centroid_lat: number;
}

export function geometryFacts(geometry: PolygonalGeometry): GeometryFacts {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(geometry);
  const [lon, lat] = centroidOf(geometry);
  return {
    min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat,
    area_m2: Math.round(areaM2(geometry) * 100) / 100,
    centroid_lon: lon, centroid_lat: lat,
  };
}
