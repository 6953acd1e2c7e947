import { api } from './client.ts';

export type DepartmentKind = 'professional' | 'collaborative' | 'territorial' | 'office' | 'evaluator';
export const DEPARTMENT_KINDS: DepartmentKind[] = ['professional', 'collaborative', 'territorial', 'office', 'evaluator'];

/** A department or unit as GET /api/departments lists it (listDepartments in users.ts reads the same route for pickers). */
export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  kind: DepartmentKind;
  phone: string | null;
  active: boolean;
  territoryCode: string;
  territoryName: string;
}

export const listDepartmentRows = (query: { kind?: DepartmentKind | '' }, signal?: AbortSignal) =>
  api.get<{ items: DepartmentRow[] }>('/api/departments', { kind: query.kind }, signal).then((r) => r.items);

export interface NewDepartment {
  code: string;
  name: string;
  kind: DepartmentKind;
  /** The city, district or street the department belongs to. */
  territoryCode: string;
  phone?: string;
}

export const createDepartment = (body: NewDepartment) => api.post<{ id: number }>('/api/departments', body);

/** Departments are never deleted (cases and users refer to them): rename, re-phone or (de)activate. */
export const updateDepartment = (code: string, patch: { name?: string; phone?: string; active?: boolean }) =>
  api.patch<{ ok: true }>(`/api/departments/${encodeURIComponent(code)}`, patch);
