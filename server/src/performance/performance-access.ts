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

/**
 * Whether the actor reads a ranking: of regions under `parentPath` inside one's subtree, or where one's own node
 * is ranked; the departments' for any reader; a post's for the office and leaders. The web asks the server
 * (`GET /api/performance`, each region's `drillable`) rather than keeping a copy of this rule.
 */
export function mayReadRanking(actor: Actor, subject: PerformanceSubject, parentPath: string | null): boolean {
  const grants = grantsFor(actor, 'performance.read');
  return subject === 'region'
    ? parentPath !== null && territoryScopes(actor, 'performance.read').some((scope) => parentPath.startsWith(scope) || isChildPath(scope, parentPath))
    : subject === 'department'
      ? grants.length > 0
      : grants.some((g) => OVERSEERS.has(g.role));
}

export function assertMayReadRanking(actor: Actor, subject: PerformanceSubject, parentPath: string | null): void {
  if (!mayReadRanking(actor, subject, parentPath)) throw forbidden(`the ${subject} ranking is outside your scope`);
}

/**
 * The region ranking a reader opens first, by the code of the node whose children it ranks: the ranking their
 * highest node takes part in (a district government's: the city's districts), or the city's own for a grant on
 * the city. Null without a territory scope. (Paths are the codes from the root: '/990100/990102/'.)
 */
export function homeRankingParent(actor: Actor): string | null {
  const scopes = territoryScopes(actor, 'performance.read').map((p) => p.split('/').filter(Boolean));
  if (!scopes.length) return null;
  const top = scopes.reduce((a, b) => (b.length < a.length ? b : a));
  return (top.length <= 1 ? top[0] : top[top.length - 2]) ?? null;
}

function isChildPath(child: string, parent: string): boolean {
  if (!child.startsWith(parent)) return false;
  return child.slice(parent.length).split('/').filter(Boolean).length === 1;
}
