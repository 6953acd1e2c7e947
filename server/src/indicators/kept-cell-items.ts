// What a case, a handling round or a step adds to the kept counts (decision 0009), as items: a count,
// the instant it happened (`at`) and the instant that puts it in a period (`since`; the same instant
// for most counts). "Complaints routed" happens at the first dispatch but belongs to the period of the
// report; a period made of whole half-months counts the items whose `since` lies in it and whose `at`
// lies before its end, which is the definition of docs/indicators.md read at half-month grain.
//
// The items of a record are a function of its facts alone, so what a change adds is the items after it
// minus the items before (`changeItems`): the live steps, the history import and the rebuild all go
// through these functions, and no writer keeps its own arithmetic. No I/O here.
import { CASE_SOURCES, SATISFACTION_LEVELS } from '@cityops/domain/workflow/case-sources';
import type { Insertable } from 'kysely';
import type { CaseTable } from '../db/schema-cases.ts';

/** Counts kept per (half-month of since, half-month of at, grid, department). */
export const CELL_COUNTS = [
  'reported', 'complaints_received', 'complaints_routed', 'registered', 'registered_inspector', 'registered_public',
  'closed', 'closed_on_time', 'callbacks', 'satisfied',
  'dispatched', 'handled', 'handled_on_time', 'reworked', 'rect_handled', 'rectified_on_time',
  // A round that went overdue counts at its overdue instant; once reported back it also counts as
  // overdue_handled (since the overdue instant, at the feedback): unhandled at a period end = the difference.
  'overdue', 'overdue_handled', 'rect_overdue', 'rect_overdue_handled',
  'extended', 'returned', 'suspended',
] as const;
export type CellCount = (typeof CELL_COUNTS)[number];

/** Counts kept per (half-month of since, half-month of at, person). */
export const PERSON_COUNTS = ['reports_made', 'reports_valid', 'dispatch_rounds', 'dispatches_returned', 'registrations_merged'] as const;
export type PersonCount = (typeof PERSON_COUNTS)[number];

export interface CellItem {
  kind: 'cell';
  count: CellCount;
  since: number;
  at: number;
  gridId: number;
  /** Null for what no department holds: intake, registration, a case closed without a dispatch. */
  departmentId: number | null;
  n: number;
}

export interface PersonItem {
  kind: 'person';
  count: PersonCount;
  since: number;
  at: number;
  personId: number;
  n: number;
}

export type KeptItem = CellItem | PersonItem;

const PUBLIC_SOURCES = new Set(Object.entries(CASE_SOURCES).filter(([, s]) => s.fromPublic).map(([k]) => k));
export const PUBLIC_SOURCE_CODES = [...PUBLIC_SOURCES];
/** 满意 + 基本满意. */
export const SATISFIED_LEVELS = Object.entries(SATISFACTION_LEVELS).filter(([, s]) => s.counts).map(([k]) => k);
const SATISFIED = new Set(SATISFIED_LEVELS);
/** Rulings (延期, 回退, 挂账): the approving step and the count it feeds. */
export const RULING_COUNTS: Record<string, CellCount> = { approve_extension: 'extended', approve_return: 'returned', approve_suspension: 'suspended' };
/** Sources of cases opened from third-party inspection findings (整改). */
const RECTIFICATION_SOURCE = 'third_party';

export interface CaseFacts {
  grid_id: number;
  department_id: number | null;
  source: string;
  reported_at: number;
  reported_by_kind: string;
  reported_by_id: number | null;
  registered_at: number | null;
  first_dispatched_at: number | null;
  closed_at: number | null;
  overdue_rounds: number;
  rated_at: number | null;
  satisfaction: string | null;
}

/** The facts of a case row about to be inserted (columns left out are null). */
export function newCaseFacts(v: Insertable<CaseTable>): CaseFacts {
  return {
    grid_id: v.grid_id, department_id: v.department_id ?? null, source: v.source, reported_at: v.reported_at, reported_by_kind: v.reported_by_kind,
    reported_by_id: v.reported_by_id ?? null, registered_at: v.registered_at ?? null, first_dispatched_at: v.first_dispatched_at ?? null,
    closed_at: v.closed_at ?? null, overdue_rounds: v.overdue_rounds ?? 0, rated_at: v.rated_at ?? null, satisfaction: v.satisfaction ?? null,
  };
}

export function caseItems(c: CaseFacts): KeptItem[] {
  const out: KeptItem[] = [];
  const cell = (count: CellCount, at: number, since = at, departmentId: number | null = null) => {
    out.push({ kind: 'cell', count, since, at, gridId: c.grid_id, departmentId, n: 1 });
  };
  const fromPublic = PUBLIC_SOURCES.has(c.source);
  cell('reported', c.reported_at);
  if (fromPublic) cell('complaints_received', c.reported_at);
  if (fromPublic && c.first_dispatched_at !== null) cell('complaints_routed', c.first_dispatched_at, c.reported_at);
  if (c.registered_at !== null) {
    cell('registered', c.registered_at);
    if (c.source === 'inspector') cell('registered_inspector', c.registered_at);
    if (fromPublic) cell('registered_public', c.registered_at);
  }
  // The department that handled the case last holds its closing and its callback.
  if (c.closed_at !== null) {
    cell('closed', c.closed_at, c.closed_at, c.department_id);
    if (c.overdue_rounds === 0) cell('closed_on_time', c.closed_at, c.closed_at, c.department_id);
  }
  if (c.rated_at !== null) {
    cell('callbacks', c.rated_at, c.rated_at, c.department_id);
    if (c.satisfaction !== null && SATISFIED.has(c.satisfaction)) cell('satisfied', c.rated_at, c.rated_at, c.department_id);
  }
  if (c.source === 'inspector' && c.reported_by_kind === 'user' && c.reported_by_id !== null) {
    out.push({ kind: 'person', count: 'reports_made', since: c.reported_at, at: c.reported_at, personId: c.reported_by_id, n: 1 });
    if (c.registered_at !== null) out.push({ kind: 'person', count: 'reports_valid', since: c.reported_at, at: c.registered_at, personId: c.reported_by_id, n: 1 });
  }
  return out;
}

export interface RoundFacts {
  kind: string;
  source: string;
  grid_id: number;
  department_id: number;
  started_at: number;
  started_by: number | null;
  handled_at: number | null;
  overdue_at: number | null;
  reworked_at: number | null;
  end_kind: string | null;
  ended_at: number | null;
}

export function roundItems(r: RoundFacts): KeptItem[] {
  const out: KeptItem[] = [];
  const cell = (count: CellCount, at: number, since = at) => {
    out.push({ kind: 'cell', count, since, at, gridId: r.grid_id, departmentId: r.department_id, n: 1 });
  };
  const rectification = r.source === RECTIFICATION_SOURCE;
  if (r.kind === 'dispatch') {
    cell('dispatched', r.started_at);
    // A dispatch the department returned as wrong (回退) is not an accurate one.
    if (r.started_by !== null) {
      out.push({ kind: 'person', count: 'dispatch_rounds', since: r.started_at, at: r.started_at, personId: r.started_by, n: 1 });
      if (r.end_kind === 'returned' && r.ended_at !== null) out.push({ kind: 'person', count: 'dispatches_returned', since: r.started_at, at: r.ended_at, personId: r.started_by, n: 1 });
    }
  }
  if (r.handled_at !== null) {
    cell('handled', r.handled_at);
    if (r.overdue_at === null) cell('handled_on_time', r.handled_at);
    if (rectification) {
      cell('rect_handled', r.handled_at);
      if (r.overdue_at === null) cell('rectified_on_time', r.handled_at);
    }
  }
  if (r.reworked_at !== null) cell('reworked', r.reworked_at);
  if (r.overdue_at !== null) {
    cell('overdue', r.overdue_at);
    if (rectification) cell('rect_overdue', r.overdue_at);
    if (r.handled_at !== null) {
      cell('overdue_handled', r.handled_at, r.overdue_at);
      if (rectification) cell('rect_overdue_handled', r.handled_at, r.overdue_at);
    }
  }
  return out;
}

/** A ruling step (延期, 回退 or 挂账 approved), by the case's grid and the department ruled for. */
export function rulingItems(step: { action: string; at: number; departmentId: number | null }, gridId: number): KeptItem[] {
  const count = RULING_COUNTS[step.action];
  return count ? [{ kind: 'cell', count, since: step.at, at: step.at, gridId, departmentId: step.departmentId, n: 1 }] : [];
}

/** A case merged away as a duplicate (并案) at `mergedAt`: each registration of it by a person was not an accurate one. */
export function mergedRegistrationItems(mergedAt: number, registrations: { at: number; actorKind: string; actorId: number | null }[]): KeptItem[] {
  return registrations.filter((r) => r.actorKind === 'user' && r.actorId !== null)
    .map((r) => ({ kind: 'person', count: 'registrations_merged', since: r.at, at: mergedAt, personId: r.actorId!, n: 1 }));
}

/** What changing a record from `before` (null: it did not exist) to `after` adds: its items after, less its items before. */
export function changeItems<T>(before: T | null, after: T, itemsOf: (facts: T) => KeptItem[]): KeptItem[] {
  const removed = before === null ? [] : itemsOf(before).map((i) => ({ ...i, n: -i.n }));
  return [...removed, ...itemsOf(after)];
}
