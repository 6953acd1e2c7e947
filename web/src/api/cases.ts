import { api, request, send, type Paged } from './client.ts';

export type Light = 'green' | 'yellow' | 'red';

export interface CaseItem {
  id: number;
  code: string;
  source: string;
  state: string;
  stateLabel: string;
  class: { code: string; kind: string; name: string };
  description: string;
  address: string | null;
  location: [number, number];
  territory: { grid: { code: string; name: string }; street: { name: string }; district: { name: string } };
  department: { id: number; code: string; name: string } | null;
  suggestedDepartment: { id: number; code: string; name: string } | null;
  reportedAt: string;
  stage: { name: string | null; dueAt: string | null; light: Light | null };
  handling: { dueAt: string | null; overdue: boolean; paused: boolean };
  light: Light | null;
  counters: { returns: number; extensions: number; suspensions: number; reworks: number };
  possibleDuplicate: boolean;
  version: number;
  application: string | null;
}

export interface AllowedAction { action: string; zh: string; en: string; requires: string[]; negative: boolean }
export interface CaseDetail extends CaseItem {
  allowedActions: AllowedAction[];
  duplicates: { id: number; code: string; distanceM: number }[];
  reporter?: { name: string | null; phone: string | null } | null;
}

export interface CaseEvent {
  seq: number;
  action: string;
  fromState: string | null;
  toState: string;
  at: string;
  actor: { kind: string; id: number | null; name: string; role: string | null };
  department: { id: number; code: string; name: string } | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  attachments: { id: number; mimeType: string; sizeBytes: number; originalName: string | null }[];
}

export interface WorkflowTable {
  states: { name: string; zh: string; en: string; terminal: boolean }[];
  sources: { name: string; zh: string; en: string; fromPublic: boolean; reporters: string[] }[];
  transitions: { action: string; zh: string; en: string; from: string[]; roles: string[]; requires: string[] }[];
}

export const workflowTable = (signal?: AbortSignal) => api.get<WorkflowTable>('/api/workflow', {}, signal);
export const listCases = (query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal) => api.get<Paged<CaseItem> & { totalExact: boolean }>('/api/cases', query, signal);
export const getCase = (id: number, signal?: AbortSignal) => api.get<CaseDetail>(`/api/cases/${id}`, {}, signal);
export const caseEvents = (id: number, signal?: AbortSignal) => api.get<{ items: CaseEvent[] }>(`/api/cases/${id}/events`, {}, signal);
export const actOnCase = (id: number, action: string, body: Record<string, unknown>) => api.post<{ toState: string }>(`/api/cases/${id}/actions/${action}`, body);
export const departments = (signal?: AbortSignal) => api.get<{ items: { id: number; code: string; name: string; kind: string; active: boolean }[] }>('/api/departments', {}, signal);

/** Uploads a photo as the raw body; the answer's id is claimed by the next action. */
export async function uploadPhoto(file: File): Promise<number> {
  return (await request<{ id: number }>('POST', '/api/attachments', { query: { filename: file.name }, body: file })).id;
}

/** A photo as an object URL (the request carries the session token). */
export async function photoUrl(id: number): Promise<string> {
  return URL.createObjectURL(await (await send('GET', `/api/attachments/${id}`, { accept: 'image/*' })).blob());
}


/** Map points: [lon, lat, light (0 none, 1 green, 2 yellow, 3 red), id]. */
export const casePoints = (query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal) =>
  api.get<{ points: [number, number, number, number][]; truncated: boolean }>('/api/cases/points', query, signal);

/** A viewport's cases summed into cells of about 64 px: [lon, lat, count, red, yellow] (GET /api/cases/aggregate). */
export interface CaseCells { zoom: number; cellDegrees: number; total: number; cells: [number, number, number, number, number][] }
export const caseCells = (query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal) =>
  api.get<CaseCells>('/api/cases/aggregate', query, signal);

export interface StateCount { state: string; stateLabel: string; total: number; red: number; yellow: number }
/** The workbench counts: cases per state in one's scope, with the red and yellow among them. */
export const caseSummary = (query: Record<string, string | number | boolean | undefined>, signal?: AbortSignal) =>
  api.get<{ total: number; items: StateCount[] }>('/api/cases/summary', query, signal);

export interface IntakeRequest {
  source: string;
  classCode: string;
  description: string;
  location: { lon: number; lat: number };
  address?: string;
  externalRef?: string;
  reporter?: { name?: string; phone?: string };
  attachmentIds?: number[];
}
/** 登记案件: a case entered by the centre (a call, a superior's assignment, a media report …); the key makes a resend act once. */
export const reportCase = (body: IntakeRequest, idempotencyKey: string) =>
  request<{ caseId: number; code: string; state: string; duplicateCandidates: { caseId: number; code: string; distanceM: number }[] }>('POST', '/api/cases', { body, headers: { 'idempotency-key': idempotencyKey } });
