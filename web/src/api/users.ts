import { api, request, type Paged } from './client.ts';

export interface UserGrant {
  role: string;
  territoryCode: string | null;
  territoryName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  status: string;
  phone?: string | null;
  lastLoginAt?: number | null;
  grants: UserGrant[];
}

export const listUsers = (query: { role?: string; q?: string; limit: number; offset: number }, signal?: AbortSignal) =>
  api.get<Paged<UserRow>>('/api/users', { ...query }, signal);

export interface Department {
  id: number;
  code: string;
  name: string;
  kind: string;
  territoryCode: string | null;
  territoryName: string | null;
  active: boolean;
}

export const listDepartments = (signal?: AbortSignal) => api.get<{ items: Department[] }>('/api/departments', undefined, signal);

export const createUser = (body: { username: string; displayName: string; password: string; grants: { role: string; territoryCode?: string; departmentCode?: string }[] }) =>
  api.post<{ id: number }>('/api/users', body);

export interface UserPatch {
  displayName?: string;
  status?: 'active' | 'disabled';
  /** A new password (at least 8 characters); the user's open sessions end. */
  password?: string;
  phone?: string | null;
}

export interface GrantBody {
  role: string;
  territoryCode?: string | null;
  departmentCode?: string | null;
}

export const updateUser = (id: number, patch: UserPatch) => api.patch<{ ok: true }>(`/api/users/${id}`, patch);

/** Replaces every grant of the user; a refusal names `grants[i].territoryCode` etc. and changes nothing. */
export const replaceGrants = (id: number, grants: GrantBody[]) => request<{ ok: true }>('PUT', `/api/users/${id}/grants`, { body: { grants } });
