// How a case's state reads to an Open311 client: the core spec has only `open` and `closed`; the
// FixMyStreet extension adds finer states (open311.md §1.13 D) that its clients map to their own. One
// table, so the GET requests, the updates feed and the conformance tests agree.
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';

export const FMS_STATUS: Record<CaseState, string> = {
  pending_accept: 'open',
  pending_verify: 'investigating',
  pending_register: 'investigating',
  pending_dispatch: 'action_scheduled',
  pending_handle: 'action_scheduled',
  handling: 'in_progress',
  suspended: 'in_progress',
  pending_check: 'in_progress',
  pending_close: 'in_progress',
  closed: 'fixed',
  not_accepted: 'no_further_action',
  voided: 'no_further_action',
  merged: 'duplicate',
};

/** `closed` once the case has ended (结案, 不予受理, 作废, 并案), else `open`. */
export function coreStatus(state: string): 'open' | 'closed' {
  return (CASE_STATES as Record<string, { terminal: boolean }>)[state]?.terminal ? 'closed' : 'open';
}

export const CLOSED_STATES = Object.entries(CASE_STATES).filter(([, s]) => s.terminal).map(([k]) => k);
