// Loaded lazily: the case map. Points come as compact arrays and become one GeoJSON source that MapLibre
// clusters in its worker (or draws as a heat map), so 100,000 cases in view stay fluid. No text layers:
// the default needs no tile server and so has no glyphs; cluster sizes and colours carry the counts.
import { useEffect, useRef } from 'react';
import type { FeatureCollection } from '../api/portal.ts';
import { boundsOf, createMap, districtsOf, maplibregl, type GeoData } from './map-base.ts';
const LIGHT_COLOR = ['match', ['get', 'l'], 1, '#2e9d4f', 2, '#f0b400', 3, '#d63b2f', '#8a99a8'] as const;

export type MapMode = 'cluster' | 'heat';

function toGeoJson(points: [number, number, number, number][]) {
  return { type: 'FeatureCollection', features: points.map(([lon, lat, l, id]) => ({ type: 'Feature', properties: { l, id }, geometry: { type: 'Point', coordinates: [lon, lat] } })) };
}


export default function CaseMap({ territory, points, mode, onOpen }: { territory: FeatureCollection; points: [number, number, number, number][]; mode: MapMode; onOpen: (id: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  // The data to show once the style has loaded (the points may arrive first).
  const ready = useRef(false);
  const pending = useRef<(() => void) | null>(null);
  // Which apply() is the latest: only it may mark the map as rendered.
  const generation = useRef(0);

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current, 10);
    mapRef.current = map;
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', () => {
      map.addSource('districts', { type: 'geojson', data: districtsOf(territory) });
      map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#1c4f8c', 'line-width': 1.2 } });
      map.addSource('cases', { type: 'geojson', data: toGeoJson([]) as unknown as GeoData, cluster: true, clusterRadius: 40, clusterMaxZoom: 16 });
      map.addSource('cases-raw', { type: 'geojson', data: toGeoJson([]) as unknown as GeoData });
      map.addLayer({ id: 'clusters', type: 'circle', source: 'cases', filter: ['has', 'point_count'], paint: {
        'circle-color': ['step', ['get', 'point_count'], '#7fb3e6', 50, '#f0b400', 500, '#e8743b', 5000, '#c62828'],
        'circle-radius': ['step', ['get', 'point_count'], 10, 50, 16, 500, 22, 5000, 30], 'circle-opacity': 0.85, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
      } });
      map.addLayer({ id: 'case-points', type: 'circle', source: 'cases', filter: ['!', ['has', 'point_count']], paint: { 'circle-radius': 5, 'circle-color': LIGHT_COLOR as never, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
      map.addLayer({ id: 'heat', type: 'heatmap', source: 'cases-raw', layout: { visibility: 'none' }, paint: { 'heatmap-radius': 18, 'heatmap-opacity': 0.8 } });
      const b = boundsOf(territory);
      if (b) map.fitBounds(b, { padding: 20, duration: 0 });
      ready.current = true;
      pending.current?.();
      pending.current = null;
    });
    map.on('click', 'clusters', async (e) => {
      const feature = e.features?.[0];
      const id = feature?.properties?.cluster_id as number | undefined;
      if (id === undefined) return;
      const zoom = await (map.getSource('cases') as maplibregl.GeoJSONSource).getClusterExpansionZoom(id);
      map.easeTo({ center: (feature!.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom });
    });
    map.on('click', 'case-points', (e) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'number') open.current(id);
    });
    return () => { map.remove(); mapRef.current = null; ready.current = false; };
  }, [territory]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      const g = ++generation.current;
      const element = container.current;
      if (element) { delete element.dataset.renderedPoints; delete element.dataset.renderedMode; }
      const data = toGeoJson(points) as unknown as GeoData;
      const loaded = Promise.all([
        (map.getSource('cases') as maplibregl.GeoJSONSource | undefined)?.setData(data),
        (map.getSource('cases-raw') as maplibregl.GeoJSONSource | undefined)?.setData(data),
      ]);
      for (const id of ['clusters', 'case-points']) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', mode === 'cluster' ? 'visible' : 'none');
      if (map.getLayer('heat')) map.setLayoutProperty('heat', 'visibility', mode === 'heat' ? 'visible' : 'none');
      // Once the worker has the data and the map has drawn it (its next idle), say so on the container:
      // data-rendered-points and data-rendered-mode, for tests and the map benchmark.
      void loaded.then(() => {
        if (g !== generation.current) return;
        map.once('idle', () => {
          if (g !== generation.current || !element) return;
          element.dataset.renderedPoints = String(points.length);
          element.dataset.renderedMode = mode;
        });
        map.triggerRepaint();
      }, () => undefined);
    };
    if (ready.current) apply();
    else pending.current = apply;
  }, [points, mode]);

  return <div ref={container} className="case-map" role="application" aria-label="case map" />;
}
