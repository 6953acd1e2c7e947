// Replays a history log through the workflow table, in time order and in memory: every report is
// placed, classed and given its 立结案标准 defaults as live intake would, every action is planned by
// planTransition with the actor's real roles and scope. The result is the rows to store, or the lines
// that break a rule; nothing is written here.
import { ROLE_SCOPE } from '@cityops/domain/access/roles';
import { grantCovers, type Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { CASE_SOURCES } from '@cityops/domain/workflow/case-sources';
import { CASE_STATES, isCaseState } from '@cityops/domain/workflow/case-states';
import { DEFAULT_DUPLICATE_RULE, distanceM } from '@cityops/domain/workflow/duplicates';
import { transitionFor } from '@cityops/domain/workflow/transitions';
import type { GridAssignment } from '../../territory/territory-locator.ts';
import { HttpError } from '../../http/errors.ts';
import { canReadCase, coveringRoles } from '../case-access.ts';
import { materializeCaseRow as materialize, newCaseRow } from '../case-new-row.ts';
import type { Insertable } from 'kysely';
import type { HandlingRoundTable } from '../../db/schema-cases.ts';
import { planTransition, type CaseRecord, type PlannedEvent } from '../case-transition-plan.ts';
import type { HistoryRecord } from './history-records.ts';
import { refKey, type ReplayWorld } from './replay-world.ts';

export interface ReplayedEvent {
  at: number;
  actor: Actor;
  event: Omit<PlannedEvent, 'role' | 'fromState'> & { role: PlannedEvent['role'] | null; fromState: string | null };
}

export interface ReplayedCase {
  ref: string;
  line: number;
  /** The case as it stands after its last event; `id` is a placeholder (-1, -2 …) until stored. */
  row: CaseRecord;
  events: ReplayedEvent[];
  /** Its handling rounds (处置轮次) in order; case_id is the case's temporary negative id until it is stored. */
  rounds: Insertable<HandlingRoundTable>[];
  reporter: { name: string | null; phone: string | null; userId: number | null } | null;
  /** Earlier cases (placeholders or stored ids) of the same class within 50 m and 24 h. */
  duplicates: { id: number; distanceM: number; storedCode: string | null }[];
  failed: boolean;
}

export interface ReplayResult {
  cases: ReplayedCase[];
  issues: FieldIssue[];
}

const MAX_ISSUES = 200;
const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const CLOSED_TO_DUPLICATES = new Set(['merged', 'voided', 'not_accepted']);

/** Issues of an error thrown by the shared rules, put on the record's line. */
function issuesOf(error: unknown, line: number, fallbackField: string): FieldIssue[] {
  if (error instanceof ValidationError) return error.issues.map((i) => ({ field: i.field, message: i.message, row: line }));
  if (error instanceof HttpError || error instanceof RangeError) return [{ field: fallbackField, message: error.message, row: line }];
  throw error;
}

/** Checks that every case opens with one report and that its events are in time order. */
function checkOrder(records: HistoryRecord[], now: number, issues: FieldIssue[]): void {
  const last = new Map<string, HistoryRecord>();
  for (const r of records) {
    const previous = last.get(r.caseRef);
    if (r.at > now + MAX_FUTURE_SKEW_MS) issues.push({ field: 'at', message: 'is in the future', row: r.line });
    if (!previous && r.action !== 'report') issues.push({ field: 'action', message: `case ${r.caseRef} must open with a report row before '${r.action}'`, row: r.line });
    if (previous && r.action === 'report') issues.push({ field: 'action', message: `case ${r.caseRef} was reported already on line ${previous.line}`, row: r.line });
    if (previous && r.at < previous.at) issues.push({ field: 'at', message: `is earlier than the case's previous event on line ${previous.line}`, row: r.line });
    last.set(r.caseRef, r);
  }
}

export async function replayHistory(records: HistoryRecord[], world: ReplayWorld, now: number): Promise<ReplayResult> {
  const issues: FieldIssue[] = [];
  checkOrder(records, now, issues);
  if (issues.length) return { cases: [], issues: issues.slice(0, MAX_ISSUES) };

  const reports = records.filter((r) => r.report);
  const places = await world.locator.locateMany(reports.map((r) => ({ lon: r.report!.lon, lat: r.report!.lat })));
  const placeOf = new Map<HistoryRecord, GridAssignment | null>(reports.map((r, i) => [r, places[i] ?? null]));
  const ordered = [...records].sort((a, b) => a.at - b.at || a.line - b.line);

  const cases: ReplayedCase[] = [];
  const byRef = new Map<string, ReplayedCase>();
  // Open cases by class for duplicate detection: the stored ones of the window, then the replayed ones,
  // each list kept in time order so that a report looks only at its ±24 h (a year of history is
  // tens of thousands of cases per class).
  const byClass = new Map<number, TimeOrdered<DuplicateCandidate>>();
  const classList = (classId: number) => {
    let list = byClass.get(classId);
    if (!list) byClass.set(classId, (list = new TimeOrdered()));
    return list;
  };
  for (const e of world.existingInWindow) {
    classList(e.classId).add({ id: e.id, storedCode: e.code, lon: e.lon, lat: e.lat, reportedAt: e.reportedAt, state: () => e.state });
  }
  const fail = (c: ReplayedCase | undefined, more: FieldIssue[]) => {
    if (c) c.failed = true;
    if (issues.length < MAX_ISSUES) issues.push(...more.slice(0, MAX_ISSUES - issues.length));
  };
  const actorOf = (r: HistoryRecord): Actor | null => (r.actor ? world.actors.get(r.actor) ?? null : null);

  for (const r of ordered) {
    if (r.report) {
      const report = r.report;
      const bad = (field: string, message: string) => fail(undefined, [{ field, message, row: r.line }]);
      let actor = actorOf(r);
      if (r.actor && !actor) { bad('actor', `no account ${r.actor}`); continue; }
      if (!actor) {
        if (!CASE_SOURCES[report.source].fromPublic) { bad('actor', `a ${report.source} report names the account that entered it`); continue; }
        actor = { kind: 'anonymous', id: null, name: report.reporterName ?? '公众', grants: [] };
      }
      if (world.existingRefs.has(refKey(report.source, r.caseRef))) { bad('case', `a case from ${report.source} with reference ${r.caseRef} is stored already`); continue; }
      const place = placeOf.get(r) ?? null;
      if (!place) { bad('lon', `(${report.lon}, ${report.lat}) is outside every grid of the city`); continue; }
      if (actor.kind === 'user') {
        const allowed = CASE_SOURCES[report.source].reporters as readonly string[];
        const grants = actor.grants.filter((g) => allowed.includes(g.role));
        if (!grants.length) { bad('actor', `${actor.name} holds no role that reports ${report.source} cases`); continue; }
        if (!grants.some((g) => ROLE_SCOPE[g.role] === 'none' || grantCovers(g, { territoryPath: place.gridPath }))) { bad('lon', `the point lies outside ${actor.name}'s territory`); continue; }
      }
      const cls = world.classByCode.get(report.classCode);
      if (!cls || !cls.active) { bad('class', `no active class ${report.classCode} in the catalog`); continue; }
      const component = report.componentCode ? world.components.get(report.componentCode) : undefined;
      if (report.componentCode && !component) { bad('component', `no component ${report.componentCode} in the inventory`); continue; }
      if (component && cls.kind === 'component' && component.classCode !== cls.code) { bad('component', `component ${component.code} is of class ${component.classCode}, not ${cls.code}`); continue; }
      const rule = DEFAULT_DUPLICATE_RULE;
      const sameClass = classList(cls.id);
      const duplicates = sameClass.within(r.at - rule.windowMs, r.at + rule.windowMs).filter((o) => !CLOSED_TO_DUPLICATES.has(o.state()))
        .map((o) => ({ id: o.id, storedCode: o.storedCode, distanceM: Math.round(distanceM(report.lon, report.lat, o.lon, o.lat) * 10) / 10 })).filter((o) => o.distanceM <= rule.radiusM);
      let row: CaseRecord;
      try {
        const suggestion = world.suggest(cls.id, place, component?.maintainerDepartmentId ?? null);
        row = materialize(newCaseRow({
          code: '', source: report.source, externalRef: r.caseRef, cls, componentId: component?.id ?? null, suggestion,
          description: report.description, address: report.address, lon: report.lon, lat: report.lat, place, reportedAt: r.at,
          reportedBy: { kind: actor.kind, id: actor.id }, duplicateFlag: duplicates.length > 0, now: r.at,
        }, world.deps), -(cases.length + 1));
      } catch (error) {
        fail(undefined, issuesOf(error, r.line, 'at').map((i) => (i.field === 'classCode' ? { ...i, field: 'class' } : i)));
        continue;
      }
      const c: ReplayedCase = {
        ref: r.caseRef, line: r.line, row, duplicates, failed: false, rounds: [],
        reporter: report.reporterName || report.reporterPhone || actor.kind === 'user' ? { name: report.reporterName, phone: report.reporterPhone, userId: actor.kind === 'user' ? actor.id : null } : null,
        events: [{ at: r.at, actor, event: { action: 'report', fromState: null, toState: row.state as PlannedEvent['toState'], role: null, departmentId: null, reason: null, onTime: null,
          data: { source: report.source, classCode: cls.code, suggestedDepartmentId: row.suggested_department_id, standardId: row.standard_id } } }],
      };
      cases.push(c);
      byRef.set(r.caseRef, c);
      sameClass.add({ id: row.id, storedCode: null, lon: row.lon, lat: row.lat, reportedAt: row.reported_at, state: () => c.row.state });
      continue;
    }

    const c = byRef.get(r.caseRef);
    if (!c || c.failed) continue; // its report (or an earlier event) was refused and reported already
    const actor = actorOf(r);
    if (!actor) { fail(c, [{ field: 'actor', message: r.actor ? `no account ${r.actor}` : `'${r.action}' names the account that acted`, row: r.line }]); continue; }
    let departmentId: number | null = null;
    if (r.departmentCode) {
      const dept = world.departments.get(r.departmentCode);
      if (transitionFor(r.action)?.department !== 'set') { fail(c, [{ field: 'department', message: `'${r.action}' does not take a department`, row: r.line }]); continue; }
      if (!dept || !dept.active) { fail(c, [{ field: 'department', message: `no active department ${r.departmentCode}`, row: r.line }]); continue; }
      departmentId = dept.id;
    }
    let mergeTargetId: number | null = null;
    if (r.mergeInto) {
      const inBatch = byRef.get(r.mergeInto);
      const stored = world.existingByCode.get(r.mergeInto);
      const target = inBatch ? { id: inBatch.row.id, state: inBatch.row.state, territoryPath: inBatch.row.territory_path, departmentId: inBatch.row.department_id } : stored;
      if (!target || inBatch?.failed) { fail(c, [{ field: 'merge_into', message: `no case ${r.mergeInto} reported before this line, in this file or stored`, row: r.line }]); continue; }
      if (inBatch === c) { fail(c, [{ field: 'merge_into', message: 'a case cannot be merged into itself', row: r.line }]); continue; }
      if (!isCaseState(target.state) || CASE_STATES[target.state].terminal) { fail(c, [{ field: 'merge_into', message: `case ${r.mergeInto} is ${target.state} at that time; merge into an open case`, row: r.line }]); continue; }
      if (!canReadCase(actor, target)) { fail(c, [{ field: 'merge_into', message: `case ${r.mergeInto} is outside ${actor.name}'s scope`, row: r.line }]); continue; }
      mergeTargetId = target.id;
    }
    const roles = coveringRoles(actor, { territoryPath: c.row.territory_path, departmentId: c.row.department_id });
    try {
      const plan = planTransition(c.row, roles, r.action, {
        reason: r.reason, attachmentCount: r.photos, departmentId, mergeTargetId, satisfaction: r.satisfaction, note: r.note,
      }, r.at, world.deps, actor.kind === 'user' ? actor.id : null);
      Object.assign(c.row, plan.changes);
      if (plan.round.update) Object.assign(c.rounds[plan.round.update.seq - 1]!, plan.round.update.changes);
      if (plan.round.open) c.rounds.push({ ...plan.round.open });
      const data = r.photos ? { ...plan.event.data, sourcePhotos: r.photos } : plan.event.data;
      c.events.push({ at: r.at, actor, event: { ...plan.event, data } });
    } catch (error) {
      fail(c, issuesOf(error, r.line, 'action').map((i) => ({ ...i, field: ({ attachmentIds: 'photos', departmentId: 'department', mergeTargetId: 'merge_into' } as Record<string, string>)[i.field] ?? i.field })));
    }
  }
  return { cases, issues };
}

interface DuplicateCandidate {
  id: number;
  storedCode: string | null;
  lon: number;
  lat: number;
  reportedAt: number;
  state: () => string;
}

/** Items kept sorted by report time; `within` returns those in [from, to] in the order they were added. */
class TimeOrdered<T extends { reportedAt: number }> {
  readonly #items: { item: T; seq: number }[] = [];
  #seq = 0;

  /** First index whose time is at least `t`. */
  #lowerBound(t: number): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#items[mid]!.item.reportedAt < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(item: T): void {
    const entry = { item, seq: this.#seq++ };
    // Replayed records come in time order, so this is almost always an append.
    const last = this.#items.at(-1);
    if (!last || last.item.reportedAt <= item.reportedAt) this.#items.push(entry);
    else this.#items.splice(this.#lowerBound(item.reportedAt + 1), 0, entry);
  }

  within(from: number, to: number): T[] {
    const out: { item: T; seq: number }[] = [];
    for (let i = this.#lowerBound(from); i < this.#items.length && this.#items[i]!.item.reportedAt <= to; i++) out.push(this.#items[i]!);
    return out.sort((a, b) => a.seq - b.seq).map((e) => e.item);
  }
}
