// The states of a case (案卷状态). Each open state belongs to a stage (环节) whose time limit runs while
// the case sits there; the handling stage runs on the 立结案标准 limit instead of a stage limit.

export interface CaseStateRow {
  zh: string;
  en: string;
  /** Terminal states take no further action except the satisfaction callback on closed. */
  terminal: boolean;
  /** The stage whose clock runs in this state; null when no clock runs (terminal, suspended). */
  stage: Stage | null;
}

export const CASE_STATES = {
  pending_accept: { zh: '待受理', en: 'Awaiting acceptance', terminal: false, stage: 'accept' },
  pending_verify: { zh: '待核实', en: 'Awaiting verification', terminal: false, stage: 'verify' },
  pending_register: { zh: '待立案', en: 'Awaiting registration', terminal: false, stage: 'register' },
  pending_dispatch: { zh: '待派遣', en: 'Awaiting dispatch', terminal: false, stage: 'dispatch' },
  pending_handle: { zh: '待签收', en: 'Awaiting sign-off', terminal: false, stage: 'sign' },
  handling: { zh: '处置中', en: 'Being handled', terminal: false, stage: 'handle' },
  suspended: { zh: '挂账', en: 'Suspended', terminal: false, stage: null },
  pending_check: { zh: '待核查', en: 'Awaiting check', terminal: false, stage: 'check' },
  pending_close: { zh: '待结案', en: 'Awaiting closing', terminal: false, stage: 'close' },
  closed: { zh: '已结案', en: 'Closed', terminal: true, stage: null },
  not_accepted: { zh: '不予受理', en: 'Not accepted', terminal: true, stage: null },
  voided: { zh: '已作废', en: 'Voided', terminal: true, stage: null },
  merged: { zh: '已并案', en: 'Merged', terminal: true, stage: null },
} as const satisfies Record<string, CaseStateRow>;

export type CaseState = keyof typeof CASE_STATES;
export const CASE_STATE_NAMES = Object.keys(CASE_STATES) as CaseState[];

/** The states a case is still open in (not terminal), from the table. */
export const OPEN_STATES: readonly CaseState[] = CASE_STATE_NAMES.filter((name) => !CASE_STATES[name].terminal);

export function isCaseState(value: string): value is CaseState {
  return Object.hasOwn(CASE_STATES, value);
}

/**
 * Stages (环节) with their own time limits (PRODUCT §4). 'handle' is the department's handling time
 * (处置时限) from dispatch to feedback; its limit comes from the 立结案标准, the others from stage limits.
 */
export const STAGES = {
  accept: { zh: '受理', en: 'Acceptance' },
  verify: { zh: '核实', en: 'Verification' },
  register: { zh: '立案', en: 'Registration' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  sign: { zh: '签收', en: 'Sign-off' },
  handle: { zh: '处置', en: 'Handling' },
  check: { zh: '核查', en: 'Check' },
  close: { zh: '结案', en: 'Closing' },
} as const;

export type Stage = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as Stage[];

/** States in which the department's handling clock is running or paused (dispatched, not yet reported back). */
export const HANDLING_STATES: readonly CaseState[] = ['pending_handle', 'handling', 'suspended'];
