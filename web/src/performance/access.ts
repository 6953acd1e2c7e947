// Which evaluations the signed-in user is offered, from their grants, as the server decides them
// (server/src/performance/performance-access.ts): a territory grant reads region rankings in its subtree and
// the one its own node takes part in; any reader reads the department ranking; the posts' rankings are
// for the office and leaders. The server still decides every request: a 403 shows as a message.
import type { MeGrant } from '../api/auth.ts';
import { PERFORMANCE_SUBJECTS, type PerformanceSubject } from '../api/performance.ts';

/** Grants whose node is a scope (a department's node is only its home). */
const TERRITORY_READERS = new Set(['admin', 'evaluation_office', 'leader', 'territory_government']);
const OVERSEERS = new Set(['admin', 'evaluation_office', 'leader']);

export function readableSubjects(grants: readonly MeGrant[], canRead: boolean): PerformanceSubject[] {
  if (!canRead) return [];
  const territory = grants.some((g) => TERRITORY_READERS.has(g.role) && g.territoryPath !== null);
  const overseer = grants.some((g) => OVERSEERS.has(g.role));
  return PERFORMANCE_SUBJECTS.filter((s) => (s === 'region' ? territory : s === 'department' ? true : overseer));
}

/**
 * The region ranking a user opens first: the city's for the city's own grants, otherwise the ranking their
 * own node takes part in (a district government sees the city rank its districts; a street's, its district's).
 */
export function homeParent(grants: readonly MeGrant[]): string | null {
  const paths = grants.filter((g) => TERRITORY_READERS.has(g.role) && g.territoryPath).map((g) => g.territoryPath!.split('/').filter(Boolean));
  if (paths.length === 0) return null;
  const top = paths.reduce((a, b) => (b.length < a.length ? b : a));
  return top.length <= 1 ? top[0] ?? null : top[top.length - 2]!;
}

/**
 * Whether a region's own ranking (its children's) is the reader's to open: anywhere for a grant on the city; else its
 * own node (on its scope's path), and anything under it once they have drilled below their home ranking. Offered
 * links only: a neighbouring district's streets are not a district government's, and the server would refuse them.
 */
export function mayDrillInto(grants: readonly MeGrant[], home: string | null, parent: string, unitCode: string): boolean {
  const scopes = grants.filter((g) => TERRITORY_READERS.has(g.role) && g.territoryPath).map((g) => g.territoryPath!.split('/').filter(Boolean));
  if (scopes.some((s) => s.length === 1)) return true;
  return parent !== home || scopes.some((s) => s.includes(unitCode));
}
