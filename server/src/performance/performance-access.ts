// Who may read which indicators and rankings. A territory grant reads its subtree (and the ranking its
// own node takes part in: a district government sees how the city ranks its districts); a department
// reads itself and the department ranking, never a territory (its grant's node is its home, not a scope:
// grant-scope.ts); rankings of persons are for the office and leaders only.
import type { Permission } from '@cityops/domain/access/permissions';
import { grantsFor, territoryScopeOf, type Actor } from '@cityops/domain/access/scope';
import type { PerformanceSubject } from '@cityops/domain/performance/scheme';
import { inTerritoryScope, territoryScopes } from '../access/grant-scope.ts';
import { forbidden } from '../http/errors.ts';

const OVERSEERS = new Set(['admin', 'evaluation_office', 'leader']);

export function mayReadNode(actor: Actor, permission: Permission, nodePath: string): boolean {
  return inTerritoryScope(actor, permission, nodePath);
}

export function mayReadDepartment(actor: Actor, permission: Permission, departmentId: number): boolean {
  return grantsFor(actor, permission).some((g) => g.departmentId === departmentId || (territoryScopeOf(g) !== null && OVERSEERS.has(g.role)));
}

export function mayReadPerson(actor: Actor, permission: Permission, personId: number): boolean {
  return (actor.kind === 'user' && actor.id === personId) || grantsFor(actor, permission).some((g) => OVERSEERS.has(g.role));
}

/** A ranking of regions under `parentPath`: readable inside one's subtree, or where one's own node is ranked. */
export function assertMayReadRanking(actor: Actor, subject: PerformanceSubject, parentPath: string | null): void {
  const grants = grantsFor(actor, 'performance.read');
  const ok = subject === 'region'
    ? parentPath !== null && territoryScopes(actor, 'performance.read').some((scope) => parentPath.startsWith(scope) || isChildPath(scope, parentPath))
    : subject === 'department'
      ? grants.length > 0
      : grants.some((g) => OVERSEERS.has(g.role));
  if (!ok) throw forbidden(`the ${subject} ranking is outside your scope`);
}

function isChildPath(child: string, parent: string): boolean {
  if (!child.startsWith(parent)) return false;
  return child.slice(parent.length).split('/').filter(Boolean).length === 1;
}
