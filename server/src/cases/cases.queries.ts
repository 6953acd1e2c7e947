// Reading cases: the staff view (scoped), lists with filters and paging, and the public projection.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { CASE_STATES, HANDLING_STATES, OPEN_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { caseReadScope } from './case-access.ts';
import { casesUnder } from './case-territory-scope.ts';
import { lightAt, type Light } from './case-clock.ts';
import { textContains } from '../db/text-match.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function baseQuery(db: Executor) {
  return db.selectFrom('cases as c')
    .innerJoin('catalog_classes as k', 'k.id', 'c.class_id')
    .innerJoin('territory_nodes as g', 'g.id', 'c.grid_id')
    .innerJoin('territory_nodes as cm', 'cm.id', 'c.community_id')
    .innerJoin('territory_nodes as st', 'st.id', 'c.street_id')
    .innerJoin('territory_nodes as ds', 'ds.id', 'c.district_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('departments as sd', 'sd.id', 'c.suggested_department_id')
    .selectAll('c')
    .select(['k.name as class_name', 'g.code as grid_code', 'g.name as grid_name', 'cm.code as community_code', 'cm.name as community_name',
      'st.code as street_code', 'st.name as street_name', 'ds.code as district_code', 'ds.name as district_name',
      'd.code as dept_code', 'd.name as dept_name', 'sd.code as sdept_code', 'sd.name as sdept_name']);
}

type CaseJoinedRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

export interface CaseClockDto {
  dueAt: string | null;
  warnAt: string | null;
  light: Light | null;
}

/** The light that matters now: the handling clock while the department holds the case, else the stage's. */
export function currentLight(r: Pick<CaseJoinedRow, 'state' | 'handling_due_at' | 'handling_warn_at' | 'stage_due_at' | 'stage_warn_at'>, now: number): Light | null {
  if (r.state === 'suspended') return null;
  if ((HANDLING_STATES as readonly string[]).includes(r.state)) return lightAt(r.handling_due_at, r.handling_warn_at, now);
  return lightAt(r.stage_due_at, r.stage_warn_at, now);
}

export function caseDto(r: CaseJoinedRow, now: number) {
  const state = r.state as CaseState;
  return {
    id: r.id, code: r.code, source: r.source, externalRef: r.external_ref, state, stateLabel: CASE_STATES[state]?.zh ?? r.state, application: r.application,
    class: { code: r.class_code, kind: r.class_kind, name: r.class_name },
    description: r.description, address: r.address, location: [r.lon, r.lat] as [number, number],
    territory: {
      grid: { id: r.grid_id, code: r.grid_code, name: r.grid_name }, community: { id: r.community_id, code: r.community_code, name: r.community_name },
      street: { id: r.street_id, code: r.street_code, name: r.street_name }, district: { id: r.district_id, code: r.district_code, name: r.district_name },
    },
    urgency: r.urgency, limit: { value: r.limit_value, unit: r.limit_unit }, standardId: r.standard_id, componentId: r.component_id,
    suggestedDepartment: r.suggested_department_id !== null ? { id: r.suggested_department_id, code: r.sdept_code as string, name: r.sdept_name as string } : null,
    department: r.department_id !== null ? { id: r.department_id, code: r.dept_code as string, name: r.dept_name as string } : null,
    reportedAt: iso(r.reported_at), registeredAt: iso(r.registered_at), dispatchedAt: iso(r.dispatched_at), handledAt: iso(r.handled_at), closedAt: iso(r.closed_at),
    stage: { name: r.stage, startedAt: iso(r.stage_started_at), dueAt: iso(r.stage_due_at), light: r.state === 'suspended' ? null : lightAt(r.stage_due_at, r.stage_warn_at, now) },
    handling: {
      startedAt: iso(r.handling_started_at), dueAt: iso(r.handling_due_at), warnAt: iso(r.handling_warn_at),
      limit: r.handling_limit_value !== null ? { value: r.handling_limit_value, unit: r.handling_limit_unit } : null,
      paused: r.state === 'suspended', stoppedAt: iso(r.handling_stopped_at),
      overdue: r.handling_due_at !== null && (r.handling_stopped_at ?? now) > r.handling_due_at,
    },
    light: currentLight(r, now),
    counters: { returns: r.returns_count, extensions: r.extensions_count, suspensions: r.suspensions_count, reworks: r.reworks_count },
    selfHandled: r.self_handled === 1, satisfaction: r.satisfaction, mergedIntoId: r.merged_into_id, possibleDuplicate: r.duplicate_flag === 1,
    version: r.version, updatedAt: iso(r.updated_at),
  };
}

export type CaseDto = ReturnType<typeof caseDto>;

export async function getCase(db: Executor, caseId: number, now: number): Promise<CaseDto | null> {
  const row = await baseQuery(db).where('c.id', '=', caseId).executeTakeFirst();
  return row ? caseDto(row, now) : null;
}

export interface CaseListFilter {
  states?: string[];
  sources?: string[];
  classCode?: string;
  departmentId?: number;
  territoryPath?: string;
  /** 'now': the handling clock has run out and the department still holds the case; a time: same, as at that instant. */
  overdueAt?: number;
  light?: Light;
  q?: string;
  reportedFrom?: number;
  reportedTo?: number;
  possibleDuplicate?: boolean;
  applicationPending?: boolean;
  reportedBy?: { kind: string; id: number | null };
  sort: 'reported_desc' | 'reported_asc' | 'due_asc';
  limit: number;
  offset: number;
}

/**
 * The clock whose light a case shows (currentLight's rule, in SQL): the handling clock while a department
 * holds it, else its stage's. For counting red and yellow cases in grouped queries.
 */
export function lightClockSql() {
  const handling = sql.join(HANDLING_STATES.map((s) => sql.lit(s)));
  return {
    due: sql`case when c.state in (${handling}) then c.handling_due_at else c.stage_due_at end`,
    warn: sql`case when c.state in (${handling}) then c.handling_warn_at else c.stage_warn_at end`,
  };
}

export type CaseQuery = SelectQueryBuilder<Database & { c: Database['cases'] }, 'c', object>;

/** Whether a filter's territory (scope or filter) should be sought in its index: not when it asks for open cases only (casesUnder). */
const seeksTerritory = (f: Pick<CaseListFilter, 'states'>) => !(f.states?.length && f.states.every((s) => OPEN.has(s)));
const OPEN = new Set<string>(OPEN_STATES);

/** The cases an actor may read that match a filter: its scope, then the filter. */
export function scopedCases(db: Executor, actor: Actor, f: CaseListFilter, now: number): CaseQuery {
  return applyFilter(db, applyScope(db.selectFrom('cases as c'), actor, seeksTerritory(f)) as CaseQuery, f, now);
}

function applyScope<Q extends SelectQueryBuilder<any, any, any>>(query: Q, actor: Actor, seek = true): Q {
  const scope = caseReadScope(actor);
  return query.where((eb: any) => {
    const terms = [
      ...scope.territoryPrefixes.map((p) => casesUnder(eb, p, seek)),
      ...(scope.departmentIds.length ? [eb('c.department_id', 'in', scope.departmentIds)] : []),
    ];
    // A single term stands alone: OR-ed with a constant, SQLite no longer seeks its index (a street's count
    // read the whole street index: 367 ms instead of 0.5 at 10,000,000 cases).
    return terms.length === 0 ? sql<boolean>`1 = 0` : terms.length === 1 ? terms[0] : eb.or(terms);
  }) as Q;
}

function applyFilter(db: Executor, query: CaseQuery, f: CaseListFilter, now: number): CaseQuery {
  let q = query;
  if (f.states?.length) q = q.where('c.state', 'in', f.states);
  if (f.sources?.length) q = q.where('c.source', 'in', f.sources);
  if (f.classCode) q = q.where('c.class_code', '=', f.classCode);
  if (f.departmentId !== undefined) q = q.where('c.department_id', '=', f.departmentId);
  if (f.territoryPath) q = q.where((eb) => casesUnder(eb, f.territoryPath!, seeksTerritory(f)));
  if (f.reportedFrom !== undefined) q = q.where('c.reported_at', '>=', f.reportedFrom);
  if (f.reportedTo !== undefined) q = q.where('c.reported_at', '<', f.reportedTo);
  if (f.possibleDuplicate) q = q.where('c.duplicate_flag', '=', 1);
  if (f.applicationPending) q = q.where('c.application', 'is not', null);
  if (f.reportedBy) q = q.where('c.reported_by_kind', '=', f.reportedBy.kind).where('c.reported_by_id', '=', f.reportedBy.id);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([eb('c.code', '=', text), textContains(db, 'c.description', text), textContains(db, 'c.address', text)]));
  }
  if (f.overdueAt !== undefined) {
    // Overdue at T: due before T, not reported back by T (a feedback after T was still late at T). Asked as two
    // branches, each read from its own index: still held (cases_held_due, migration 016), and reported back
    // after T (cases_handling_stopped_due, 013). Written as one OR, PostgreSQL folded them into a condition it
    // could not estimate and scanned every case (9 s at 10,000,000).
    const at = f.overdueAt;
    q = q.where('c.id', 'in', (eb) => eb.selectFrom('cases as held').select('held.id')
      .where('held.handling_stopped_at', 'is', null).where('held.handling_due_at', 'is not', null).where('held.handling_due_at', '<', at)
      .unionAll(eb.selectFrom('cases as late').select('late.id').where('late.handling_stopped_at', '>', at).where('late.handling_due_at', '<', at)));
  }
  if (f.light) {
    // Lights of the handling clock for cases the departments hold (the queue that matters most).
    q = q.where('c.state', 'in', ['pending_handle', 'handling']);
    if (f.light === 'red') q = q.where('c.handling_due_at', '<', now);
    if (f.light === 'yellow') q = q.where('c.handling_due_at', '>=', now).where('c.handling_warn_at', '<=', now);
    if (f.light === 'green') q = q.where('c.handling_warn_at', '>', now);
  }
  return q;
}

/**
 * A list counts its matches up to this many and then says "at least": counting a district's two million
 * cases for every page would cost more than the page (issue 8), and no one pages that far.
 */
export const LIST_COUNT_CAP = 10_000;

/** The deadline a list sorts by: the handling clock's while it runs, else the stage's (an index holds it, migration 014). */
export const DUE_ORDER = sql`coalesce(c.handling_due_at, c.stage_due_at)`;

export async function listCases(db: Executor, actor: Actor, f: CaseListFilter, now: number, countCap = LIST_COUNT_CAP): Promise<{ total: number; totalExact: boolean; items: CaseDto[] }> {
  const scoped = scopedCases(db, actor, f, now);
  const counted = await db.selectFrom(scoped.select(sql<number>`1`.as('one')).limit(countCap + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
  const matches = Number(counted?.n ?? 0);
  const ids = scoped.select('c.id');
  const ordered = f.sort === 'due_asc'
    ? ids.orderBy(DUE_ORDER, 'asc').orderBy('c.id', 'asc')
    : ids.orderBy('c.reported_at', f.sort === 'reported_asc' ? 'asc' : 'desc').orderBy('c.id', f.sort === 'reported_asc' ? 'asc' : 'desc');
  const page = await ordered.limit(f.limit).offset(f.offset).execute();
  const rows = page.length ? await baseQuery(db).where('c.id', 'in', page.map((p) => p.id)).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { total: Math.min(matches, countCap), totalExact: matches <= countCap, items: page.map((p) => caseDto(byId.get(p.id)!, now)) };
}

const LIGHT_CODE: Record<string, number> = { green: 1, yellow: 2, red: 3 };

/**
 * The cases of a filter as map points, newest first: [lon, lat, light (0 none, 1 green, 2 yellow, 3
 * red), id], compact enough that a city's 100,000 open cases travel in a few megabytes.
 */
export async function casePoints(db: Executor, actor: Actor, f: CaseListFilter, now: number, limit: number) {
  const scoped = scopedCases(db, actor, f, now);
  const rows = await scoped.select(['c.id', 'c.lon', 'c.lat', 'c.state', 'c.handling_due_at', 'c.handling_warn_at', 'c.stage_due_at', 'c.stage_warn_at'])
    .orderBy('c.id', 'desc').limit(limit + 1).execute();
  return {
    truncated: rows.length > limit,
    points: rows.slice(0, limit).map((r) => [r.lon, r.lat, LIGHT_CODE[currentLight(r, now) ?? ''] ?? 0, r.id] as [number, number, number, number]),
  };
}

export async function reporterOf(db: Executor, caseId: number) {
  const r = await db.selectFrom('case_reporters').select(['name', 'phone', 'email', 'user_id']).where('case_id', '=', caseId).executeTakeFirst();
  return r ? { name: r.name, phone: r.phone, email: r.email, userId: r.user_id } : null;
}

export async function duplicateCandidates(db: Executor, caseId: number) {
  const rows = await db.selectFrom('case_duplicate_candidates as x').innerJoin('cases as c', 'c.id', 'x.candidate_id')
    .select(['c.id', 'c.code', 'c.state', 'c.description', 'c.reported_at', 'x.distance_m']).where('x.case_id', '=', caseId).orderBy('x.distance_m').execute();
  return rows.map((r) => ({ id: r.id, code: r.code, state: r.state, description: r.description, reportedAt: iso(r.reported_at), distanceM: r.distance_m }));
}

/** What anyone may see of a case (Open311 and the public portal): never who reported it or internal notes. */
function publicProjection(r: CaseJoinedRow) {
  return {
    code: r.code, state: r.state, stateLabel: CASE_STATES[r.state as CaseState]?.zh ?? r.state,
    class: { code: r.class_code, name: r.class_name }, description: r.description, address: r.address, location: [r.lon, r.lat] as [number, number],
    district: r.district_name, street: r.street_name, department: r.dept_name ?? null,
    reportedAt: iso(r.reported_at), updatedAt: iso(r.updated_at), expectedAt: iso(r.handling_due_at), closedAt: iso(r.closed_at), satisfaction: r.satisfaction,
  };
}

export async function publicCase(db: Executor, code: string) {
  const r = await baseQuery(db).where('c.code', '=', code).executeTakeFirst();
  return r ? publicProjection(r) : null;
}

/** A citizen's own reports (我的上报), newest first, in the public projection. */
export async function reportsOf(db: Executor, reporter: { kind: string; id: number | null }, limit: number, offset: number) {
  if (reporter.id === null) return { total: 0, items: [] };
  const mine = db.selectFrom('cases').where('reported_by_kind', '=', reporter.kind).where('reported_by_id', '=', reporter.id);
  const [count, rows] = await Promise.all([
    mine.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    baseQuery(db).where('c.reported_by_kind', '=', reporter.kind).where('c.reported_by_id', '=', reporter.id)
      .orderBy('c.reported_at', 'desc').orderBy('c.id', 'desc').limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), items: rows.map(publicProjection) };
}
