// What a history replay needs to know about the city, loaded once: accounts and their grants, the
// catalog, the 立结案标准, departments, components, and the grid index. A replay then runs in memory and
// answers the same questions live intake asks the database, through the same pure functions.
import { isRole } from '@cityops/domain/access/roles';
import type { Actor, Grant } from '@cityops/domain/access/scope';
import type { Executor } from '../../db/database.ts';
import { activeCatalogVersionId } from '../../catalog/catalog-import.ts';
import type { GridAssignment, TerritoryLocator } from '../../territory/territory-locator.ts';
import { chooseStandard, type DepartmentDirectory, type StandardCandidate, type StandardSuggestion } from '../case-standard-lookup.ts';
import type { WorkflowDeps } from '../case-transition-plan.ts';

export interface WorldClass { id: number; code: string; name: string; kind: string; active: boolean }
export interface WorldDepartment { id: number; code: string; active: boolean; kind: string; territoryNodeId: number | null }
export interface WorldComponent { id: number; code: string; classCode: string; maintainerDepartmentId: number | null; lon: number; lat: number }
export interface ExistingCase { id: number; code: string; source: string; externalRef: string | null; state: string; territoryPath: string; departmentId: number | null; classId: number; lon: number; lat: number; reportedAt: number }

export interface ReplayWorld {
  deps: WorkflowDeps;
  locator: TerritoryLocator;
  actors: Map<string, Actor>;
  /** A class code's matter before its component (a component's code is also its "异常" matter's). */
  classByCode: Map<string, WorldClass>;
  departments: Map<string, WorldDepartment>;
  departmentById: Map<number, WorldDepartment>;
  components: Map<string, WorldComponent>;
  suggest(classId: number, place: GridAssignment, componentMaintainerId: number | null): StandardSuggestion;
  /** Cases already stored that a replay may meet: merge targets by code, duplicates by time window. */
  existingByCode: Map<string, ExistingCase>;
  existingInWindow: ExistingCase[];
  /** (source, external ref) pairs already stored: a case imported twice is refused. */
  existingRefs: Set<string>;
}

export interface WorldNeeds {
  usernames: Set<string>;
  componentCodes: Set<string>;
  caseCodes: Set<string>;
  refs: { source: string; ref: string }[];
  /** Reported-at range of the import, for duplicate detection against stored cases. */
  fromMs: number;
  toMs: number;
  windowMs: number;
}

const CHUNK = 500;

function chunks<T>(values: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

export const refKey = (source: string, ref: string) => `${source}\u0000${ref}`;

async function loadActors(db: Executor, usernames: Set<string>): Promise<Map<string, Actor>> {
  const actors = new Map<string, Actor>();
  for (const names of chunks([...usernames])) {
    const rows = await db.selectFrom('users as u').leftJoin('user_roles as r', 'r.user_id', 'u.id').leftJoin('territory_nodes as t', 't.id', 'r.territory_node_id')
      .select(['u.id', 'u.username', 'r.role', 'r.department_id', 't.path']).where('u.username', 'in', names).execute();
    for (const r of rows) {
      const actor = actors.get(r.username) ?? { kind: 'user' as const, id: r.id, name: r.username, grants: [] as Grant[] };
      if (r.role && isRole(r.role)) actor.grants.push({ role: r.role, territoryPath: r.path ?? null, departmentId: r.department_id ?? null });
      actors.set(r.username, actor);
    }
  }
  return actors;
}

export async function loadReplayWorld(db: Executor, deps: WorkflowDeps, locator: TerritoryLocator, needs: WorldNeeds): Promise<ReplayWorld> {
  const versionId = await activeCatalogVersionId(db);
  const classByCode = new Map<string, WorldClass>();
  for (const c of await db.selectFrom('catalog_classes').select(['id', 'code', 'name', 'kind', 'active']).where('version_id', '=', versionId).orderBy('id').execute()) {
    const held = classByCode.get(c.code);
    if (!held || (held.kind !== 'matter' && c.kind === 'matter')) classByCode.set(c.code, { id: c.id, code: c.code, name: c.name, kind: c.kind, active: c.active === 1 });
  }
  const standardsByClass = new Map<number, StandardCandidate[]>();
  for (const s of await db.selectFrom('case_standards').select(['id', 'class_id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule']).where('active', '=', 1).execute()) {
    const list = standardsByClass.get(s.class_id) ?? [];
    list.push(s);
    standardsByClass.set(s.class_id, list);
  }
  const departments = new Map<string, WorldDepartment>();
  const departmentById = new Map<number, WorldDepartment>();
  const territorialByNode = new Map<number, number>();
  for (const d of await db.selectFrom('departments').select(['id', 'code', 'active', 'kind', 'territory_node_id']).orderBy('id').execute()) {
    const dept = { id: d.id, code: d.code, active: d.active === 1, kind: d.kind, territoryNodeId: d.territory_node_id };
    departments.set(d.code, dept);
    departmentById.set(d.id, dept);
    if (dept.active && d.kind === 'territorial' && d.territory_node_id !== null && !territorialByNode.has(d.territory_node_id)) territorialByNode.set(d.territory_node_id, d.id);
  }
  const districtCodes = new Map((await db.selectFrom('territory_nodes').select(['id', 'code']).where('level', '=', 'district').execute()).map((n) => [n.id, n.code]));
  const directory: DepartmentDirectory = {
    districtCode: (id) => districtCodes.get(id) ?? null,
    departmentIdByCode: (code) => {
      const d = departments.get(code);
      return d?.active ? d.id : null;
    },
    territorialUnitId: (nodeId) => territorialByNode.get(nodeId) ?? null,
  };
  const components = new Map<string, WorldComponent>();
  for (const codes of chunks([...needs.componentCodes])) {
    const rows = await db.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
      .select(['p.id', 'p.code', 'c.code as class_code', 'p.maintainer_department_id', 'p.lon', 'p.lat']).where('p.code', 'in', codes).execute();
    for (const p of rows) components.set(p.code, { id: p.id, code: p.code, classCode: p.class_code, maintainerDepartmentId: p.maintainer_department_id, lon: p.lon, lat: p.lat });
  }
  const caseColumns = ['id', 'code', 'source', 'external_ref', 'state', 'territory_path', 'department_id', 'class_id', 'lon', 'lat', 'reported_at'] as const;
  const existing = (r: { id: number; code: string; source: string; external_ref: string | null; state: string; territory_path: string; department_id: number | null; class_id: number; lon: number; lat: number; reported_at: number }): ExistingCase => ({
    id: r.id, code: r.code, source: r.source, externalRef: r.external_ref, state: r.state, territoryPath: r.territory_path, departmentId: r.department_id, classId: r.class_id, lon: r.lon, lat: r.lat, reportedAt: r.reported_at,
  });
  const existingByCode = new Map<string, ExistingCase>();
  for (const codes of chunks([...needs.caseCodes])) {
    for (const r of await db.selectFrom('cases').select(caseColumns).where('code', 'in', codes).execute()) existingByCode.set(r.code, existing(r));
  }
  const existingRefs = new Set<string>();
  const bySource = new Map<string, string[]>();
  for (const { source, ref } of needs.refs) bySource.set(source, [...(bySource.get(source) ?? []), ref]);
  for (const [source, refs] of bySource) {
    for (const part of chunks(refs)) {
      for (const r of await db.selectFrom('cases').select('external_ref').where('source', '=', source).where('external_ref', 'in', part).execute()) existingRefs.add(refKey(source, r.external_ref!));
    }
  }
  const existingInWindow = (await db.selectFrom('cases').select(caseColumns)
    .where('reported_at', '>=', needs.fromMs - needs.windowMs).where('reported_at', '<=', needs.toMs + needs.windowMs)
    .where('state', 'not in', ['merged', 'voided', 'not_accepted']).execute()).map(existing);
  return {
    deps, locator, actors: await loadActors(db, needs.usernames), classByCode, departments, departmentById, components,
    suggest: (classId, place, componentMaintainerId) => chooseStandard(standardsByClass.get(classId) ?? [], place, directory, { componentMaintainerId }),
    existingByCode, existingInWindow, existingRefs,
  };
}
