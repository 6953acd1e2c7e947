import type { Permission } from './permissions.ts';
import { roleHasPermission } from './permissions.ts';
import { ROLE_SCOPE, type Role } from './roles.ts';

/** One role held by an actor, with the territory subtree and/or department it is limited to. */
export interface Grant {
  role: Role;
  /** Materialised path of the territory node ('/1/4/'); the grant covers that node's subtree. */
  territoryPath: string | null;
  departmentId: number | null;
}

export interface Actor {
  kind: 'user' | 'api_key' | 'anonymous' | 'system' | 'cli';
  id: number | null;
  name: string;
  grants: Grant[];
}

export interface ScopeTarget {
  /** Path of the territory node the target belongs to (for a node: its own path). */
  territoryPath?: string | null;
  departmentId?: number | null;
}

/** The grants of an actor that confer the permission, whatever their scope. */
export function grantsFor(actor: Actor, permission: Permission): Grant[] {
  return actor.grants.filter((g) => roleHasPermission(g.role, permission));
}

/**
 * The territory subtree a grant is a scope over. A department's grant carries its department's home node too
 * (the city, for a city department), which says where the department sits, not what it answers for: none.
 */
export function territoryScopeOf(grant: Grant): string | null {
  return ROLE_SCOPE[grant.role] === 'department' ? null : grant.territoryPath;
}

/**
 * A grant covers a target when the target lies inside the grant's territory scope, or belongs to the grant's
 * department. A grant with neither limit covers nothing scoped (the public).
 */
export function grantCovers(grant: Grant, target: ScopeTarget): boolean {
  const scope = territoryScopeOf(grant);
  if (scope && target.territoryPath && target.territoryPath.startsWith(scope)) return true;
  if (grant.departmentId !== null && target.departmentId !== undefined && target.departmentId === grant.departmentId) return true;
  return false;
}

export function canOn(actor: Actor, permission: Permission, target: ScopeTarget): boolean {
  return grantsFor(actor, permission).some((g) => grantCovers(g, target));
}
