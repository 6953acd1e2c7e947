// Who may see and act on which case: the one place where case scope is decided. A department acts
// on the cases dispatched to it; every other role within its territory subtree (PRODUCT §1).
import { ROLE_SCOPE, type Role } from '@cityops/domain/access/roles';
import { grantCovers, grantsFor, type Actor } from '@cityops/domain/access/scope';
import { territoryScopes } from '../access/grant-scope.ts';
import type { Executor } from '../db/database.ts';
import { notFound } from '../http/errors.ts';

export interface CaseScopeTarget {
  territoryPath: string;
  departmentId: number | null;
}

/** Roles the actor holds whose scope covers the case: what the workflow table is checked against. */
export function coveringRoles(actor: Actor, target: CaseScopeTarget): Role[] {
  const roles = new Set<Role>();
  for (const grant of actor.grants) {
    const covered = ROLE_SCOPE[grant.role] === 'department'
      ? grant.departmentId !== null && grant.departmentId === target.departmentId
      : grantCovers(grant, { territoryPath: target.territoryPath });
    if (covered) roles.add(grant.role);
  }
  return [...roles];
}

export function canReadCase(actor: Actor, target: CaseScopeTarget): boolean {
  return grantsFor(actor, 'case.read').some((grant) =>
    ROLE_SCOPE[grant.role] === 'department'
      ? grant.departmentId !== null && grant.departmentId === target.departmentId
      : grantCovers(grant, { territoryPath: target.territoryPath }));
}

/** The SQL filter equivalent of canReadCase, for lists: territory prefixes or departments. */
export interface CaseReadScope {
  territoryPrefixes: string[];
  departmentIds: number[];
}

export function caseReadScope(actor: Actor): CaseReadScope {
  return {
    territoryPrefixes: territoryScopes(actor, 'case.read'),
    departmentIds: grantsFor(actor, 'case.read').flatMap((g) => (ROLE_SCOPE[g.role] === 'department' && g.departmentId !== null ? [g.departmentId] : [])),
  };
}

/**
 * Loads the scope facts of a case and checks the actor may read it. A case outside the actor's scope
 * answers 404, like a case that does not exist: its existence is not the actor's business either.
 */
export async function requireReadableCase(db: Executor, actor: Actor, caseId: number): Promise<CaseScopeTarget & { id: number }> {
  const row = await db.selectFrom('cases').select(['id', 'territory_path', 'department_id']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound(`case ${caseId}`);
  const target = { id: row.id, territoryPath: row.territory_path, departmentId: row.department_id };
  if (!canReadCase(actor, target)) throw notFound(`case ${caseId}`);
  return target;
}
