// Loaded lazily: the portal's map, to put a report's point. District outlines from the public API on a
// plain background (no tile server needed; VITE_MAP_STYLE_URL sets one), a red dot where the reporter tapped.
import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection } from '../api/portal.ts';

maplibregl.setWorkerUrl(workerUrl);
type GeoData = Parameters<maplibregl.GeoJSONSource['setData']>[0];
const BLANK_STYLE: maplibregl.MapOptions['style'] = { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef2f5' } }] };

function bounds(fc: FeatureCollection): maplibregl.LngLatBoundsLike | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) visit((f.geometry as { coordinates?: unknown }).coordinates);
  return b ? [[b[0], b[1]], [b[2], b[3]]] : null;
}

export default function PortalMap({ territory, point, onPick }: { territory: FeatureCollection; point: [number, number] | null; onPick: (lon: number, lat: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const map = new maplibregl.Map({ container: container.current, style: import.meta.env.VITE_MAP_STYLE_URL || BLANK_STYLE, center: [116.397, 39.909], zoom: 10, attributionControl: false });
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.on('load', () => {
      map.addSource('districts', { type: 'geojson', data: { ...territory, features: territory.features.filter((f) => f.properties.level === 'district') } as unknown as GeoData });
      map.addSource('point', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'districts-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#7fa7d6', 'fill-opacity': 0.18 } });
      map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#1c4f8c', 'line-width': 1.5 } });
      map.addLayer({ id: 'point', type: 'circle', source: 'point', paint: { 'circle-radius': 8, 'circle-color': '#c62828', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
      const b = bounds(territory);
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
