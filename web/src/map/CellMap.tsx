// Loaded lazily: the map of every case, for a city of millions. The server sums the cases in view into
// cells of about 64 px at the zoom (GET /api/cases/aggregate: from the reports kept per grid at city zoom,
// from an index at street zoom), and the map draws those cells, a few thousand at most, asking again after
// each pan or zoom. Nothing here grows with the number of cases; the open cases, which are few, keep the
// point map (CaseMap).
import { useEffect, useRef } from 'react';
import { caseCells, type CaseCells } from '../api/cases.ts';
import { isAbort } from '../api/client.ts';
import type { FeatureCollection } from '../api/portal.ts';
import type { MapMode } from './CaseMap.tsx';
import { boundsOf, createMap, districtsOf, maplibregl, type GeoData } from './map-base.ts';

const EMPTY = { type: 'FeatureCollection', features: [] } as unknown as GeoData;

function cellsGeoJson(answer: CaseCells): GeoData {
  return {
    type: 'FeatureCollection',
    features: answer.cells.map(([lon, lat, n, red, yellow]) => ({ type: 'Feature', properties: { n, red, yellow }, geometry: { type: 'Point', coordinates: [lon, lat] } })),
  } as unknown as GeoData;
}

/**
 * Heat: each cell weighs its count over the fullest cell's, so the colours show where cases concentrate
 * relative to the rest of the view at any zoom (a cell of 64 px holds far more than a point's share).
 */
const heatWeight = (fullest: number) => ['/', ['get', 'n'], Math.max(1, fullest)];

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export default function CellMap({ territory, mode, light, onTotal, onError }: {
  territory: FeatureCollection; mode: MapMode; light: string; onTotal: (total: number) => void; onError: (error: unknown) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const refreshRef = useRef<() => void>(() => undefined);
  const modeRef = useRef(mode);
  const props = useRef({ light, onTotal, onError });
  props.current = { light, onTotal, onError };

  useEffect(() => {
    if (!container.current) return;
    const element = container.current;
    const map = createMap(element, 10);
    mapRef.current = map;
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    let inFlight: AbortController | null = null;
    let generation = 0;
    const refresh = () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const g = ++generation;
      delete element.dataset.renderedCases;
      const b = map.getBounds();
      const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((x) => x.toFixed(6)).join(',');
      // MapLibre draws 512-px tiles: 64 px at its zoom z is the server's 64 px of a 256-px tile at z + 1.
      const zoom = clamp(Math.round(map.getZoom()) + 1, 0, 22);
      caseCells({ bbox, zoom, light: props.current.light || undefined }, controller.signal).then((answer) => {
        if (g !== generation) return;
        (map.getSource('cells') as maplibregl.GeoJSONSource | undefined)?.setData(cellsGeoJson(answer));
        if (map.getLayer('cells-heat')) map.setPaintProperty('cells-heat', 'heatmap-weight', heatWeight(answer.cells.reduce((m, c) => Math.max(m, c[2]), 0)) as never);
        props.current.onTotal(answer.total);
        map.once('idle', () => {
          if (g !== generation) return;
          element.dataset.renderedCases = String(answer.total);
          element.dataset.renderedMode = modeRef.current;
        });
        map.triggerRepaint();
      }, (error: unknown) => { if (!isAbort(error)) props.current.onError(error); });
    };
    refreshRef.current = refresh;
    map.on('load', () => {
      map.addSource('districts', { type: 'geojson', data: districtsOf(territory) });
      map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#1c4f8c', 'line-width': 1.2 } });
      map.addSource('cells', { type: 'geojson', data: EMPTY });
      map.addLayer({ id: 'cells', type: 'circle', source: 'cells', layout: { visibility: modeRef.current === 'cluster' ? 'visible' : 'none' }, paint: {
        // Red where a case in the cell is overdue, yellow where one is close to it, else blue by size.
        'circle-color': ['case', ['>', ['get', 'red'], 0], '#d63b2f', ['>', ['get', 'yellow'], 0], '#f0b400',
          ['step', ['get', 'n'], '#7fb3e6', 100, '#4a7fc1', 1000, '#1c4f8c']] as never,
        'circle-radius': ['step', ['get', 'n'], 6, 10, 10, 100, 14, 1000, 19, 10000, 25, 100000, 32] as never,
        'circle-opacity': 0.85, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
      } });
      map.addLayer({ id: 'cells-heat', type: 'heatmap', source: 'cells', layout: { visibility: modeRef.current === 'heat' ? 'visible' : 'none' }, paint: {
        // A kernel about as wide as a cell, so that neighbouring cells blend into one surface.
        'heatmap-weight': heatWeight(1) as never, 'heatmap-radius': 48, 'heatmap-opacity': 0.8,
      } });
      const bounds = boundsOf(territory);
      if (bounds) map.fitBounds(bounds, { padding: 20, duration: 0 });
      map.on('moveend', refresh);
      refresh();
    });
    // A cell opens into its cases: zoom in on it, and the next answer has finer cells.
    map.on('click', 'cells', (e) => {
      const feature = e.features?.[0];
      if (!feature) return;
      map.easeTo({ center: (feature.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom: Math.min(20, map.getZoom() + 2) });
    });
    return () => {
      inFlight?.abort();
      map.remove();
      mapRef.current = null;
    };
  }, [territory]);

  // A new light filter asks again for the same view.
  useEffect(() => { refreshRef.current(); }, [light]);

  useEffect(() => {
    modeRef.current = mode;
    const map = mapRef.current;
    const element = container.current;
    if (!map || !element) return;
    for (const [id, shown] of [['cells', mode === 'cluster'], ['cells-heat', mode === 'heat']] as const) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', shown ? 'visible' : 'none');
    }
    const total = element.dataset.renderedCases;
    if (total !== undefined) {
      delete element.dataset.renderedMode;
      map.once('idle', () => { element.dataset.renderedMode = mode; });
      map.triggerRepaint();
    }
  }, [mode]);

  return <div ref={container} className="case-map" role="application" aria-label="case map" />;
}
