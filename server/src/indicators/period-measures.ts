// Counts for one period, rolled up: every territory node (a grid's counts added to each ancestor),
// every department, every person. The counts come by grid, by department and by person
// (period-counts.ts, through the store of ended periods); the roll-up is arithmetic over them.
import { addMeasures, emptyMeasures, type Measures } from '@cityops/domain/indicators/measures';
import type { Period } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import { countedPeriod } from './period-cells-cache.ts';

export interface TerritoryNodeRef {
  id: number;
  code: string;
  name: string;
  level: string;
  parentId: number | null;
  areaClass: number;
  path: string;
}

export interface PersonRef {
  id: number;
  username: string;
  name: string;
  roles: { role: string; territoryNodeId: number | null; departmentId: number | null }[];
}

export interface DepartmentRef {
  id: number;
  code: string;
  name: string;
  kind: string;
}

export interface PeriodMeasures {
  period: Period;
  /** The counts run to here: the period end, or now for a period not over yet. */
  asOf: number;
  nodes: Map<number, TerritoryNodeRef>;
  territory: Map<number, Measures>;
  departments: Map<number, { ref: DepartmentRef; measures: Measures }>;
  persons: Map<number, { ref: PersonRef; measures: Measures }>;
}

async function loadReferences(db: Executor) {
  const [nodes, departments, users, roles] = await Promise.all([
    db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'level', 'parent_id', 'area_class', 'path']).execute(),
    db.selectFrom('departments').select(['id', 'code', 'name', 'kind']).execute(),
    db.selectFrom('users').select(['id', 'username', 'display_name']).execute(),
    db.selectFrom('user_roles').select(['user_id', 'role', 'territory_node_id', 'department_id']).execute(),
  ]);
  const people = new Map<number, PersonRef>(users.map((u) => [u.id, { id: u.id, username: u.username, name: u.display_name, roles: [] }]));
  for (const r of roles) people.get(r.user_id)?.roles.push({ role: r.role, territoryNodeId: r.territory_node_id, departmentId: r.department_id });
  return {
    nodes: new Map<number, TerritoryNodeRef>(nodes.map((n) => [n.id, { id: n.id, code: n.code, name: n.name, level: n.level, parentId: n.parent_id, areaClass: n.area_class, path: n.path }])),
    departments: new Map<number, DepartmentRef>(departments.map((d) => [d.id, d])),
    people,
  };
}

/** The node and its ancestors, from its materialised path of codes ('/990100/990102/…/'). */
function chainOf(node: TerritoryNodeRef, idByCode: Map<string, number>): number[] {
  return node.path.split('/').filter(Boolean).map((code) => idByCode.get(code)).filter((id): id is number => id !== undefined);
}

export async function loadPeriodMeasures(db: Executor, period: Period, now: number, options: { useStore?: boolean; useKept?: boolean } = {}): Promise<PeriodMeasures> {
  const asOf = Math.min(period.toMs, now);
  const [refs, cells] = await Promise.all([loadReferences(db), countedPeriod(db, period, now, options)]);
  const personCounts = cells.persons;

  const territory = new Map<number, Measures>();
  const at = (id: number) => {
    let m = territory.get(id);
    if (!m) territory.set(id, (m = emptyMeasures()));
    return m;
  };
  for (const node of refs.nodes.values()) at(node.id);
  const departments = new Map<number, { ref: DepartmentRef; measures: Measures }>();
  for (const ref of refs.departments.values()) departments.set(ref.id, { ref, measures: emptyMeasures() });

  // Each grid's total is added once to the grid and every node above it.
  const idByCode = new Map([...refs.nodes.values()].map((n) => [n.code, n.id]));
  for (const [gridId, total] of cells.grids) {
    const grid = refs.nodes.get(gridId);
    const chain = grid ? chainOf(grid, idByCode) : [];
    if (!chain.includes(gridId)) chain.push(gridId);
    for (const id of chain) addMeasures(at(id), total);
  }
  for (const [departmentId, total] of cells.departments) {
    const d = departments.get(departmentId);
    if (d) addMeasures(d.measures, total);
  }

  const persons = new Map<number, { ref: PersonRef; measures: Measures }>();
  for (const ref of refs.people.values()) {
    const measures = addMeasures(emptyMeasures(), personCounts.get(ref.id) ?? {});
    // An inspector's area is the territory of their grants: what the public reported there was missed on patrol.
    for (const grant of ref.roles) {
      if (grant.role !== 'inspector' || grant.territoryNodeId === null) continue;
      const area = territory.get(grant.territoryNodeId);
      if (area) { measures.area_registered += area.registered; measures.area_registered_public += area.registered_public; }
    }
    persons.set(ref.id, { ref, measures });
  }
  return { period, asOf, nodes: refs.nodes, territory, departments, persons };
}

/** The departments' counts of a period alone: what the department report needs, without the territory's roll-up and the people. */
export type DepartmentMeasures = Pick<PeriodMeasures, 'period' | 'asOf' | 'departments'>;

export async function loadDepartmentMeasures(db: Executor, period: Period, now: number): Promise<DepartmentMeasures> {
  const [refs, cells] = await Promise.all([
    db.selectFrom('departments').select(['id', 'code', 'name', 'kind']).execute(),
    countedPeriod(db, period, now),
  ]);
  const departments = new Map<number, { ref: DepartmentRef; measures: Measures }>();
  for (const ref of refs) departments.set(ref.id, { ref, measures: addMeasures(emptyMeasures(), cells.departments.get(ref.id) ?? {}) });
  return { period, asOf: Math.min(period.toMs, now), departments };
}
