import { api } from './client.ts';

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: { id: number; username: string; roles: string[] };
}

export interface MeGrant {
  role: string;
  territoryPath: string | null;
  departmentId: number | null;
}

export interface Me {
  kind: string;
  id: number | null;
  username: string;
  displayName: string;
  grants: MeGrant[];
  permissions: string[];
}

export interface RoleLabel {
  zh: string;
  en: string;
}

export interface RolesInfo {
  roles: Record<string, RoleLabel>;
  permissions: Record<string, string[]>;
}

export const login = (username: string, password: string) => api.post<LoginResult>('/api/auth/login', { username, password });
export const logout = () => api.post<unknown>('/api/auth/logout');
export const fetchMe = (signal?: AbortSignal) => api.get<Me>('/api/auth/me', undefined, signal);
export const fetchRoles = (signal?: AbortSignal) => api.get<RolesInfo>('/api/roles', undefined, signal);
