import { api, request, type Paged } from './client.ts';

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

export interface CaseStandardPatch {
  disposal?: string;
  registrationCondition?: string;
  closingCondition?: string;
  departmentRule?: string;
  urgency?: Urgency;
  limit?: { value: number; unit: string };
}

export const updateCaseStandard = (id: number, patch: CaseStandardPatch) => api.patch<CaseStandard>(`/api/case-standards/${id}`, patch);

export interface NewClass {
  kind: ClassKind;
  majorCode: string;
  majorName: string;
  code: string;
  name: string;
  sourceNote?: string;
}

/** A local extension class (扩展类) in the active catalog version. */
export const createClass = (body: NewClass) => api.post<{ id: number }>('/api/catalog/classes', body);

/** Classes are never deleted (cases refer to them): rename or (de)activate. */
export const updateClass = (id: number, patch: { name?: string; active?: boolean }) => api.patch<{ ok: true }>(`/api/catalog/classes/${id}`, patch);

export interface CatalogImportOptions {
  /** Version code; an unknown one creates a draft version. */
  version: string;
  name?: string;
  standard?: string;
  /** Derive one "<component>异常" matter per component row. */
  derive: boolean;
  /** Make the version the one in use (the previous one is retired). */
  activate: boolean;
}

/** CSV (kind, major_code, major_name, code, name[, source_note, origin]) into a version, all or nothing. */
export const importCatalog = (csv: string, options: CatalogImportOptions) =>
  request<{ version: string; created: number; updated: number }>('POST', '/api/catalog/import', {
    body: csv, contentType: 'text/csv; charset=utf-8',
    query: { version: options.version, name: options.name, standard: options.standard, derive: options.derive, activate: options.activate },
  });

export interface StageLimit {
  stage: string;
  zh: string;
  en: string;
  limit: { value: number; unit: string };
  label: string;
  default: { value: number; unit: string };
}

/** The time limits of the workflow's stages (受理, 核实, 立案, 派遣, 签收, 核查, 结案). */
export const listStageLimits = (signal?: AbortSignal) => api.get<{ items: StageLimit[] }>('/api/stage-limits', undefined, signal).then((r) => r.items);

/** Applies to cases entering the stage from now on. */
export const setStageLimit = (stage: string, limit: { value: number; unit: string }) =>
  request<{ stage: string; limit: { value: number; unit: string }; label: string }>('PUT', `/api/stage-limits/${encodeURIComponent(stage)}`, { body: { limit } });

export interface ActivationReport { version: string; standardsCarried: number; componentsMoved: number; leftBehind: string[] }
/** 启用: the version goes into use; 立结案标准 and components move to its classes of the same codes. */
export const activateCatalogVersion = (code: string) => api.post<ActivationReport>(`/api/catalog/versions/${encodeURIComponent(code)}/activate`, {});
