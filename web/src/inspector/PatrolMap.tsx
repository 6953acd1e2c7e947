// Loaded lazily: the inspector's patrol map. The grids of their street, the tasks waiting for a visit
// (coloured by traffic light) and the phone's position, on the plain background every map shares.
import { useEffect, useRef } from 'react';
import type { TerritoryFeatureCollection } from '../api/territory.ts';
import { boundsOf, createMap, maplibregl, type GeoData } from '../map/map-base.ts';

const LIGHT_COLOR = ['match', ['get', 'light'], 'green', '#2e9d4f', 'yellow', '#f0b400', 'red', '#d63b2f', '#8a99a8'] as const;

export interface PatrolTask { id: number; location: [number, number]; light: string | null }

const points = (tasks: PatrolTask[]) => ({ type: 'FeatureCollection', features: tasks.map((t) => ({ type: 'Feature', properties: { id: t.id, light: t.light ?? '' }, geometry: { type: 'Point', coordinates: t.location } })) }) as unknown as GeoData;
const here = (position: [number, number] | null) => ({ type: 'FeatureCollection', features: position ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: position } }] : [] }) as unknown as GeoData;

export default function PatrolMap({ grids, tasks, position, currentGrid, onOpen }: { grids: TerritoryFeatureCollection; tasks: PatrolTask[]; position: [number, number] | null; currentGrid: string | null; onOpen: (id: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const latest = useRef({ tasks, position, currentGrid });
  latest.current = { tasks, position, currentGrid };
  const open = useRef(onOpen);
  open.current = onOpen;

  const apply = (map: maplibregl.Map) => {
    const { tasks: t, position: p, currentGrid: g } = latest.current;
    void (map.getSource('tasks') as maplibregl.GeoJSONSource | undefined)?.setData(points(t));
    void (map.getSource('here') as maplibregl.GeoJSONSource | undefined)?.setData(here(p));
    if (map.getLayer('grid-current')) map.setFilter('grid-current', ['==', ['get', 'code'], g ?? '']);
  };

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current, 13);
    mapRef.current = map;
    map.on('load', () => {
      map.addSource('grids', { type: 'geojson', data: grids as unknown as GeoData });
      map.addLayer({ id: 'grid-fill', type: 'fill', source: 'grids', paint: { 'fill-color': '#7fa7d6', 'fill-opacity': 0.12 } });
      map.addLayer({ id: 'grid-current', type: 'fill', source: 'grids', filter: ['==', ['get', 'code'], ''], paint: { 'fill-color': '#1f6feb', 'fill-opacity': 0.25 } });
      map.addLayer({ id: 'grid-line', type: 'line', source: 'grids', paint: { 'line-color': '#1c4f8c', 'line-width': 1 } });
      map.addSource('tasks', { type: 'geojson', data: points([]) });
      map.addLayer({ id: 'tasks', type: 'circle', source: 'tasks', paint: { 'circle-radius': 7, 'circle-color': LIGHT_COLOR as never, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
      map.addSource('here', { type: 'geojson', data: here(null) });
      map.addLayer({ id: 'here', type: 'circle', source: 'here', paint: { 'circle-radius': 8, 'circle-color': '#1f6feb', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } });
      const b = boundsOf(grids);
      if (b) map.fitBounds(b, { padding: 16, duration: 0 });
      apply(map);
    });
    map.on('click', 'tasks', (e) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'number') open.current(id);
    });
    return () => { map.remove(); mapRef.current = null; };
  }, [grids]);

  useEffect(() => {
    const map = mapRef.current;
    if (map?.isStyleLoaded()) apply(map);
  }, [tasks, position, currentGrid]);

  return <div ref={container} className="patrol-map" role="application" aria-label="patrol map" data-grids={grids.features.length} data-tasks={tasks.length} />;
}
