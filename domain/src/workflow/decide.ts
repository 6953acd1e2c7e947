// Applies the transition table to one case: who may act, in which state, with what input. Pure; the
// server calls it inside the transaction that writes the result, the UI calls allowedActions().
import type { Role } from '../access/roles.ts';
import type { CaseState } from './case-states.ts';
import { CASE_SOURCES, isSatisfactionLevel, type CaseSource, type SatisfactionLevel } from './case-sources.ts';
import { TRANSITIONS, transitionFor, type Application, type Guard, type TransitionRow } from './transitions.ts';

/** The facts about a case that the table's guards read. */
export interface CaseSnapshot {
  state: CaseState;
  source: CaseSource;
  application: Application | null;
  /** Approved extensions so far (延期次数). */
  extensions: number;
  satisfaction: SatisfactionLevel | null;
}

export interface ActionInput {
  reason?: string | null;
  attachmentCount?: number;
  departmentId?: number | null;
  mergeTargetId?: number | null;
  satisfaction?: string | null;
}

export interface WorkflowPolicy {
  /** At most this many approved extensions per case (default 2). */
  maxExtensions: number;
}

export const DEFAULT_WORKFLOW_POLICY: Readonly<WorkflowPolicy> = Object.freeze({ maxExtensions: 2 });

export const REASON_MAX_LENGTH = 2000;

export type DecisionError =
  | { code: 'unknown_action'; message: string }
  | { code: 'forbidden'; message: string }
  | { code: 'invalid_state'; message: string }
  | { code: 'precondition_failed'; message: string; guard: Guard }
  | { code: 'invalid_input'; message: string; field: string };

export type Decision =
  | { ok: true; row: TransitionRow; to: CaseState; role: Role }
  | { ok: false; error: DecisionError };

type StateGuardCheck = (s: CaseSnapshot, policy: WorkflowPolicy) => string | null;
type InputGuardCheck = (input: ActionInput) => { field: string; message: string } | null;

/** Guards on the case itself: failing one is a conflict with the case's current situation. */
const STATE_GUARDS: Partial<Record<Guard, StateGuardCheck>> = {
  no_application: (s) => (s.application ? `a ${s.application} application is pending; the dispatcher rules on it first` : null),
  'application:return': (s) => (s.application === 'return' ? null : 'no return application is pending'),
  'application:extension': (s) => (s.application === 'extension' ? null : 'no extension application is pending'),
  'application:suspension': (s) => (s.application === 'suspension' ? null : 'no suspension application is pending'),
  extension_quota: (s, p) => (s.extensions < p.maxExtensions ? null : `at most ${p.maxExtensions} extensions (延期) are allowed per case`),
  public_source: (s) => (CASE_SOURCES[s.source].fromPublic ? null : 'only cases reported by the public get a satisfaction callback'),
  not_rated: (s) => (s.satisfaction === null ? null : 'the satisfaction callback is already recorded'),
  inspector_source: (s) => (s.source === 'inspector' ? null : 'only an inspector\'s own report can be self-handled (自处置)'),
};

/** Guards on what the actor sends: failing one is a bad request naming the field. */
const INPUT_GUARDS: Partial<Record<Guard, InputGuardCheck>> = {
  reason: (i) => {
    const reason = i.reason?.trim() ?? '';
    if (!reason) return { field: 'reason', message: 'a reason is required for this action' };
    if (reason.length > REASON_MAX_LENGTH) return { field: 'reason', message: `reason is longer than ${REASON_MAX_LENGTH} characters` };
    return null;
  },
  photos: (i) => ((i.attachmentCount ?? 0) > 0 ? null : { field: 'attachmentIds', message: 'at least one photo is required as evidence' }),
  target_department: (i) => (i.departmentId ? null : { field: 'departmentId', message: 'the department to dispatch to is required' }),
  merge_target: (i) => (i.mergeTargetId ? null : { field: 'mergeTargetId', message: 'the case to merge into is required' }),
  satisfaction: (i) =>
    i.satisfaction && isSatisfactionLevel(i.satisfaction) ? null : { field: 'satisfaction', message: 'satisfaction must be satisfied, basically_satisfied or dissatisfied' },
};

function stateProblem(row: TransitionRow, snapshot: CaseSnapshot, policy: WorkflowPolicy): DecisionError | null {
  if (!row.from.includes(snapshot.state)) {
    return { code: 'invalid_state', message: `'${row.action}' is not possible in state ${snapshot.state} (it needs ${row.from.join(' or ')})` };
  }
  for (const guard of row.guards) {
    const problem = STATE_GUARDS[guard]?.(snapshot, policy);
    if (problem) return { code: 'precondition_failed', message: problem, guard };
  }
  return null;
}

/**
 * Decide one action. `coveringRoles` are the roles the actor holds whose scope covers this case
 * (territory for most roles, the case's department for a department). The first failure wins, in
 * the order: action, role, state, case preconditions, input.
 */
export function decide(
  snapshot: CaseSnapshot,
  action: string,
  input: ActionInput,
  coveringRoles: readonly Role[],
  policy: WorkflowPolicy = DEFAULT_WORKFLOW_POLICY,
): Decision {
  const row = transitionFor(action);
  if (!row) return { ok: false, error: { code: 'unknown_action', message: `unknown action '${action}'` } };
  const role = row.roles.find((r) => coveringRoles.includes(r));
  if (!role) return { ok: false, error: { code: 'forbidden', message: `'${action}' is for ${row.roles.join(' or ')} with this case in scope` } };
  const problem = stateProblem(row, snapshot, policy);
  if (problem) return { ok: false, error: problem };
  for (const guard of row.guards) {
    const bad = INPUT_GUARDS[guard]?.(input);
    if (bad) return { ok: false, error: { code: 'invalid_input', ...bad } };
  }
  return { ok: true, row, to: row.to === 'same' ? snapshot.state : row.to, role };
}

/** Actions the actor could take now (input aside): what the UI offers as buttons. */
export function allowedActions(snapshot: CaseSnapshot, coveringRoles: readonly Role[], policy: WorkflowPolicy = DEFAULT_WORKFLOW_POLICY): TransitionRow[] {
  return TRANSITIONS.filter((row) => row.roles.some((r) => coveringRoles.includes(r)) && stateProblem(row, snapshot, policy) === null);
}

/** The input fields an action needs, for forms (derived from its guards). */
export function requiredInputs(row: TransitionRow): string[] {
  const fields: Record<string, string> = { reason: 'reason', photos: 'attachmentIds', target_department: 'departmentId', merge_target: 'mergeTargetId', satisfaction: 'satisfaction' };
  return row.guards.flatMap((g) => (fields[g] ? [fields[g] as string] : []));
}
