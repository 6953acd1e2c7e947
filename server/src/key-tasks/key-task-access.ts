// Who sees and does what in key-task supervision. The office (and leaders, and the administrator) over the
// plan's territory see the whole plan; a responsible unit sees the tasks it answers for: a department user
// those where its department is a lead or cooperating unit, a territory government those of a territory
// node inside its own subtree. Everyone else gets 404 for a task, as if it did not exist.
import type { Actor } from '@cityops/domain/access/scope';
import { grantCovers, grantsFor, territoryScopeOf } from '@cityops/domain/access/scope';
import type { Permission } from '@cityops/domain/access/permissions';
import type { Role } from '@cityops/domain/access/roles';
import type { Executor } from '../db/database.ts';

/** The roles that answer for tasks: they read their own tasks, never a whole plan by territory alone. */
const UNIT_ROLES: readonly Role[] = ['department', 'territory_government'];

/** A responsible unit as stored (key_task_units) and shown. */
export interface TaskUnit {
  key: string;
  kind: 'department' | 'territory';
  id: number;
  code: string;
  name: string;
  /** The territory node's path; null for a department. */
  path: string | null;
  role: 'lead' | 'cooperating';
}

export const unitKeyOf = (kind: 'department' | 'territory', id: number) => `${kind}:${id}`;

/** Whether the actor reads (or, with key_task.manage, keeps) the whole plan owned by the node at `planPath`. */
export function wholePlan(actor: Actor, permission: Permission, planPath: string): boolean {
  return grantsFor(actor, permission).some((g) => {
    const scope = territoryScopeOf(g);
    return !UNIT_ROLES.includes(g.role) && scope !== null && planPath.startsWith(scope);
  });
}

/** Whether one of the actor's grants conferring the permission covers the unit. */
export function coversUnit(actor: Actor, permission: Permission, unit: Pick<TaskUnit, 'kind' | 'id' | 'path'>): boolean {
  // A department user's grant also names its department's home territory: here it counts for its department only.
  return grantsFor(actor, permission).some((g) => (g.role === 'department'
    ? unit.kind === 'department' && g.departmentId === unit.id
    : unit.kind === 'territory' && grantCovers(g, { territoryPath: unit.path })));
}

/** The responsible units of the tasks, by task id, lead first, then by code. */
export async function unitsOfTasks(db: Executor, taskIds: number[]): Promise<Map<number, TaskUnit[]>> {
  const byTask = new Map<number, TaskUnit[]>();
  if (taskIds.length === 0) return byTask;
  const rows = await db.selectFrom('key_task_units as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('territory_nodes as n', 'n.id', 'u.territory_node_id')
    .select(['u.task_id', 'u.role', 'u.unit_key', 'u.department_id', 'u.territory_node_id', 'd.code as d_code', 'd.name as d_name', 'n.code as n_code', 'n.name as n_name', 'n.path as n_path'])
    .where('u.task_id', 'in', taskIds).execute();
  for (const r of rows) {
    const unit: TaskUnit = r.department_id !== null
      ? { key: r.unit_key, kind: 'department', id: Number(r.department_id), code: r.d_code!, name: r.d_name!, path: null, role: r.role }
      : { key: r.unit_key, kind: 'territory', id: Number(r.territory_node_id), code: r.n_code!, name: r.n_name!, path: r.n_path!, role: r.role };
    const list = byTask.get(Number(r.task_id)) ?? [];
    list.push(unit);
    byTask.set(Number(r.task_id), list);
  }
  for (const list of byTask.values()) list.sort((a, b) => (a.role === b.role ? a.code.localeCompare(b.code) : a.role === 'lead' ? -1 : 1));
  return byTask;
}

/** The plan of a task or milestone with its owner's path, for the access checks. */
export async function planOf(db: Executor, planId: number) {
  return db.selectFrom('key_task_plans as p').innerJoin('territory_nodes as n', 'n.id', 'p.owner_node_id')
    .select(['p.id', 'p.code', 'p.name', 'p.year', 'p.rule_code', 'p.description', 'p.owner_node_id', 'n.code as owner_code', 'n.name as owner_name', 'n.path as owner_path'])
    .where('p.id', '=', planId).executeTakeFirst();
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof planOf>>>;

/** 'all' for whoever reads the whole plan; 'units' for a responsible unit; the units it sees are filtered per task. */
export function readScope(actor: Actor, plan: PlanRow): 'all' | 'units' {
  return wholePlan(actor, 'key_task.read', plan.owner_path) ? 'all' : 'units';
}

export function seesTask(actor: Actor, scope: 'all' | 'units', units: readonly TaskUnit[]): boolean {
  return scope === 'all' || units.some((u) => coversUnit(actor, 'key_task.read', u));
}
