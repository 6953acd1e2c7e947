import { api, request } from './client.ts';

/** An API key of an Open311 client or a 12345 integration; the secret itself is shown only once, when issued. */
export interface ApiKeyRow {
  id: number;
  /** The first characters of the secret, to recognise a key in a client's configuration. */
  prefix: string;
  name: string;
  client: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export const listApiKeys = (signal?: AbortSignal) => api.get<{ items: ApiKeyRow[] }>('/api/api-keys', undefined, signal);

export const createApiKey = (body: { name: string; client: string }) => api.post<{ id: number; key: string }>('/api/api-keys', body);

export const revokeApiKey = (id: number) => request<{ ok: true }>('DELETE', `/api/api-keys/${id}`);
