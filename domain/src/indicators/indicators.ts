// The indicators of PRODUCT §6 and the posts of GB/T 30428.4 (cn-standards §1.8), each defined once
// as a ratio of two counts (measures.ts). A ratio with a zero denominator has no value ("—"), never
// 0 % or 100 %: a department that had nothing due is not perfect, nor failing; it is not measured.
import { MEASURES, type Attribution, type MeasureCode, type Measures } from './measures.ts';

export interface IndicatorRow {
  zh: string;
  en: string;
  numerator: MeasureCode;
  denominator: MeasureCode;
  /** 'higher' when a higher rate is better (结案率), 'lower' when it is worse (返工率). */
  better: 'higher' | 'lower';
  /** The post the indicator judges, for person indicators. */
  post?: 'inspector' | 'acceptor' | 'shift_chief' | 'dispatcher';
  note?: string;
}

export const INDICATORS = {
  closing_rate: { zh: '结案率', en: 'Closing rate', numerator: 'closed', denominator: 'due_to_close', better: 'higher' },
  on_time_closing_rate: { zh: '按期结案率', en: 'On-time closing rate', numerator: 'closed_on_time', denominator: 'due_to_close', better: 'higher' },
  handling_rate: { zh: '处置率', en: 'Handling rate', numerator: 'handled', denominator: 'due_to_handle', better: 'higher' },
  on_time_handling_rate: { zh: '按期处置率', en: 'On-time handling rate', numerator: 'handled_on_time', denominator: 'due_to_handle', better: 'higher' },
  rework_rate: { zh: '返工率', en: 'Rework rate', numerator: 'reworked', denominator: 'handled', better: 'lower' },
  extension_rate: { zh: '延期率', en: 'Extension rate', numerator: 'extended', denominator: 'due_to_handle', better: 'lower' },
  proactive_rate: { zh: '主动发现率', en: 'Proactive discovery rate', numerator: 'registered_inspector', denominator: 'registered', better: 'higher' },
  public_report_rate: { zh: '监督举报率', en: 'Public report rate', numerator: 'registered_public', denominator: 'registered', better: 'lower', note: 'problems the public found before the patrol did' },
  satisfaction_rate: { zh: '群众满意率', en: 'Public satisfaction rate', numerator: 'satisfied', denominator: 'callbacks', better: 'higher' },
  rectification_rate: { zh: '按时整改率', en: 'On-time rectification rate', numerator: 'rectified_on_time', denominator: 'rectification_due', better: 'higher' },
  complaint_routing_rate: { zh: '投诉分流率', en: 'Complaint routing rate', numerator: 'complaints_routed', denominator: 'complaints_received', better: 'higher' },
  // 监督员
  valid_report_rate: { zh: '有效上报率', en: 'Valid report rate', numerator: 'reports_valid', denominator: 'reports_made', better: 'higher', post: 'inspector' },
  missed_report_rate: { zh: '漏报率', en: 'Missed report rate', numerator: 'area_registered_public', denominator: 'area_registered', better: 'lower', post: 'inspector' },
  on_time_verification_rate: { zh: '按时核实率', en: 'On-time verification rate', numerator: 'verifications_on_time', denominator: 'verifications', better: 'higher', post: 'inspector' },
  on_time_check_rate: { zh: '按时核查率', en: 'On-time check rate', numerator: 'checks_on_time', denominator: 'checks', better: 'higher', post: 'inspector' },
  // 受理员
  on_time_verify_request_rate: { zh: '核实按时派发率', en: 'On-time verification request rate', numerator: 'verify_requests_on_time', denominator: 'verify_requests', better: 'higher', post: 'acceptor' },
  on_time_acceptance_rate: { zh: '按时受理率', en: 'On-time acceptance rate', numerator: 'acceptances_on_time', denominator: 'acceptances', better: 'higher', post: 'acceptor', note: 'stands in for 核查按时派发率: in this workflow a check goes to the inspectors without an acceptor step' },
  // 值班长
  on_time_registration_rate: { zh: '按时立案率', en: 'On-time registration rate', numerator: 'registrations_on_time', denominator: 'registrations', better: 'higher', post: 'shift_chief' },
  accurate_registration_rate: { zh: '准确立案率', en: 'Accurate registration rate', numerator: 'registrations_accurate', denominator: 'registrations', better: 'higher', post: 'shift_chief', note: 'a registration later merged as a duplicate is inaccurate; a void is a decision not to register, not an error' },
  on_time_closing_post_rate: { zh: '按时结案率(值班长)', en: 'On-time closing rate (shift chief)', numerator: 'closings_on_time', denominator: 'closings', better: 'higher', post: 'shift_chief' },
  // 派遣员
  on_time_dispatch_rate: { zh: '按时派遣率', en: 'On-time dispatch rate', numerator: 'dispatches_on_time', denominator: 'dispatches', better: 'higher', post: 'dispatcher' },
  accurate_dispatch_rate: { zh: '准确派遣率', en: 'Accurate dispatch rate', numerator: 'dispatches_accurate', denominator: 'dispatches', better: 'higher', post: 'dispatcher' },
} as const satisfies Record<string, IndicatorRow>;

export type IndicatorCode = keyof typeof INDICATORS;
export const INDICATOR_CODES = Object.keys(INDICATORS) as IndicatorCode[];

export function isIndicatorCode(code: string): code is IndicatorCode {
  return Object.hasOwn(INDICATORS, code);
}

/** What an indicator can be broken down by: what both of its counts can. */
export function indicatorAttribution(code: IndicatorCode): Attribution[] {
  const row = INDICATORS[code];
  const a = MEASURES[row.numerator].by as readonly Attribution[];
  const b = MEASURES[row.denominator].by as readonly Attribution[];
  return a.filter((x) => b.includes(x));
}

/** n / d, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function indicatorValue(code: IndicatorCode, m: Measures): number | null {
  const row = INDICATORS[code];
  return ratio(m[row.numerator], m[row.denominator]);
}

/** A rate as a percentage with two decimals, rounded half up on the exact ratio; '—' when there is none. */
export function formatRate(value: number | null, digits = 2): string {
  if (value === null) return '—';
  return `${roundHalfUp(value * 100, digits).toFixed(digits)}%`;
}

/** Rounds half away from zero at `digits` decimals, robust to binary fractions (0.125 → 0.13). */
export function roundHalfUp(value: number, digits: number): number {
  const factor = 10 ** digits;
  const shifted = value * factor;
  // Nudge by a relative epsilon so that 1.005 × 100 = 100.49999… rounds as the decimal 100.5 does.
  return Math.sign(shifted) * Math.round(Math.abs(shifted) * (1 + Number.EPSILON * 8)) / factor;
}
