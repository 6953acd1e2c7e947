// Loaded lazily: the case map. No text layers: the default needs no tile server and so has no glyphs;
// cluster sizes and colours carry the counts.
//
// Built for 100,000 cases in view (bench/map.bench.ts measures it):
// - The compact points become GeoJSON text, handed to MapLibre's worker as a blob: URL, so the worker
//   parses it; a GeoJSON object would be walked and copied on the main thread (MapLibre's serialize),
//   which took most of a second at 100,000 points.
// - Each mode has its own source, loaded only when that mode is first shown (and again only when the
//   points change): switching modes does not send the data again.
// - The heat map draws clusters of a few pixels weighted by their count instead of every point: the same
//   density under an 18 px kernel, a few thousand kernels instead of 100,000 (software GL could not pan it).
// - Clusters and single cases are one circle layer (one shader program, one draw).
import { useEffect, useRef } from 'react';
import type { FeatureCollection } from '../api/portal.ts';
import { boundsOf, createMap, districtsOf, maplibregl, type GeoData } from './map-base.ts';

export type MapMode = 'cluster' | 'heat';
type Points = [number, number, number, number][];
const SOURCE: Record<MapMode, string> = { cluster: 'cases', heat: 'cases-heat' };
const LAYERS: Record<MapMode, string[]> = { cluster: ['cases'], heat: ['heat'] };
const IS_CLUSTER = ['has', 'point_count'];
const EMPTY = { type: 'FeatureCollection', features: [] } as unknown as GeoData;

/** The points as GeoJSON text: with each case's light and id for the cluster map, bare for the heat map. */
function geoJsonText(points: Points, withProperties: boolean): string {
  const parts = new Array<string>(points.length);
  for (let i = 0; i < points.length; i++) {
    const [lon, lat, l, id] = points[i]!;
    parts[i] = `{"type":"Feature","properties":${withProperties ? `{"l":${l},"id":${id}}` : '{}'},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`;
  }
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`;
}

/**
 * Each heat cluster weighs its count over a share of all the points in view, so that the colours show
 * where cases concentrate relative to the rest whether 3,000 or 100,000 are shown (weighed by the raw
 * count, the whole city saturated red). Roughly: a place holding a thousandth of the points is hot.
 */
function heatWeight(total: number): unknown {
  const unit = Math.max(1, total / 1000);
  return ['/', ['coalesce', ['get', 'point_count'], 1], unit];
}

export default function CaseMap({ territory, points, mode, onOpen }: { territory: FeatureCollection; points: Points; mode: MapMode; onOpen: (id: number) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  // The data to show once the style has loaded (the points may arrive first).
  const ready = useRef(false);
  const pending = useRef<(() => void) | null>(null);
  // Which apply() is the latest: only it may mark the map as rendered.
  const generation = useRef(0);
  // The points each source holds, and the blob: URLs made for them (revoked once no source needs them).
  const loaded = useRef<Record<MapMode, Points | null>>({ cluster: null, heat: null });
  const urls = useRef<{ url: string; inFlight: Promise<unknown>[] }[]>([]);

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current, 10);
    mapRef.current = map;
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', () => {
      map.addSource('districts', { type: 'geojson', data: districtsOf(territory) });
      map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': '#1c4f8c', 'line-width': 1.2 } });
      map.addSource(SOURCE.cluster, { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 16 });
      map.addSource(SOURCE.heat, { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 6, clusterMaxZoom: 16 });
      map.addLayer({ id: 'cases', type: 'circle', source: SOURCE.cluster, paint: {
        'circle-color': ['case', IS_CLUSTER,
          ['step', ['get', 'point_count'], '#7fb3e6', 50, '#f0b400', 500, '#e8743b', 5000, '#c62828'],
          ['match', ['get', 'l'], 1, '#2e9d4f', 2, '#f0b400', 3, '#d63b2f', '#8a99a8']] as never,
        'circle-radius': ['case', IS_CLUSTER, ['step', ['get', 'point_count'], 10, 50, 16, 500, 22, 5000, 30], 5] as never,
        'circle-opacity': ['case', IS_CLUSTER, 0.85, 1] as never, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
      } });
      map.addLayer({ id: 'heat', type: 'heatmap', source: SOURCE.heat, layout: { visibility: 'none' }, paint: {
        'heatmap-weight': heatWeight(0) as never, 'heatmap-radius': 18, 'heatmap-opacity': 0.8,
      } });
      const b = boundsOf(territory);
      if (b) map.fitBounds(b, { padding: 20, duration: 0 });
      ready.current = true;
      pending.current?.();
      pending.current = null;
    });
    map.on('click', 'cases', async (e) => {
      const feature = e.features?.[0];
      const clusterId = feature?.properties?.cluster_id as number | undefined;
      if (clusterId === undefined) {
        const id = feature?.properties?.id;
        if (typeof id === 'number') open.current(id);
        return;
      }
      const zoom = await (map.getSource(SOURCE.cluster) as maplibregl.GeoJSONSource).getClusterExpansionZoom(clusterId);
      map.easeTo({ center: (feature!.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom });
    });
    return () => {
      map.remove();
      mapRef.current = null;
      ready.current = false;
      loaded.current = { cluster: null, heat: null };
      for (const u of urls.current) URL.revokeObjectURL(u.url);
      urls.current = [];
    };
  }, [territory]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      const g = ++generation.current;
      const element = container.current;
      if (element) { delete element.dataset.renderedPoints; delete element.dataset.renderedMode; }
      let load: Promise<unknown> = Promise.resolve();
      // Only the shown mode's source gets the points now; the other gets them when it is shown.
      if (loaded.current[mode] !== points) {
        const source = map.getSource(SOURCE[mode]) as maplibregl.GeoJSONSource | undefined;
        if (source) {
          if (mode === 'heat' && map.getLayer('heat')) map.setPaintProperty('heat', 'heatmap-weight', heatWeight(points.length) as never);
          const url = URL.createObjectURL(new Blob([geoJsonText(points, mode === 'cluster')], { type: 'application/json' }));
          load = source.setData(url);
          loaded.current[mode] = points;
          const entry = { url, inFlight: [load] };
          // Earlier URLs: revoked once their loads have ended (the worker may still be fetching one).
          for (const old of urls.current) void Promise.allSettled(old.inFlight).then(() => URL.revokeObjectURL(old.url));
          urls.current = [entry];
        }
      }
      for (const m of ['cluster', 'heat'] as const) {
        for (const id of LAYERS[m]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', m === mode ? 'visible' : 'none');
      }
      // Once the worker has the data and the map has drawn it (its next idle), say so on the container:
      // data-rendered-points and data-rendered-mode, for tests and the map benchmark.
      void load.then(() => {
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
