// The case workflow (数字城管业务流程) as one table. The server enforces it (decide.ts) and the web app
// reads it (GET /api/workflow) to offer only the actions a user may take. Adding a flow is adding a row.
import type { Role } from '../access/roles.ts';
import type { CaseState } from './case-states.ts';

/** A department's pending application (申请) awaiting the dispatcher's ruling. */
export const APPLICATIONS = {
  return: { zh: '回退申请', en: 'Return request' },
  extension: { zh: '延期申请', en: 'Extension request' },
  suspension: { zh: '挂账申请', en: 'Suspension request' },
} as const;
export type Application = keyof typeof APPLICATIONS;

/**
 * Preconditions, by name. Each is checked in one place (decide.ts):
 * - reason: a non-empty reason (理由) is required (returns, voids, rejections, failed checks …)
 * - photos: at least one attachment (feedback and self-handling need evidence photos)
 * - target_department: the department to dispatch to
 * - merge_target: the open case this one duplicates (并案)
 * - satisfaction: the callback answer
 * - no_application: no application is pending
 * - application:<kind>: that application is pending
 * - extension_quota: fewer approved extensions than the policy allows
 * - public_source: the case came from the public (only they get a satisfaction callback)
 * - not_rated: no satisfaction answer recorded yet
 * - inspector_source: the case was reported by an inspector (自处置 is theirs only)
 */
export type Guard =
  | 'reason'
  | 'photos'
  | 'target_department'
  | 'merge_target'
  | 'satisfaction'
  | 'no_application'
  | `application:${Application}`
  | 'extension_quota'
  | 'public_source'
  | 'not_rated'
  | 'inspector_source';

/**
 * What a transition does to the handling clock (处置时限) besides changing state:
 * start (dispatch), extend (+1× the limit), pause (挂账), resume, restart (返工: a fresh limit), stop
 * (feedback: the handling time ends), clear (return to dispatch: the clock is discarded).
 */
export type ClockEffect = 'start' | 'extend' | 'pause' | 'resume' | 'restart' | 'stop' | 'clear';

/** Counters kept on the case for the indicators (回退, 延期, 挂账, 返工). */
export type CaseCounter = 'returns' | 'extensions' | 'suspensions' | 'reworks';

export interface TransitionRow {
  action: string;
  zh: string;
  en: string;
  from: readonly CaseState[];
  /** 'same' keeps the state (applications, rulings, the satisfaction callback). */
  to: CaseState | 'same';
  /** Roles that may act; a department acts on its own cases, the others within their territory. */
  roles: readonly Role[];
  guards: readonly Guard[];
  clock?: ClockEffect;
  /** Sets (a kind) or clears (null) the pending application. */
  application?: Application | null;
  count?: CaseCounter;
  /** Dispatch sets the responsible department; an approved return clears it. */
  department?: 'set' | 'clear';
  /** Whether the UI should present this action as a refusal or negative outcome (red button). */
  negative?: boolean;
}

const DEPARTMENT_ACTIVE: readonly CaseState[] = ['pending_handle', 'handling'];

export const TRANSITIONS = [
  // 受理 / 核实 (acceptance and on-site verification of reports)
  { action: 'accept', zh: '受理', en: 'Accept', from: ['pending_accept'], to: 'pending_register', roles: ['acceptor'], guards: [] },
  { action: 'send_verify', zh: '发核实', en: 'Send for verification', from: ['pending_accept'], to: 'pending_verify', roles: ['acceptor'], guards: [] },
  { action: 'reject', zh: '不予受理', en: 'Reject', from: ['pending_accept', 'pending_verify'], to: 'not_accepted', roles: ['acceptor'], guards: ['reason'], negative: true },
  { action: 'verify_confirm', zh: '核实属实', en: 'Confirm on site', from: ['pending_verify'], to: 'pending_register', roles: ['inspector'], guards: [] },
  { action: 'verify_refute', zh: '核实不属实', en: 'Refute on site', from: ['pending_verify'], to: 'not_accepted', roles: ['inspector'], guards: ['reason'], negative: true },
  // 立案 / 作废
  { action: 'register', zh: '立案', en: 'Register', from: ['pending_register'], to: 'pending_dispatch', roles: ['shift_chief'], guards: [] },
  { action: 'void', zh: '作废', en: 'Void', from: ['pending_register'], to: 'voided', roles: ['shift_chief'], guards: ['reason'], negative: true },
  // 派遣: the handling clock starts
  { action: 'dispatch', zh: '派遣', en: 'Dispatch', from: ['pending_dispatch'], to: 'pending_handle', roles: ['dispatcher'], guards: ['target_department'], clock: 'start', department: 'set' },
  // 处置
  { action: 'sign', zh: '签收', en: 'Sign for', from: ['pending_handle'], to: 'handling', roles: ['department'], guards: ['no_application'] },
  { action: 'feedback', zh: '处理反馈', en: 'Report back', from: ['handling'], to: 'pending_check', roles: ['department'], guards: ['no_application', 'photos'], clock: 'stop' },
  // 回退 (wrong dispatch): the department asks with a reason, the dispatcher rules
  { action: 'request_return', zh: '申请回退', en: 'Request return', from: DEPARTMENT_ACTIVE, to: 'same', roles: ['department'], guards: ['no_application', 'reason'], application: 'return' },
  { action: 'approve_return', zh: '同意回退', en: 'Approve return', from: DEPARTMENT_ACTIVE, to: 'pending_dispatch', roles: ['dispatcher'], guards: ['application:return'], application: null, clock: 'clear', count: 'returns', department: 'clear' },
  { action: 'refuse_return', zh: '驳回回退', en: 'Refuse return', from: DEPARTMENT_ACTIVE, to: 'same', roles: ['dispatcher'], guards: ['application:return', 'reason'], application: null, negative: true },
  // 延期: +1× the limit, at most twice
  { action: 'request_extension', zh: '申请延期', en: 'Request extension', from: DEPARTMENT_ACTIVE, to: 'same', roles: ['department'], guards: ['no_application', 'reason', 'extension_quota'], application: 'extension' },
  { action: 'approve_extension', zh: '同意延期', en: 'Approve extension', from: DEPARTMENT_ACTIVE, to: 'same', roles: ['dispatcher'], guards: ['application:extension', 'extension_quota'], application: null, clock: 'extend', count: 'extensions' },
  { action: 'refuse_extension', zh: '驳回延期', en: 'Refuse extension', from: DEPARTMENT_ACTIVE, to: 'same', roles: ['dispatcher'], guards: ['application:extension', 'reason'], application: null, negative: true },
  // 挂账: a long-term hard case; the clock pauses until it resumes
  { action: 'request_suspension', zh: '申请挂账', en: 'Request suspension', from: ['handling'], to: 'same', roles: ['department'], guards: ['no_application', 'reason'], application: 'suspension' },
  { action: 'approve_suspension', zh: '同意挂账', en: 'Approve suspension', from: ['handling'], to: 'suspended', roles: ['dispatcher'], guards: ['application:suspension'], application: null, clock: 'pause', count: 'suspensions' },
  { action: 'refuse_suspension', zh: '驳回挂账', en: 'Refuse suspension', from: ['handling'], to: 'same', roles: ['dispatcher'], guards: ['application:suspension', 'reason'], application: null, negative: true },
  { action: 'resume', zh: '恢复处置', en: 'Resume', from: ['suspended'], to: 'handling', roles: ['dispatcher'], guards: [], clock: 'resume' },
  // 核查 / 结案
  { action: 'check_pass', zh: '核查通过', en: 'Check passed', from: ['pending_check'], to: 'pending_close', roles: ['inspector'], guards: [] },
  { action: 'check_fail', zh: '核查不通过(返工)', en: 'Check failed (rework)', from: ['pending_check'], to: 'pending_handle', roles: ['inspector'], guards: ['reason'], clock: 'restart', count: 'reworks', negative: true },
  { action: 'close', zh: '结案', en: 'Close', from: ['pending_close'], to: 'closed', roles: ['shift_chief'], guards: [] },
  // 自处置: an inspector fixes a trivial problem on the spot and reports it closed, with photos
  { action: 'self_handle', zh: '自处置', en: 'Self-handled', from: ['pending_accept'], to: 'closed', roles: ['inspector'], guards: ['inspector_source', 'photos'] },
  // 并案: a duplicate joins an open case and ends
  { action: 'merge', zh: '并案', en: 'Merge into', from: ['pending_accept', 'pending_verify', 'pending_register', 'pending_dispatch'], to: 'merged', roles: ['acceptor', 'shift_chief'], guards: ['merge_target'] },
  // 回访: the citizen's satisfaction with a closed public case
  // The acceptor's callback (回访), or the reporter's own rating on the public portal (the server lets the
  // public role act only for the holder of the report's tracking key).
  { action: 'rate', zh: '满意度回访', en: 'Satisfaction callback', from: ['closed'], to: 'same', roles: ['acceptor', 'public'], guards: ['public_source', 'not_rated', 'satisfaction'] },
] as const satisfies readonly TransitionRow[];

export type CaseAction = (typeof TRANSITIONS)[number]['action'];
export const CASE_ACTIONS = TRANSITIONS.map((t) => t.action) as CaseAction[];

const BY_ACTION = new Map<string, TransitionRow>(TRANSITIONS.map((t) => [t.action, t]));

export function transitionFor(action: string): TransitionRow | undefined {
  return BY_ACTION.get(action);
}

export function isCaseAction(value: string): value is CaseAction {
  return BY_ACTION.has(value);
}
