import { api } from './client.ts';

export interface JobRun { slot: string; host: string; startedAt: string; finishedAt: string | null; result: Record<string, unknown> | null; error: string | null }
export interface JobInfo { name: string; zh: string; everyMs: number; last: JobRun | null }

export const listJobs = (signal?: AbortSignal) => api.get<{ items: JobInfo[] }>('/api/jobs', {}, signal);
