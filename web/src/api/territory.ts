import { api, type Paged } from './client.ts';

export type TerritoryLevel = 'city' | 'district' | 'street' | 'community' | 'grid';
export const LEVELS: TerritoryLevel[] = ['city', 'district', 'street', 'community', 'grid'];
export type AreaClass = 1 | 2 | 3;

export const CHILD_LEVEL: Record<TerritoryLevel, TerritoryLevel | null> = {
  city: 'district', district: 'street', street: 'community', community: 'grid', grid: null,
};

export interface TerritoryNode {
  id: number;
  code: string;
  name: string;
  level: TerritoryLevel;
  kind: string | null;
  path: string;
  areaClass: AreaClass;
  areaM2: number;
  centroid: [number, number];
  bbox: [number, number, number, number];
  childCount?: number;
}

export interface ResponsibleUnit {
  departmentCode: string;
  departmentName: string;
  kind: string;
  duty: string;
}

/** A polygonal GeoJSON geometry (kept minimal: the map library reads it as-is). */
export interface PolygonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export interface TerritoryNodeDetail extends TerritoryNode {
  ancestors: { code: string; name: string; level: TerritoryLevel }[];
  responsibleUnits: ResponsibleUnit[];
  geometry?: PolygonGeometry;
}

export interface TerritoryFeatureProps {
  code: string;
  name: string;
  level: TerritoryLevel;
  parent_code: string | null;
  area_class: AreaClass;
  kind: string | null;
}

export interface TerritoryFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: TerritoryFeatureProps; geometry: PolygonGeometry }[];
}

export interface LocatedRef {
  code: string;
  name: string;
}

export interface LocateResult {
  found: boolean;
  lon?: number;
  lat?: number;
  areaClass?: AreaClass;
  grid?: LocatedRef | null;
  community?: LocatedRef | null;
  street?: LocatedRef | null;
  district?: LocatedRef | null;
}

export interface ImportResult {
  created: number;
  updated: number;
  byLevel: Record<string, number>;
}

export interface NodeQuery {
  level?: TerritoryLevel;
  parent?: string;
  within?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export const listNodes = (query: NodeQuery, signal?: AbortSignal) =>
  api.get<Paged<TerritoryNode>>('/api/territory/nodes', { ...query }, signal);

export const getNode = (code: string, geometry: boolean, signal?: AbortSignal) =>
  api.get<TerritoryNodeDetail>(`/api/territory/nodes/${encodeURIComponent(code)}`, { geometry }, signal);

export const updateNode = (code: string, patch: { name?: string; areaClass?: AreaClass }) =>
  api.patch<TerritoryNodeDetail>(`/api/territory/nodes/${encodeURIComponent(code)}`, patch);

export const exportSubtree = (root: string, levels: TerritoryLevel[], signal?: AbortSignal) =>
  api.get<TerritoryFeatureCollection>('/api/territory/export', { root, levels: levels.join(',') }, signal);

export const locatePoint = (lon: number, lat: number, signal?: AbortSignal) =>
  api.get<LocateResult>('/api/territory/locate', { lon, lat }, signal);

/** `geojson` is the file's text (already checked to be JSON), sent unchanged. */
export const importTerritory = (geojson: string) => api.post<ImportResult>('/api/territory/import', geojson);
