// The territory a caller's grants make theirs to read. A grant's territory node is a scope only for the roles
// that act within a territory (ROLE_SCOPE): a department grant carries its department's home node as well (the
// city, for a city department; users.service.ts fills it in), which says where the department sits, not what it
// answers for. Read as a scope, it opened the whole city's indicators and region rankings to a city department
// (PRODUCT §1: a department sees the cases dispatched to it and its own performance). Every read that derives
// a territory scope from grants asks here (and grantCovers, in the domain, applies the same territoryScopeOf).
import type { Permission } from '@cityops/domain/access/permissions';
import { grantsFor, territoryScopeOf, type Actor } from '@cityops/domain/access/scope';

/** The territory subtrees the actor's grants conferring the permission are scopes over, in grant order. */
export function territoryScopes(actor: Actor, permission: Permission): string[] {
  return grantsFor(actor, permission).flatMap((g) => {
    const path = territoryScopeOf(g);
    return path ? [path] : [];
  });
}

/** Whether the node at `path` lies inside one of those subtrees. */
export function inTerritoryScope(actor: Actor, permission: Permission, path: string): boolean {
  return territoryScopes(actor, permission).some((scope) => path.startsWith(scope));
}
