// The synthetic October of the monthly-evaluation benchmark, one case at a time: its row, its
// handling rounds and its events, as flat value arrays in the column order below, consistent the way
// the workflow would have written them (state, milestones, counters, clocks from the real calendar,
// rounds with their recorded overdue instants, on-time flags by the stage clocks). Pure after
// loadEvaluationWorld; no workflow code runs, so a million cases take seconds, not hours.
import type { Kysely } from 'kysely';
import { computeDeadline } from '@cityops/domain/calendar/deadlines';
import type { TimeLimit } from '@cityops/domain/calendar/time-limits';
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import type { PolygonalGeometry } from '@cityops/domain/geo/geometry';
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { initialClock, type HandlingClock } from '@cityops/domain/workflow/handling-clock';
import type { TimedStage } from '@cityops/domain/workflow/stage-limits';
import { CalendarCache } from '../server/src/calendar/calendar.service.ts';
import { activeCatalogVersionId } from '../server/src/catalog/catalog-import.ts';
import { handlingColumns, loadStageLimits, stageColumns, type StageLimits } from '../server/src/cases/case-clock.ts';
import { chooseStandard, type StandardCandidate } from '../server/src/cases/case-standard-lookup.ts';
import type { Database } from '../server/src/db/schema.ts';
import { MATTER_MIX, REASONS } from '../server/src/demo/demo-history-mix.ts';
import { cumulative, pick, pickWeighted, type Random } from '@cityops/domain/random';

const HOUR = 3_600_000;
const MAX_EXTENSIONS = 2;
/** Cases reported this long before the data set's end may stall (a whole October does). */
const STALL_HORIZON = 45 * 24 * HOUR;

export const CASE_COLUMNS = [
  'id', 'code', 'source', 'state', 'application', 'class_id', 'class_code', 'class_kind', 'standard_id', 'description', 'address', 'lon', 'lat',
  'grid_id', 'community_id', 'street_id', 'district_id', 'territory_path', 'urgency', 'limit_value', 'limit_unit', 'suggested_department_id', 'department_id',
  'reported_at', 'reported_by_kind', 'reported_by_id', 'registered_at', 'first_dispatched_at', 'dispatched_at', 'handled_at', 'closed_at', 'ended_at',
  'stage', 'stage_started_at', 'stage_due_at', 'stage_warn_at', 'handling_started_at', 'handling_round_extensions', 'handling_pauses', 'handling_limit_value',
  'handling_limit_unit', 'handling_due_at', 'handling_warn_at', 'handling_stopped_at', 'returns_count', 'extensions_count', 'suspensions_count', 'reworks_count',
  'self_handled', 'satisfaction', 'merged_into_id', 'duplicate_flag', 'version', 'created_at', 'updated_at', 'handling_round', 'handling_overdue_at', 'overdue_rounds', 'rated_at',
] as const;
export const EVENT_COLUMNS = ['case_id', 'seq', 'action', 'from_state', 'to_state', 'at', 'actor_kind', 'actor_id', 'actor_name', 'actor_role', 'department_id', 'reason', 'on_time'] as const;
export const ROUND_COLUMNS = ['case_id', 'seq', 'kind', 'department_id', 'grid_id', 'street_id', 'district_id', 'source', 'started_at', 'started_by', 'due_at', 'overdue_at', 'extensions', 'handled_at', 'ended_at', 'end_kind', 'reworked_at', 'case_closed_at'] as const;

/** ~60 % inspectors, ~40 % the public (12345, web/app, Open311), and a few third-party inspections. */
export const SOURCE_SHARES: [CaseSource, number, [number, number]][] = [
  ['inspector', 0.57, [8, 18]], ['third_party', 0.03, [9, 17]], ['hotline_12345', 0.25, [7, 22]], ['public_web', 0.1, [7, 23]], ['open311', 0.05, [0, 24]],
];
/** Probabilities of the branches each case can take. */
const MIX = { stalled: 0.04, duplicate: 0.02, mergeAfterRegister: 0.005, selfHandle: 0.05, rejectAtAccept: 0.02, rejectAtVerify: 0.03, refute: 0.07, voidAtRegister: 0.02, wrongDispatch: 0.03, extension: 0.03, extensionWhenLate: 0.35, extensionRefused: 0.15, checkFail: 0.07, rated: 0.7 };
/** Working hours from entering a stage to the step that leaves it: [min, max]. */
const DELAYS: Record<TimedStage | 'returnAsk' | 'ruling', [number, number]> = {
  accept: [0.02, 0.28], verify: [0.2, 1.15], register: [0.05, 1.05], dispatch: [0.02, 0.28], sign: [0.1, 1.1], check: [0.2, 2.2], close: [0.1, 1.05], returnAsk: [0.3, 2], ruling: [0.1, 1],
};

interface Actor { kind: 'user' | 'api_key' | 'anonymous'; id: number | null; name: string; role: string | null }
interface Place { gridId: number; communityId: number; streetId: number; districtId: number; path: string; name: string; bbox: [number, number, number, number]; index: number }
interface ClassRef { id: number; code: string; kind: string; name: string; candidates: StandardCandidate[] }
interface Suggestion { standardId: number; urgency: string; limit: TimeLimit; departmentId: number | null }

export interface EvaluationWorld {
  calendar: WorkCalendar;
  stageLimits: StageLimits;
  places: Place[];
  placeCum: number[];
  gridIndex: GridIndex;
  classes: ClassRef[];
  classCum: { staff: number[]; public: number[] };
  suggest(cls: ClassRef, place: Place): Suggestion;
  inspectorOf: Map<number, Actor>;
  departmentUser: Map<number, Actor>;
  departmentSpeed: Map<number, number>;
  dispatchable: number[];
  acceptors: Actor[]; shiftChiefs: Actor[]; dispatchers: Actor[]; evaluators: Actor[]; publicUsers: Actor[];
  apiKey: Actor;
}


/** The seeded city as the generator needs it: grids with their real ancestry, classes with their 立结案标准, staff by role. */
export async function loadEvaluationWorld(db: Kysely<Database>, random: Random): Promise<EvaluationWorld> {
  const nodes = await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'level', 'parent_id', 'path', 'area_class', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).execute();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const grids = nodes.filter((n) => n.level === 'grid').sort((a, b) => a.id - b.id);
  const geometries = await db.selectFrom('territory_nodes').select(['id', 'geometry']).where('level', '=', 'grid').orderBy('id').execute();
  const places: Place[] = grids.map((g, index) => {
    const community = byId.get(g.parent_id!)!;
    const street = byId.get(community.parent_id!)!;
    return { gridId: g.id, communityId: community.id, streetId: street.id, districtId: street.parent_id!, path: g.path, name: `${street.name}${community.name}`, bbox: [g.min_lon, g.min_lat, g.max_lon, g.max_lat], index };
  });
  const gridIndex = new GridIndex(geometries.map((g, i) => ({ id: i, geometry: JSON.parse(g.geometry) as PolygonalGeometry })));

  const versionId = await activeCatalogVersionId(db);
  const standards = await db.selectFrom('case_standards').select(['id', 'class_id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule']).where('active', '=', 1).execute();
  const matterRows = await db.selectFrom('catalog_classes').select(['id', 'code', 'kind', 'name']).where('version_id', '=', versionId).where('kind', '=', 'matter').where('active', '=', 1).execute();
  const mix = MATTER_MIX.flatMap((m) => {
    const row = matterRows.find((c) => c.code === m.code);
    const candidates = row ? standards.filter((s) => s.class_id === row.id) : [];
    return row && candidates.length ? [{ cls: { ...row, candidates }, m }] : [];
  });
  const classes = mix.map((x) => x.cls);

  const departments = await db.selectFrom('departments').select(['id', 'code', 'kind', 'active', 'territory_node_id']).orderBy('id').execute();
  const departmentIdByCode = new Map(departments.filter((d) => d.active === 1).map((d) => [d.code, d.id]));
  const territorial = new Map<number, number>();
  for (const d of departments) if (d.active === 1 && d.kind === 'territorial' && d.territory_node_id !== null && !territorial.has(d.territory_node_id)) territorial.set(d.territory_node_id, d.id);
  const directory = {
    districtCode: (id: number) => byId.get(id)?.code ?? null,
    departmentIdByCode: (code: string) => departmentIdByCode.get(code) ?? null,
    territorialUnitId: (nodeId: number) => territorial.get(nodeId) ?? null,
  };
  const suggestions = new Map<string, Suggestion>();

  const grants = await db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.username', 'r.role', 'r.territory_node_id', 'r.department_id']).orderBy('u.id').execute();
  const actor = (g: (typeof grants)[number]): Actor => ({ kind: 'user', id: g.id, name: g.username, role: g.role });
  const withRole = (role: string) => grants.filter((g) => g.role === role).map(actor);
  const inspectorOf = new Map(grants.filter((g) => g.role === 'inspector' && g.territory_node_id !== null).map((g) => [g.territory_node_id!, actor(g)]));
  const departmentUser = new Map(grants.filter((g) => g.role === 'department' && g.department_id !== null).map((g) => [g.department_id!, actor(g)]));
  const key = await db.selectFrom('api_keys').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow();

  return {
    calendar: await new CalendarCache(db).get(), stageLimits: await loadStageLimits(db), places,
    placeCum: cumulative(grids.map((g) => [0, 1.6, 1, 0.45][g.area_class] ?? 1)), gridIndex, classes,
    classCum: { staff: cumulative(mix.map((x) => x.m.weight)), public: cumulative(mix.map((x) => x.m.weight * (x.m.publicFactor ?? 1))) },
    suggest(cls, place) {
      const k = `${cls.id}/${place.streetId}`;
      let s = suggestions.get(k);
      if (!s) suggestions.set(k, (s = chooseStandard(cls.candidates, place, directory, { componentMaintainerId: null })));
      return s;
    },
    inspectorOf, departmentUser,
    departmentSpeed: new Map([...departmentUser.keys()].map((id) => [id, 0.5 + random() * 1.0])),
    dispatchable: [...departmentUser.keys()].filter((id) => departments.find((d) => d.id === id)?.kind === 'professional'),
    acceptors: withRole('acceptor'), shiftChiefs: withRole('shift_chief'), dispatchers: withRole('dispatcher'), evaluators: withRole('third_party_evaluator'), publicUsers: withRole('public'),
    apiKey: { kind: 'api_key', id: key.id, name: `api_key:${key.name}`, role: null },
  };
}

export interface SimulatedCase {
  /** When the case reached a terminal state (null while open at the data set's end). */
  ended: number | null;
  row: unknown[];
  events: unknown[][];
  rounds: unknown[][];
}

interface Round { seq: number; kind: 'dispatch' | 'rework'; department: number; startedAt: number; startedBy: number | null; dueAt: number; overdueAt: number | null; extensions: number; handledAt: number | null; endedAt: number | null; endKind: string | null; reworkedAt: number | null }

/** A standard normal deviate (Box–Muller). */
const normal = (random: Random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/**
 * One case reported at `at`, taken step by step until a terminal state or `until` (the data set's
 * "now"): every step after `until` is left undone, so late-October cases are still open. A few cases
 * stall (nobody takes the next step after some instant): a backlog, overdue in whatever stage it is.
 * `openCaseAt(t)` names an earlier case still open at t, for duplicates merged into it (并案).
 */
export function simulateCase(random: Random, world: EvaluationWorld, id: number, code: string, source: CaseSource, at: number, dataUntil: number, openCaseAt: (t: number) => number | null): SimulatedCase {
  const { calendar } = world;
  // Only cases of the data set's last weeks stall: an older backlog would have been cleared (the monthly
  // evaluation's overdue counts see to it), and a three-year set must not carry years of abandoned cases.
  const stalls = random() < MIX.stalled && dataUntil - at < STALL_HORIZON;
  const until = stalls ? at + Math.round(random() * Math.min(dataUntil - at, 5 * 24 * HOUR)) : dataUntil;
  const place = pickWeighted(random, world.places, world.placeCum);
  const fromPublic = CASE_SOURCES[source].fromPublic;
  const cls = pickWeighted(random, world.classes, fromPublic ? world.classCum.public : world.classCum.staff);
  const suggestion = world.suggest(cls, place);
  const [minLon, minLat, maxLon, maxLat] = place.bbox;
  let lon = (minLon + maxLon) / 2;
  let lat = (minLat + maxLat) / 2;
  for (let k = 0; k < 8; k++) {
    const x = Math.round((minLon + (maxLon - minLon) * random()) * 1e7) / 1e7;
    const y = Math.round((minLat + (maxLat - minLat) * random()) * 1e7) / 1e7;
    if (world.gridIndex.locate(x, y) === place.index) { lon = x; lat = y; break; }
  }
  const inspector = world.inspectorOf.get(place.streetId)!;
  const reporter: Actor = source === 'inspector' ? inspector : source === 'third_party' ? pick(random, world.evaluators)
    : source === 'hotline_12345' ? pick(random, world.acceptors) : source === 'open311' ? world.apiKey
      : random() < 0.4 ? pick(random, world.publicUsers) : { kind: 'anonymous', id: null, name: '公众', role: null };

  const events: unknown[][] = [];
  const rounds: Round[] = [];
  let state: CaseState = CASE_SOURCES[source].intakeState;
  let t = at;
  let department: number | null = null;
  let clock: HandlingClock = initialClock(suggestion.limit);
  let handling = handlingColumns(calendar, clock, MAX_EXTENSIONS);
  let current: Round | null = null;
  const c = { registered: null as number | null, firstDispatched: null as number | null, dispatched: null as number | null, handled: null as number | null, closed: null as number | null, ended: null as number | null,
    returns: 0, extensions: 0, reworks: 0, selfHandled: 0, satisfaction: null as string | null, rated: null as number | null, overdueRounds: 0, mergedInto: null as number | null,
    /** The department's application awaiting the dispatcher's ruling. */
    application: null as string | null };
  let stageStart = at;

  const emit = (action: string, who: Actor, to: CaseState, onTime: 0 | 1 | null, reason: string | null = null, eventDepartment = department) => {
    events.push([id, events.length + 1, action, state, to, t, who.kind, who.id, who.name, who.role, eventDepartment, reason, onTime]);
    if (to !== state) stageStart = t;
    state = to;
  };
  /** Waits in the current stage for a step; false once the step would fall after `until`. */
  const wait = (range: [number, number], factor = 1) => {
    t = calendar.addWorkingMs(t, Math.round((range[0] + (range[1] - range[0]) * random()) * factor * HOUR));
    return t <= until;
  };
  const stageOnTime = (): 0 | 1 => (t <= computeDeadline(calendar, stageStart, world.stageLimits[CASE_STATES[state].stage as TimedStage]).dueAtMs! ? 1 : 0);
  /** A step with a clock effect on a running round records the round overdue at its deadline, once. */
  const touch = () => {
    if (current && current.endedAt === null && current.overdueAt === null && t > current.dueAt) { current.overdueAt = current.dueAt; c.overdueRounds++; }
  };
  const open = (kind: Round['kind'], startedBy: number | null) => {
    clock = { ...clock, startedAtMs: t, roundExtensions: 0, pauses: [], stoppedAtMs: null };
    handling = handlingColumns(calendar, clock, MAX_EXTENSIONS);
    current = { seq: rounds.length + 1, kind, department: department!, startedAt: t, startedBy, dueAt: handling.handling_due_at!, overdueAt: null, extensions: 0, handledAt: null, endedAt: null, endKind: null, reworkedAt: null };
    rounds.push(current);
  };
  const end = () => { c.ended = t; };

  /** A duplicate joins an earlier open case (并案) and ends; false when there is none to join. */
  const merge = (who: Actor) => {
    const target = openCaseAt(t);
    if (target === null) return false;
    emit('merge', who, 'merged', stageOnTime());
    c.mergedInto = target;
    end();
    return true;
  };

  events.push([id, 1, 'report', null, state, t, reporter.kind, reporter.id, reporter.name, null, null, null, null]);
  run: {
    if (state === 'pending_verify') {
      if (random() < MIX.duplicate) {
        if (!wait(DELAYS.accept)) break run;
        if (merge(pick(random, world.acceptors))) break run;
      }
      const roll = random();
      if (roll < MIX.rejectAtVerify) {
        if (!wait(DELAYS.accept)) break run;
        emit('reject', pick(random, world.acceptors), 'not_accepted', stageOnTime(), pick(random, REASONS.reject)); end(); break run;
      }
      if (!wait(DELAYS.verify)) break run;
      if (roll < MIX.rejectAtVerify + MIX.refute) { emit('verify_refute', inspector, 'not_accepted', stageOnTime(), pick(random, REASONS.refute)); end(); break run; }
      emit('verify_confirm', inspector, 'pending_register', stageOnTime());
    } else {
      if (source === 'inspector' && random() < MIX.selfHandle) {
        if (!wait([0.05, 0.2])) break run;
        emit('self_handle', inspector, 'closed', stageOnTime()); c.selfHandled = 1; c.closed = t; end(); break run;
      }
      if (!wait(DELAYS.accept)) break run;
      if (random() < MIX.rejectAtAccept) { emit('reject', pick(random, world.acceptors), 'not_accepted', stageOnTime(), pick(random, REASONS.reject)); end(); break run; }
      emit('accept', pick(random, world.acceptors), 'pending_register', stageOnTime());
    }
    if (!wait(DELAYS.register)) break run;
    if (random() < MIX.voidAtRegister) { emit('void', pick(random, world.shiftChiefs), 'voided', stageOnTime(), pick(random, REASONS.void)); end(); break run; }
    emit('register', pick(random, world.shiftChiefs), 'pending_dispatch', stageOnTime());
    c.registered = t;
    // Found to repeat an open case only after registration: the registration was not accurate.
    if (random() < MIX.mergeAfterRegister) {
      if (!wait(DELAYS.dispatch)) break run;
      if (merge(pick(random, world.shiftChiefs))) break run;
    }

    const right = suggestion.departmentId;
    const rightUser = right === null ? undefined : world.departmentUser.get(right);
    if (right === null || !rightUser) break run; // nobody to send it to: it waits for dispatch
    const dispatcher = pick(random, world.dispatchers);
    const dispatch = (to: number) => {
      emit('dispatch', dispatcher, 'pending_handle', stageOnTime(), null, to);
      department = to;
      c.dispatched = t;
      c.firstDispatched ??= t;
      open('dispatch', dispatcher.id);
    };
    if (!wait(DELAYS.dispatch)) break run;
    if (random() < MIX.wrongDispatch) {
      const wrong = pick(random, world.dispatchable);
      const wrongUser = world.departmentUser.get(wrong);
      if (wrong !== right && wrongUser) {
        dispatch(wrong);
        if (!wait(DELAYS.sign)) break run;
        emit('sign', wrongUser, 'handling', stageOnTime());
        if (!wait(DELAYS.returnAsk)) break run;
        emit('request_return', wrongUser, 'handling', null, pick(random, REASONS.returnAsk));
        c.application = 'return';
        if (!wait(DELAYS.ruling)) break run;
        touch();
        emit('approve_return', dispatcher, 'pending_dispatch', current!.overdueAt === null ? 1 : 0);
        c.application = null;
        Object.assign(current!, { endedAt: t, endKind: 'returned' });
        c.returns++;
        department = null;
        clock = initialClock(suggestion.limit);
        handling = handlingColumns(calendar, clock, MAX_EXTENSIONS);
        if (!wait(DELAYS.dispatch)) break run;
      }
    }
    dispatch(right);
    const speed = world.departmentSpeed.get(right) ?? 1;
    for (let round = 0; ; round++) {
      if (!wait(DELAYS.sign, speed)) break run;
      emit('sign', rightUser, 'handling', stageOnTime());
      // Handling time as a share of the limit: lognormal around half of it, scaled by the department.
      const share = speed * Math.exp(-0.7 + 0.55 * normal(random));
      const limit = suggestion.limit;
      const feedbackAt = computeDeadline(calendar, current!.startedAt, { value: limit.value * share, unit: limit.unit }).dueAtMs!;
      if (round === 0 && random() < (share > 1 ? MIX.extensionWhenLate : MIX.extension)) {
        t = Math.max(t, computeDeadline(calendar, current!.startedAt, { value: limit.value * 0.7, unit: limit.unit }).dueAtMs!);
        if (t > until) break run;
        emit('request_extension', rightUser, 'handling', null, pick(random, REASONS.extension));
        c.application = 'extension';
        if (!wait(DELAYS.ruling)) break run;
        c.application = null;
        if (random() < MIX.extensionRefused) emit('refuse_extension', dispatcher, 'handling', null, pick(random, REASONS.extensionRefused));
        else {
          touch();
          emit('approve_extension', dispatcher, 'handling', null);
          clock = { ...clock, roundExtensions: clock.roundExtensions + 1 };
          handling = handlingColumns(calendar, clock, MAX_EXTENSIONS);
          current!.dueAt = handling.handling_due_at!;
          current!.extensions++;
          c.extensions++;
        }
      }
      t = Math.max(t + 5 * 60_000, feedbackAt);
      if (t > until) break run;
      touch();
      emit('feedback', rightUser, 'pending_check', current!.overdueAt === null ? 1 : 0);
      clock = { ...clock, stoppedAtMs: t };
      handling = handlingColumns(calendar, clock, MAX_EXTENSIONS);
      Object.assign(current!, { handledAt: t, endedAt: t, endKind: 'handled' });
      c.handled = t;
      if (!wait(DELAYS.check)) break run;
      if (round === 0 && random() < MIX.checkFail) {
        emit('check_fail', inspector, 'pending_handle', stageOnTime(), pick(random, REASONS.checkFail));
        current!.reworkedAt = t;
        c.reworks++;
        c.handled = null;
        open('rework', inspector.id);
        continue;
      }
      emit('check_pass', inspector, 'pending_close', stageOnTime());
      break;
    }
    if (!wait(DELAYS.close)) break run;
    emit('close', pick(random, world.shiftChiefs), 'closed', stageOnTime());
    c.closed = t;
    end();
    if (fromPublic && random() < MIX.rated) {
      t += Math.round((3 + random() * 37) * HOUR);
      if (t > until) break run;
      let roll = random();
      c.satisfaction = roll < 0.78 ? 'satisfied' : (roll -= 0.78) < 0.15 ? 'basically_satisfied' : 'dissatisfied';
      c.rated = t;
      emit('rate', pick(random, world.acceptors), 'closed', null);
    }
  }
  const last = events[events.length - 1]![5] as number;
  const stage = stageColumns(calendar, state, stageStart, world.stageLimits, handling);
  const currentRound = current as Round | null;
  const row = [
    id, code, source, state, c.application, cls.id, cls.code, cls.kind, suggestion.standardId, `${place.name}${cls.name}`, place.name, lon, lat,
    place.gridId, place.communityId, place.streetId, place.districtId, place.path, suggestion.urgency, suggestion.limit.value, suggestion.limit.unit, suggestion.departmentId, department,
    at, reporter.kind, reporter.id, c.registered, c.firstDispatched, c.dispatched, c.handled, c.closed, c.ended,
    stage.stage, stage.stage_started_at, stage.stage_due_at, stage.stage_warn_at, handling.handling_started_at, handling.handling_round_extensions, handling.handling_pauses, handling.handling_limit_value,
    handling.handling_limit_unit, handling.handling_due_at, handling.handling_warn_at, handling.handling_stopped_at, c.returns, c.extensions, 0, c.reworks,
    c.selfHandled, c.satisfaction, c.mergedInto, 0, events.length, at, last, rounds.length, currentRound?.overdueAt ?? null, c.overdueRounds, c.rated,
  ];
  return {
    ended: c.ended, row, events,
    rounds: rounds.map((r) => [id, r.seq, r.kind, r.department, place.gridId, place.streetId, place.districtId, source, r.startedAt, r.startedBy, r.dueAt, r.overdueAt, r.extensions, r.handledAt, r.endedAt, r.endKind, r.reworkedAt, c.closed]),
  };
}
