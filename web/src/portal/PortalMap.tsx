// Loaded lazily: the portal's map, to put a report's point. District outlines from the public API on a
// plain background (no tile server needed; CITYOPS_MAP_STYLE_URL sets one), a red dot where the reporter tapped.
import { useEffect, useRef } from 'react';
import type { FeatureCollection } from '../api/portal.ts';
import { boundsOf, createMap, districtsOf, maplibregl } from '../map/map-base.ts';


export default function PortalMap({ territory, point, onPick }: { territory: FeatureCollection; point: [number, number] | null; onPick: (lon: number, lat: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current, 10);
    mapRef.current = map;
    map.on('load', () => {
      map.addSource('districts', { type: 'geojson', data: districtsOf(territory) });
      map.addSource('point', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#7fa7d6', 'fill-opacity': 0.18 } });
      map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#1c4f8c', 'line-width': 1.5 } });
      map.addLayer({ id: 'point', type: 'circle', source: 'point', paint: { 'circle-radius': 8, 'circle-color': '#c62828', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
      const b = boundsOf(territory);
      if (b) map.fitBounds(b, { padding: 20, duration: 0 });
    });
    map.on('click', (e) => pick.current(Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6));
    return () => { map.remove(); mapRef.current = null; };
  }, [territory]);

  useEffect(() => {
    const map = mapRef.current;
    const apply = () => {
      const src = map?.getSource('point') as maplibregl.GeoJSONSource | undefined;
      void src?.setData({ type: 'FeatureCollection', features: point ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } }] : [] });
    };
    if (map?.isStyleLoaded()) apply();
    else map?.once('load', apply);
  }, [point]);

  return <div ref={container} className="portal-map" role="application" aria-label="map" />;
}
