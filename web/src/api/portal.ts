import { api } from './client.ts';

export interface PublicService { code: string; name: string; group: string; description: string }
export interface PublicReport {
  code: string;
  class: { code: string; name: string };
  description: string;
  address: string | null;
  location: [number, number];
  district: string | null;
  street: string | null;
  status: 'open' | 'closed';
  state: string;
  stateName: { zh: string; en: string };
  reportedAt: string;
  closedAt: string | null;
  expectedAt: string | null;
  department: string | null;
  steps: { at: string; action: string; label: { zh: string; en: string }; reason: string | null }[];
  satisfaction: string | null;
  canRate: boolean;
}
export interface NewReport {
  classCode: string;
  description: string;
  location: { lon: number; lat: number };
  address?: string;
  name?: string;
  phone?: string;
  photo?: { data: string; type: string };
}
export type FeatureCollection = { type: 'FeatureCollection'; features: { type: 'Feature'; properties: { code: string; name: string; level: string }; geometry: unknown }[] };

export const publicServices = (signal?: AbortSignal) => api.get<{ items: PublicService[] }>('/api/public/services', {}, signal);
export const publicTerritory = (signal?: AbortSignal) => api.get<FeatureCollection>('/api/public/territory', {}, signal);
export const submitReport = (report: NewReport) => api.post<{ code: string; trackingKey: string; state: string }>('/api/public/reports', report);
export const getReport = (code: string, signal?: AbortSignal) => api.get<PublicReport>(`/api/public/cases/${encodeURIComponent(code)}`, {}, signal);
export const rateReport = (code: string, trackingKey: string, satisfaction: string) => api.post<PublicReport>(`/api/public/cases/${encodeURIComponent(code)}/rating`, { trackingKey, satisfaction });

/** The tracking keys of this browser's reports: shown once by the server, kept here so the reporter can rate later. */
export const trackingKeys = {
  get: (code: string): string | null => localStorage.getItem(`cityops.track.${code}`),
  set: (code: string, key: string): void => localStorage.setItem(`cityops.track.${code}`, key),
};
