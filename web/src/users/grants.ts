// A user's grants as the administrator edits them: a role and its scope. Which scope a role needs is the
// server's rule (domain ROLE_SCOPE, checked by PUT /api/users/:id/grants): a department's staff act for one
// department, the public role has no scope, every other role acts within a territory node's subtree.
import type { GrantBody, UserGrant } from '../api/users.ts';

export type ScopeKind = 'territory' | 'department' | 'none';

export function scopeOf(role: string): ScopeKind {
  if (role === 'department') return 'department';
  if (role === 'public') return 'none';
  return 'territory';
}

export interface GrantDraft {
  role: string;
  territoryCode: string;
  departmentCode: string;
}

export function draftsFrom(grants: readonly UserGrant[]): GrantDraft[] {
  return grants.map((g) => ({ role: g.role, territoryCode: g.territoryCode ?? '', departmentCode: g.departmentCode ?? '' }));
}

/** The PUT body: each grant with the one scope its role takes (a department's territory follows the department). */
export function grantBodies(drafts: readonly GrantDraft[]): GrantBody[] {
  return drafts.map((d) => {
    const scope = scopeOf(d.role);
    if (scope === 'department') return { role: d.role, departmentCode: d.departmentCode.trim() || null };
    if (scope === 'territory') return { role: d.role, territoryCode: d.territoryCode.trim() || null };
    return { role: d.role };
  });
}
