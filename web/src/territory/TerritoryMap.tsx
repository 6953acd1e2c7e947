// Loaded lazily (React.lazy in TerritoryPage): maplibre-gl and its worker stay out of the main bundle.
import { useEffect, useRef, useState } from 'react';
import type { TerritoryFeatureCollection, TerritoryNodeDetail } from '../api/territory.ts';
import { createMap, maplibregl, type GeoData } from '../map/map-base.ts';
import { AREA_CLASS_COLORS } from './style.ts';

const EMPTY: TerritoryFeatureCollection = { type: 'FeatureCollection', features: [] };

const CLASS_COLOR = ['match', ['get', 'area_class'], 1, AREA_CLASS_COLORS[1], 2, AREA_CLASS_COLORS[2], 3, AREA_CLASS_COLORS[3], '#8a99a8'] as const;

export interface TerritoryMapProps {
  focus: TerritoryNodeDetail | null;
  childFeatures: TerritoryFeatureCollection | null;
  locating: boolean;
  marker: [number, number] | null;
  onSelect: (code: string) => void;
  onLocate: (lon: number, lat: number) => void;
}

interface Hover {
  name: string;
  code: string;
  x: number;
  y: number;
}

function focusFeature(focus: TerritoryNodeDetail | null): TerritoryFeatureCollection {
  if (!focus?.geometry) return EMPTY;
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: focus.geometry, properties: { code: focus.code, name: focus.name, level: focus.level, parent_code: null, area_class: focus.areaClass, kind: focus.kind } }],
  };
}

function addLayers(map: maplibregl.Map): void {
  map.addSource('focus', { type: 'geojson', data: EMPTY as unknown as GeoData });
  map.addSource('children', { type: 'geojson', data: EMPTY as unknown as GeoData, promoteId: 'code' });
  map.addSource('marker', { type: 'geojson', data: EMPTY as unknown as GeoData });
  map.addLayer({ id: 'focus-fill', type: 'fill', source: 'focus', paint: { 'fill-color': CLASS_COLOR as never, 'fill-opacity': 0.18 } });
  map.addLayer({
    id: 'children-fill', type: 'fill', source: 'children',
    paint: { 'fill-color': CLASS_COLOR as never, 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.75, 0.45] },
  });
  map.addLayer({ id: 'children-line', type: 'line', source: 'children', paint: { 'line-color': '#ffffff', 'line-width': 1.2 } });
  map.addLayer({ id: 'focus-line', type: 'line', source: 'focus', paint: { 'line-color': '#1c4f8c', 'line-width': 2.5 } });
  map.addLayer({
    id: 'marker', type: 'circle', source: 'marker',
    paint: { 'circle-radius': 6, 'circle-color': '#c62828', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
  });
}

function setData(map: maplibregl.Map, source: string, data: unknown): void {
  const src = map.getSource(source) as maplibregl.GeoJSONSource | undefined;
  void src?.setData(data as GeoData);
}

export default function TerritoryMap(props: TerritoryMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const latest = useRef(props);
  latest.current = props;
  // The map whose style has loaded (not just a boolean: StrictMode mounts twice, and a stale map's
  // late 'load' must not mark the current one ready).
  const [readyMap, setReadyMap] = useState<maplibregl.Map | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const fitted = useRef<string | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current, 9);
    mapRef.current = map;
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', () => {
      if (mapRef.current !== map) return;
      addLayers(map);
      setReadyMap(map);
    });
    map.on('click', (event) => {
      const p = latest.current;
      if (p.locating) {
        p.onLocate(event.lngLat.lng, event.lngLat.lat);
        return;
      }
      const hit = map.queryRenderedFeatures(event.point, { layers: ['children-fill'] })[0];
      const code = hit?.properties?.code;
      if (typeof code === 'string') p.onSelect(code);
    });
    let hovered: string | null = null;
    const clearHover = () => {
      if (hovered !== null) map.setFeatureState({ source: 'children', id: hovered }, { hover: false });
      hovered = null;
      setHover(null);
    };
    map.on('mousemove', 'children-fill', (event) => {
      const feature = event.features?.[0];
      const code = feature?.properties?.code;
      if (typeof code !== 'string') return;
      if (hovered !== code) {
        clearHover();
        hovered = code;
        map.setFeatureState({ source: 'children', id: code }, { hover: true });
      }
      setHover({ code, name: String(feature?.properties?.name ?? ''), x: event.point.x, y: event.point.y });
    });
    map.on('mouseleave', 'children-fill', clearHover);
    const observer = new ResizeObserver(() => map.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      map.remove();
      mapRef.current = null;
      fitted.current = null;
      setReadyMap(null);
    };
  }, []);

  useEffect(() => {
    const map = readyMap;
    if (!map) return;
    setData(map, 'focus', focusFeature(props.focus));
    // Re-fit only when the selection moves, not when the same node is reloaded after an edit.
    if (props.focus && fitted.current !== props.focus.code) {
      fitted.current = props.focus.code;
      const [minLon, minLat, maxLon, maxLat] = props.focus.bbox;
      map.fitBounds([[minLon, minLat], [maxLon, maxLat]], { padding: 36, duration: 400, maxZoom: 18 });
    }
  }, [readyMap, props.focus]);

  useEffect(() => {
    if (readyMap) setData(readyMap, 'children', props.childFeatures ?? EMPTY);
  }, [readyMap, props.childFeatures]);

  useEffect(() => {
    if (!readyMap) return;
    const m = props.marker;
    setData(readyMap, 'marker', m ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: m } }] } : EMPTY);
  }, [readyMap, props.marker]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = props.locating ? 'crosshair' : hover ? 'pointer' : '';
  }, [props.locating, hover]);

  return (
    <div className="map-wrap">
      <div ref={container} className="map" />
      {hover && !props.locating && (
        <div className="map-tip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <strong>{hover.name}</strong>
          <div className="mono">{hover.code}</div>
        </div>
      )}
    </div>
  );
}
