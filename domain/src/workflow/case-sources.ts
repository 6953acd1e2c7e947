// Where cases come from (案件来源), and what intake does with each: data, not branches.
import type { Role } from '../access/roles.ts';
import type { CaseState } from './case-states.ts';

export interface CaseSourceRow {
  zh: string;
  en: string;
  /** The state a new case of this source starts in: public reports are verified on site first (核实). */
  intakeState: Extract<CaseState, 'pending_accept' | 'pending_verify'>;
  /** A report from a citizen: gets a satisfaction callback once closed, and its reporter's data is private. */
  fromPublic: boolean;
  /** Inspector-found (主动发现) for the 主动发现率 indicator. */
  inspectorFound: boolean;
  /** Roles that may enter a case of this source (Open311 clients enter through their API key instead). */
  reporters: readonly Role[];
}

export const CASE_SOURCES = {
  inspector: { zh: '监督员上报', en: 'Inspector report', intakeState: 'pending_accept', fromPublic: false, inspectorFound: true, reporters: ['inspector', 'admin'] },
  public_web: { zh: '公众举报(网站/APP)', en: 'Public report (web/app)', intakeState: 'pending_verify', fromPublic: true, inspectorFound: false, reporters: ['public', 'acceptor', 'admin'] },
  open311: { zh: '公众举报(Open311)', en: 'Public report (Open311)', intakeState: 'pending_verify', fromPublic: true, inspectorFound: false, reporters: [] },
  hotline_12345: { zh: '12345热线', en: '12345 hotline', intakeState: 'pending_verify', fromPublic: true, inspectorFound: false, reporters: ['acceptor', 'admin'] },
  third_party: { zh: '第三方暗访', en: 'Third-party inspection', intakeState: 'pending_accept', fromPublic: false, inspectorFound: false, reporters: ['third_party_evaluator', 'admin'] },
  superior: { zh: '上级交办', en: 'Superior assignment', intakeState: 'pending_accept', fromPublic: false, inspectorFound: false, reporters: ['acceptor', 'admin'] },
  media: { zh: '媒体曝光', en: 'Media exposure', intakeState: 'pending_verify', fromPublic: false, inspectorFound: false, reporters: ['acceptor', 'admin'] },
  video_alarm: { zh: '视频/物联网告警', en: 'Video / IoT alarm', intakeState: 'pending_verify', fromPublic: false, inspectorFound: false, reporters: ['acceptor', 'admin'] },
} as const satisfies Record<string, CaseSourceRow>;

export type CaseSource = keyof typeof CASE_SOURCES;
export const CASE_SOURCE_NAMES = Object.keys(CASE_SOURCES) as CaseSource[];

export function isCaseSource(value: string): value is CaseSource {
  return Object.hasOwn(CASE_SOURCES, value);
}

/** Satisfaction callback answers (回访满意度); 满意 and 基本满意 count as satisfied. */
export const SATISFACTION_LEVELS = {
  satisfied: { zh: '满意', en: 'Satisfied', counts: true },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied', counts: true },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied', counts: false },
} as const;

export type SatisfactionLevel = keyof typeof SATISFACTION_LEVELS;

export function isSatisfactionLevel(value: string): value is SatisfactionLevel {
  return Object.hasOwn(SATISFACTION_LEVELS, value);
}
