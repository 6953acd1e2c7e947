// 重点任务 (挂图作战): the plans, their board, tasks, progress reports, reviews, alerts, the month's scores.
import { api, downloadFile, request } from './client.ts';

export type StatusColour = 'green' | 'orange' | 'blue' | 'red' | 'yellow' | 'grey';
export type MilestoneStatus = 'done' | 'done_late' | 'in_review' | 'overdue' | 'due_soon' | 'pending';
export interface KtUnit { key: string; kind: 'department' | 'territory'; code: string; name: string; role: 'lead' | 'cooperating' }
export interface KtPlan { id: number; code: string; name: string; year: number; ruleCode: string; description: string | null; owner: { code: string; name: string } }
export interface KtMilestone {
  id: number; taskId: number; name: string; deliverable: string; granularity: 'day' | 'week'; dueDate: string; state: 'open' | 'submitted' | 'accepted';
  percent: number; status: MilestoneStatus; colour: StatusColour; daysLate: number; submittedAt: string | null; acceptedAt: string | null; overdueFlaggedAt: string | null;
}
export interface KtBoardTask { id: number; parentId: number | null; seq: string; name: string; target: string; startDate: string; endDate: string; units: KtUnit[]; milestones: KtMilestone[] }
export interface KtBoard { plan: KtPlan; access: 'all' | 'units'; asOf: string; dueSoonDays: number; counts: Record<MilestoneStatus, number>; canManage: boolean; tasks: KtBoardTask[] }
export interface KtReport { id: number; unit: { code: string; name: string; role: string } | null; percent: number; text: string; submits: boolean; reportedAt: string; reporter: string; attachmentIds: number[] }
export interface KtReview { id: number; outcome: 'accepted' | 'returned'; reason: string; reviewedAt: string; reviewer: string }
export interface KtTask {
  plan: KtPlan; access: 'all' | 'units';
  task: { id: number; seq: string; name: string; target: string; startDate: string; endDate: string; parent: { id: number; seq: string; name: string } | null };
  units: KtUnit[]; myUnits: KtUnit[]; can: { report: boolean; submit: boolean; review: boolean };
  milestones: (KtMilestone & { reports: KtReport[]; reviews: KtReview[] })[];
}
export interface KtWorkItem extends KtMilestone { task: { id: number; seq: string; name: string }; plan: { id: number; name: string }; units: KtUnit[] }
export interface KtAlert { id: number; kind: 'overdue'; raisedAt: string; milestone: KtMilestone; task: { id: number; seq: string; name: string }; plan: { id: number; name: string }; units: KtUnit[] }
export interface KtTraceLine { event: 'base' | 'overdue' | 'returned' | 'early' | 'bonus_cap' | 'range'; points: number; milestoneId?: number; label?: string; role?: 'lead' | 'cooperating'; date?: string; note?: string }
export interface KtScores {
  plan: { id: number; code: string; name: string }; month: string; asOf: string; rule: { code: string; version: number; name: string };
  units: { unit: { key: string; kind: string; id: number; code: string; name: string }; score: number; lines: KtTraceLine[]; reason: string }[];
}
export interface KtTransfer { runId: number; month: string; componentCode: string; written: { unitCode: string; value: number }[]; skipped: { unitCode: string; unitName: string; why: string }[] }

export const listPlans = (signal?: AbortSignal) => api.get<{ items: KtPlan[] }>('/api/key-tasks/plans', {}, signal);
export const getBoard = (id: number, signal?: AbortSignal) => api.get<KtBoard>(`/api/key-tasks/plans/${id}`, {}, signal);
export const getTask = (id: number, signal?: AbortSignal) => api.get<KtTask>(`/api/key-tasks/tasks/${id}`, {}, signal);
export const myWork = (signal?: AbortSignal) => api.get<{ asOf: string; toReport: KtWorkItem[]; toReview: KtWorkItem[] }>('/api/key-tasks/mine', {}, signal);
export const listAlerts = (signal?: AbortSignal) => api.get<{ items: KtAlert[] }>('/api/key-tasks/alerts', {}, signal);
export const getScores = (planId: number, month: string, signal?: AbortSignal) => api.get<KtScores>(`/api/key-tasks/plans/${planId}/scores`, { month }, signal);
export const fileReport = (taskId: number, body: { milestoneId: number; unitCode?: string; percent: number; text: string; attachmentIds?: number[]; submit?: boolean }) =>
  api.post<{ id: number; task: KtTask }>(`/api/key-tasks/tasks/${taskId}/reports`, body);
export const reviewMilestone = (milestoneId: number, body: { outcome: 'accepted' | 'returned'; reason?: string }) => api.post<KtTask>(`/api/key-tasks/milestones/${milestoneId}/review`, body);
export const transferScores = (planId: number, body: { runId: number; month: string; componentCode?: string }) => api.post<KtTransfer>(`/api/key-tasks/plans/${planId}/transfer`, body);
export const downloadPlanReport = (planId: number, format: 'xlsx' | 'pdf', month: string | undefined, filename: string) =>
  downloadFile(`/api/key-tasks/plans/${planId}/report`, { format, month }, `${filename}.${format}`);

// The office's writing: scoring rules as versions, plans, tasks and sub-tasks with their units, milestones; corrections and removals.
export interface KtUnitRef { kind: 'department' | 'territory'; code: string }
export interface KtMilestoneInput { name: string; deliverable: string; dueDate: string; granularity: 'day' | 'week' }
export interface KtTaskInput { parentId?: number; seq: string; name: string; target: string; startDate: string; endDate: string; lead?: KtUnitRef; cooperating?: KtUnitRef[]; milestones?: KtMilestoneInput[] }
export interface KtRuleVersion { code: string; version: number; name: string; rule: unknown; reason: string | null; createdAt: string; versions: { version: number; name: string; reason: string | null; createdAt: string }[] }

export const listRules = (signal?: AbortSignal) => api.get<{ items: { code: string; version: number; name: string }[] }>('/api/key-tasks/score-rules', {}, signal);
export const getRule = (code: string, signal?: AbortSignal) => api.get<KtRuleVersion>(`/api/key-tasks/score-rules/${encodeURIComponent(code)}`, {}, signal);
export const saveRule = (code: string, rule: unknown, reason: string) => request<{ code: string; version: number }>('PUT', `/api/key-tasks/score-rules/${encodeURIComponent(code)}`, { body: { rule, reason } });
export const createPlan = (body: { code: string; name: string; year: number; ownerCode: string; ruleCode: string; description?: string }) => api.post<KtBoard>('/api/key-tasks/plans', body);
export const updatePlan = (id: number, body: { name?: string; description?: string | null; ruleCode?: string }) => api.patch<KtBoard>(`/api/key-tasks/plans/${id}`, body);
export const addTask = (planId: number, body: KtTaskInput) => api.post<KtTask>(`/api/key-tasks/plans/${planId}/tasks`, body);
export const updateTask = (id: number, body: Partial<Omit<KtTaskInput, 'parentId' | 'seq' | 'milestones'>>) => api.patch<KtTask>(`/api/key-tasks/tasks/${id}`, body);
export const removeTask = (id: number) => request<void>('DELETE', `/api/key-tasks/tasks/${id}`);
export const addMilestone = (taskId: number, body: KtMilestoneInput) => api.post<KtTask>(`/api/key-tasks/tasks/${taskId}/milestones`, body);
export const updateMilestone = (id: number, body: Partial<KtMilestoneInput>) => api.patch<KtTask>(`/api/key-tasks/milestones/${id}`, body);
export const removeMilestone = (id: number) => request<KtTask>('DELETE', `/api/key-tasks/milestones/${id}`);
