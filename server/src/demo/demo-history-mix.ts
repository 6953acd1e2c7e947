// The shape of the demo city's year of cases, as data: how many, from where, of what, when, and how
// each step tends to go. Tuned to look like a mid-sized Chinese city's 数字城管 record (most cases
// found by inspectors, 小广告 and 暴露垃圾 on top, summer peaks, a Spring Festival dip).
import type { CaseSource } from '@cityops/domain/workflow/case-sources';

/** Relative volume by month (Jan … Dec). */
export const MONTH_FACTOR = [0.8, 0.62, 0.95, 1.05, 1.1, 1.15, 1.2, 1.18, 1.05, 0.95, 0.92, 0.85];

/** Share of each source; `restDayFactor` scales it on weekends and holidays (inspectors patrol less). */
export const SOURCE_MIX: { source: CaseSource; share: number; restDayFactor: number; hours: [number, number] }[] = [
  { source: 'inspector', share: 0.62, restDayFactor: 0.35, hours: [8, 18] },
  { source: 'hotline_12345', share: 0.18, restDayFactor: 1.1, hours: [7, 22] },
  { source: 'public_web', share: 0.06, restDayFactor: 1.2, hours: [7, 23] },
  { source: 'video_alarm', share: 0.06, restDayFactor: 1, hours: [0, 24] },
  { source: 'third_party', share: 0.04, restDayFactor: 0.2, hours: [9, 17] },
  { source: 'superior', share: 0.02, restDayFactor: 0.1, hours: [9, 17] },
  { source: 'media', share: 0.02, restDayFactor: 0.6, hours: [8, 20] },
];

export type Season = 'flat' | 'summer' | 'winter' | 'autumn';
const SEASON_BY_MONTH: Record<Season, number[]> = {
  flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  summer: [0.2, 0.2, 0.4, 0.7, 1.2, 1.8, 2.2, 2.2, 1.5, 0.8, 0.4, 0.2],
  winter: [3, 2.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.8, 2.5],
  autumn: [0.6, 0.4, 0.5, 0.5, 0.4, 0.4, 0.4, 0.6, 1, 2.2, 2.6, 1.4],
};
export const seasonFactor = (season: Season, month: number) => SEASON_BY_MONTH[season][month]!;

/**
 * Matter classes (事件) by relative frequency. `publicFactor` scales the weight in citizens' reports
 * (they call about noise and fumes, rarely about flyers); `selfHandle` is the share an inspector fixes
 * on the spot (自处置); `suspend` the share that becomes a long-term case (挂账).
 */
export const MATTER_MIX: { code: string; weight: number; season?: Season; publicFactor?: number; selfHandle?: number; suspend?: number }[] = [
  { code: '07001', weight: 12, publicFactor: 0.3, selfHandle: 0.3 },
  { code: '06010', weight: 10, selfHandle: 0.15 },
  { code: '09006', weight: 8, publicFactor: 1.5 },
  { code: '09001', weight: 6 },
  { code: '09009', weight: 6, publicFactor: 2 },
  { code: '09010', weight: 5, selfHandle: 0.2 },
  { code: '09011', weight: 5, selfHandle: 0.1 },
  { code: '06036', weight: 5 },
  { code: '09005', weight: 4 },
  { code: '06012', weight: 4 },
  { code: '06042', weight: 4, season: 'summer' },
  { code: '06013', weight: 3 },
  { code: '06017', weight: 3 },
  { code: '07002', weight: 2, selfHandle: 0.2 },
  { code: '07003', weight: 1.5 },
  { code: '08006', weight: 2 },
  { code: '08004', weight: 2, publicFactor: 2 },
  { code: '08001', weight: 1, publicFactor: 6 },
  { code: '06029', weight: 2, season: 'summer', publicFactor: 3 },
  { code: '06027', weight: 1, publicFactor: 5 },
  { code: '06028', weight: 1, publicFactor: 6 },
  { code: '06034', weight: 1, suspend: 0.15 },
  { code: '06001', weight: 0.8, suspend: 0.25 },
  { code: '08016', weight: 0.4, suspend: 0.3 },
  { code: '06014', weight: 1 },
  { code: '06021', weight: 0.8, season: 'summer' },
  { code: '06020', weight: 0.6, season: 'autumn' },
  { code: '10001', weight: 1.5, season: 'winter' },
  { code: '09012', weight: 0.8, publicFactor: 2 },
  { code: '06051', weight: 0.6 },
];

/** Share of reports about an inventoried component (a broken lamp, a missing cover) rather than a matter. */
export const COMPONENT_SHARE = 0.22;

/** Step by step: probabilities and delays (in working hours unless said otherwise). */
export const FLOW = {
  duplicateShare: 0.02,
  rejectAtAccept: 0.02,
  verifyRefute: 0.08,
  rejectAtVerify: 0.04,
  voidAtRegister: 0.02,
  wrongDispatch: 0.03,
  extension: 0.05,
  extensionRefused: 0.15,
  checkFail: 0.08,
  rated: 0.7,
  satisfaction: [['satisfied', 0.78], ['basically_satisfied', 0.15], ['dissatisfied', 0.07]] as [string, number][],
  /** Working hours from one step to the next: [min, max]. */
  delays: {
    accept: [0.05, 0.4], verify: [0.3, 2.5], register: [0.05, 0.5], dispatch: [0.05, 0.6], sign: [0.1, 1.2],
    check: [0.2, 2.5], close: [0.1, 0.8], returnAsk: [0.5, 3], ruling: [0.1, 1], resignAfterRework: [0.1, 0.6],
  } as Record<string, [number, number]>,
  /** Calendar days a long-term case stays suspended. */
  suspensionDays: [5, 40] as [number, number],
  /** Hours after closing that the callback happens. */
  callbackHours: [3, 40] as [number, number],
  /** Departments differ: a speed factor per department in this range (1 = on average half the limit). */
  departmentSpeed: [0.45, 1.6] as [number, number],
} as const;

export const REASONS = {
  reject: ['不属于城市管理受理范围，已告知反映人', '反映内容不明确，无法定位', '属私人领域纠纷，建议通过其他途径解决'],
  refute: ['现场核实未发现该问题', '现场问题已自行消除', '核实地点与反映不符，现场无此问题'],
  void: ['不符合立案条件', '重复上报，已有在办案卷'],
  returnAsk: ['该问题不属于本单位职责范围', '设施权属非本单位，请重新派遣'],
  extension: ['需协调多个部门联合处置', '需采购更换材料，无法在时限内完成', '涉及产权单位，需先行联系确认'],
  extensionRefused: ['现有时限足以完成，请按时处置'],
  suspension: ['历史遗留问题，需纳入专项整治计划', '涉及规划审批，短期内无法处置', '需司法程序处理'],
  checkFail: ['现场仍有残留，未彻底处置', '整改不到位，与反馈照片不符', '处置后问题复现'],
} as const;

export const DESCRIPTION_TEMPLATES = {
  inspector: ['{place}发现{name}', '{place}存在{name}问题，需处置', '巡查发现{place}{name}'],
  public: ['市民反映{place}{name}，请尽快处理', '{place}{name}，影响出行和市容，希望有关部门处理', '来电反映：{place}附近{name}，已持续多日'],
  other: ['{place}{name}', '{place}出现{name}情况'],
} as const;
