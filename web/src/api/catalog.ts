import { api, type Paged } from './client.ts';

export type ClassKind = 'component' | 'matter';
export type ClassOrigin = 'standard' | 'derived' | 'extension';

export interface CatalogClass {
  id: number;
  kind: ClassKind;
  majorCode: string;
  majorName: string;
  code: string;
  name: string;
  origin: ClassOrigin;
  sourceNote: string | null;
  active: boolean;
}

/** A catalog version; only the fields the UI shows, all optional but the id. */
export interface CatalogVersion {
  id: number | string;
  version?: string;
  name?: string;
  label?: string;
  status?: string;
  active?: boolean;
  createdAt?: string | number;
}

export interface ClassQuery {
  kind?: ClassKind | '';
  major?: string;
  q?: string;
  limit: number;
  offset: number;
}

export const listClasses = (query: ClassQuery, signal?: AbortSignal) =>
  api.get<Paged<CatalogClass>>('/api/catalog/classes', { ...query }, signal);

export const listCatalogVersions = (signal?: AbortSignal) =>
  api.get<{ items: CatalogVersion[] } | CatalogVersion[]>('/api/catalog/versions', undefined, signal)
    .then((r) => (Array.isArray(r) ? r : r.items ?? []));

export type Urgency = 'extra_urgent' | 'urgent' | 'normal';

export interface CaseStandard {
  id: number;
  classKind: ClassKind;
  classCode: string;
  className: string;
  territoryCode: string | null;
  disposal: string | null;
  registrationCondition: string | null;
  closingCondition: string | null;
  departmentRule: string | null;
  urgency: Urgency;
  limit: { value: number; unit: string };
  limitLabel: string;
}

export const listCaseStandards = (query: { classCode?: string; limit: number; offset: number }, signal?: AbortSignal) =>
  api.get<Paged<CaseStandard>>('/api/case-standards', { ...query }, signal);
