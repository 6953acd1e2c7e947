// The administrator's unsaved edits of one year of a work calendar: its status, source and day entries.
// The grid shows the draft as soon as a day is changed; saving replaces the year on the server in one PUT.
import { ApiError } from '../api/client.ts';
import type { CalendarDay, CalendarYear, CalendarYearBody } from '../api/calendar.ts';

export interface YearDraft {
  status: CalendarYear['status'];
  source: string;
  /** Keyed by date; at most one entry a day. */
  days: Map<string, CalendarDay>;
}

export function draftFrom(info: CalendarYear | undefined, saved: readonly CalendarDay[]): YearDraft {
  return { status: info?.status ?? 'provisional', source: info?.source ?? '', days: new Map(saved.map((d) => [d.date, d])) };
}

/** Sets (kind given) or removes (kind null) the entry of a date. */
export function withDay(draft: YearDraft, date: string, kind: CalendarDay['kind'] | null, name: string): YearDraft {
  const days = new Map(draft.days);
  if (kind === null) days.delete(date);
  else days.set(date, { date, kind, name });
  return { ...draft, days };
}

/** The PUT body: the days in date order, so that the server's `days[i]` is the i-th row the page lists. */
export function draftBody(draft: YearDraft): CalendarYearBody {
  return { status: draft.status, source: draft.source.trim(), days: [...draft.days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** What the draft changes against the saved year: added, changed and removed dates. */
export function draftChanges(draft: YearDraft, info: CalendarYear | undefined, saved: readonly CalendarDay[]): number {
  const before = new Map(saved.map((d) => [d.date, d]));
  let n = 0;
  for (const [date, d] of draft.days) {
    const b = before.get(date);
    if (!b || b.kind !== d.kind || b.name !== d.name) n++;
  }
  for (const date of before.keys()) if (!draft.days.has(date)) n++;
  if (draft.status !== (info?.status ?? 'provisional') || draft.source.trim() !== (info?.source ?? '')) n++;
  return n;
}

/** A refusal of the PUT with each `days[i]…` field followed by the date it names, e.g. `days[3].date (2026-02-30)`. */
export function withDates(error: unknown, sent: CalendarYearBody): unknown {
  if (!(error instanceof ApiError) || error.issues.length === 0) return error;
  const issues = error.issues.map((issue) => {
    // Domain checks say days[3].date, the schema check body.days.3.date.
    const m = /(?:^|\.)days(?:\[(\d+)\]|\.(\d+))/.exec(issue.field);
    const day = m ? sent.days[Number(m[1] ?? m[2])] : undefined;
    return day ? { ...issue, field: `${issue.field} (${day.date})` } : issue;
  });
  return new ApiError(error.status, error.code, error.message, issues);
}
