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
  /** For a "<component> abnormal" matter: the component class it derives from. */
  componentCode?: string | null;
  sourceNote: string | null;
  active: boolean;
}

export interface CatalogVersion {
  id: number;
  code: string;
  name: string;
  standard: string | null;
  /** 'active' (exactly one), 'draft' or 'retired'. */
  status: string;
  createdAt: number;
  activatedAt: number | null;
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
  api.get<{ items: CatalogVersion[] }>('/api/catalog/versions', undefined, signal).then((r) => r.items);

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
  /** Ordered steps, first that resolves wins: 'maintainer|department:SZC|district_department:CGJ|territorial:street'. */
  departmentRule: string | null;
  urgency: Urgency;
  limit: { value: number; unit: string };
  limitLabel: string;
}

export const listCaseStandards = (query: { classCode?: string; limit: number; offset: number }, signal?: AbortSignal) =>
  api.get<Paged<CaseStandard>>('/api/case-standards', { ...query }, signal);
