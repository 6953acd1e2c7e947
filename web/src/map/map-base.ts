// What every map of the app shares: MapLibre with its worker, and the style used when no tile server is
// configured (CITYOPS_MAP_STYLE_URL on the server sets one at run time, VITE_MAP_STYLE_URL at build time): a
// plain background under our GeoJSON layers. No text layers,
// since that style has no glyphs. Imported only by the lazily loaded map components, so maplibre-gl stays
// out of the main bundle.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { runtimeConfig } from '../runtime-config.ts';

maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
export type GeoData = Parameters<maplibregl.GeoJSONSource['setData']>[0];

const BLANK_STYLE: maplibregl.MapOptions['style'] = { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef2f5' } }] };

/** A map in the container, centred on Beijing until the data fits it, with the zoom buttons. */
export function createMap(container: HTMLElement, zoom: number): maplibregl.Map {
  const map = new maplibregl.Map({ container, style: runtimeConfig().mapStyleUrl || import.meta.env.VITE_MAP_STYLE_URL || BLANK_STYLE, center: [116.397, 39.909], zoom, attributionControl: false });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  return map;
}

/** The box around every coordinate of the features, or null when there are none. */
export function boundsOf(fc: { features: { geometry: unknown }[] }): maplibregl.LngLatBoundsLike | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) visit((f.geometry as { coordinates?: unknown } | null)?.coordinates);
  return b ? [[b[0], b[1]], [b[2], b[3]]] : null;
}

/** The district outlines of a territory collection, as a GeoJSON source's data. */
export function districtsOf(fc: { features: { properties: { level: string } }[] }): GeoData {
  return { ...fc, features: fc.features.filter((f) => f.properties.level === 'district') } as unknown as GeoData;
}
