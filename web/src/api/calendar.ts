import { api, request } from './client.ts';

export type TimeLimitUnit = 'working_minutes' | 'working_hours' | 'working_days' | 'calendar_hours' | 'calendar_days' | 'urgent_hours';
export const TIME_LIMIT_UNITS: TimeLimitUnit[] = ['working_minutes', 'working_hours', 'working_days', 'calendar_hours', 'calendar_days', 'urgent_hours'];

export interface CalendarYear {
  year: number;
  status: 'official' | 'provisional';
  source: string;
}

export interface WorkCalendar {
  code: string;
  name: string;
  timezone: string;
  timetable: { start: string; end: string }[];
  /** 0 = Sunday … 6 = Saturday. */
  weekendDays: number[];
  years: CalendarYear[];
  isDefault?: boolean;
}

export interface CalendarDay {
  date: string;
  /** 'holiday' = day off; 'workday' = 调休 working day on a weekend. */
  kind: 'holiday' | 'workday';
  name: string;
}

export interface DeadlineRequest {
  start: string;
  limit: { value: number; unit: TimeLimitUnit };
  pauses?: { from: string; to: string }[];
}

export const listCalendars = (signal?: AbortSignal) => api.get<{ items: WorkCalendar[] }>('/api/calendars', undefined, signal);

export const calendarDays = (code: string, year: number, signal?: AbortSignal) =>
  api.get<{ items: CalendarDay[]; updatedAt?: number }>(`/api/calendars/${encodeURIComponent(code)}/days`, { year }, signal);

export const computeDeadline = (code: string, body: DeadlineRequest) =>
  api.post<{ dueAt: string | null; paused?: boolean }>(`/api/calendars/${encodeURIComponent(code)}/deadline`, body);

export interface CalendarYearBody {
  status: 'official' | 'provisional';
  source: string;
  days: CalendarDay[];
  /** The calendar version the draft was made on (GET …/days updatedAt): a change by someone else meanwhile is refused. */
  expectedUpdatedAt?: number;
}

/** Replaces one year's holidays and 调休 working days (with its status and source); refusals name `days[i].date` etc. */
export const putCalendarYear = (code: string, year: number, body: CalendarYearBody) =>
  request<{ ok: true }>('PUT', `/api/calendars/${encodeURIComponent(code)}/years/${year}`, { body });

export interface CalendarSettings {
  name?: string;
  timezone?: string;
  timetable?: { start: string; end: string }[];
  weekendDays?: number[];
}

export const patchCalendar = (code: string, patch: CalendarSettings) =>
  request<{ ok: true }>('PATCH', `/api/calendars/${encodeURIComponent(code)}`, { body: patch });
