// The counts (计数) the server takes from the case record for a period; every indicator is built from
// them (indicators.ts). Each is defined once here, in words, and once in SQL (server/src/indicators/);
// docs/indicators.md is generated from this table and the indicator table.
//
// "In the period" means at an instant in [from, asOf), asOf = min(period end, now): what happened after
// the period ends (or has not happened yet) never counts, so a past period reads the same whenever it is run.

/** What a count can be broken down by: the case's territory (grid up to city), the department, a person. */
export type Attribution = 'territory' | 'department' | 'person';

export interface MeasureRow {
  zh: string;
  en: string;
  by: readonly Attribution[];
  definition: string;
}

export const MEASURES = {
  reported: { zh: '上报数', en: 'Reported', by: ['territory'], definition: 'cases reported in the period, from every source' },
  registered: { zh: '立案数', en: 'Registered', by: ['territory'], definition: 'cases registered (立案) in the period' },
  registered_inspector: { zh: '主动发现立案数', en: 'Registered, found by inspectors', by: ['territory'], definition: 'cases registered in the period that an inspector reported' },
  registered_public: { zh: '监督举报立案数', en: 'Registered, reported by the public', by: ['territory'], definition: 'cases registered in the period that the public reported (web, app, Open311, 12345) and that were verified' },
  closed: { zh: '结案数', en: 'Closed', by: ['territory', 'department'], definition: 'cases closed (结案) in the period; a department counts the cases it handled last' },
  closed_on_time: { zh: '按期结案数', en: 'Closed on time', by: ['territory', 'department'], definition: 'cases closed in the period none of whose handling rounds went overdue' },
  due_to_close: { zh: '应结案数', en: 'Due to close', by: ['territory', 'department'], definition: 'cases closed in the period, plus cases not closed by its end that went overdue in it (已结案 + 超期未结案); a department counts the cases of the rounds it held' },
  dispatched: { zh: '派遣数', en: 'Dispatched', by: ['territory', 'department'], definition: 'dispatches (派遣, not reworks) in the period: the cases a department was given' },
  due_to_handle: { zh: '应处置数', en: 'Due to handle', by: ['territory', 'department'], definition: 'handling rounds reported back in the period, plus rounds not reported back by its end that went overdue in it' },
  handled: { zh: '处置数', en: 'Handled', by: ['territory', 'department'], definition: 'handling rounds reported back (处理反馈) in the period' },
  handled_on_time: { zh: '按期处置数', en: 'Handled on time', by: ['territory', 'department'], definition: 'handling rounds reported back in the period that never went past their deadline (an extension approved after the deadline does not count)' },
  overdue: { zh: '超时数', en: 'Overdue', by: ['territory', 'department'], definition: 'handling rounds that went past their deadline in the period, unhandled' },
  reworked: { zh: '返工数', en: 'Reworked', by: ['territory', 'department'], definition: 'handling rounds sent back by a failed check (核查不通过) in the period' },
  extended: { zh: '延期数', en: 'Extended', by: ['territory', 'department'], definition: 'extensions (延期) approved in the period' },
  returned: { zh: '回退数', en: 'Returned', by: ['territory', 'department'], definition: 'returns (回退) approved in the period' },
  suspended: { zh: '挂账数', en: 'Suspended', by: ['territory', 'department'], definition: 'suspensions (挂账) approved in the period' },
  callbacks: { zh: '回访数', en: 'Callbacks', by: ['territory', 'department'], definition: 'satisfaction callbacks (回访) recorded in the period' },
  satisfied: { zh: '满意数', en: 'Satisfied', by: ['territory', 'department'], definition: 'callbacks in the period answered satisfied or basically satisfied (满意 + 基本满意)' },
  complaints_received: { zh: '投诉受理数', en: 'Complaints received', by: ['territory'], definition: 'public complaints (web, app, Open311, 12345) reported in the period' },
  complaints_routed: { zh: '投诉分流数', en: 'Complaints routed', by: ['territory'], definition: 'of those, the ones dispatched to a department by the period end' },
  rectification_due: { zh: '应整改数', en: 'Rectifications due', by: ['territory', 'department'], definition: 'due-to-handle rounds of cases opened from third-party inspection findings' },
  rectified_on_time: { zh: '按时整改数', en: 'Rectified on time', by: ['territory', 'department'], definition: 'handled-on-time rounds of cases opened from third-party inspection findings' },
  // Posts (岗位): the person who acted.
  reports_made: { zh: '上报数', en: 'Reports made', by: ['person'], definition: 'cases the inspector reported in the period' },
  reports_valid: { zh: '有效上报数', en: 'Valid reports', by: ['person'], definition: 'of those, the ones registered (立案) by the period end' },
  area_registered: { zh: '责任区立案数', en: 'Registered in the area', by: ['person'], definition: 'cases registered in the period in the inspector\'s area (their territory grants)' },
  area_registered_public: { zh: '漏报数', en: 'Missed (public reports in the area)', by: ['person'], definition: 'of those, the ones the public reported: problems the patrol missed' },
  verifications: { zh: '核实数', en: 'Verifications', by: ['person'], definition: 'on-site verifications (核实) done by the person in the period' },
  verifications_on_time: { zh: '按时核实数', en: 'Verifications on time', by: ['person'], definition: 'of those, the ones within the verification stage limit' },
  checks: { zh: '核查数', en: 'Checks', by: ['person'], definition: 'on-site checks (核查, passed or failed) done by the person in the period' },
  checks_on_time: { zh: '按时核查数', en: 'Checks on time', by: ['person'], definition: 'of those, the ones within the check stage limit' },
  acceptances: { zh: '受理数', en: 'Acceptances', by: ['person'], definition: 'reports the acceptor took up (受理, 发核实 or 不予受理) in the period' },
  acceptances_on_time: { zh: '按时受理数', en: 'Acceptances on time', by: ['person'], definition: 'of those, the ones within the acceptance stage limit' },
  verify_requests: { zh: '核实派发数', en: 'Verification requests', by: ['person'], definition: 'reports the acceptor sent for on-site verification (发核实) in the period' },
  verify_requests_on_time: { zh: '核实按时派发数', en: 'Verification requests on time', by: ['person'], definition: 'of those, the ones within the acceptance stage limit' },
  registrations: { zh: '立案数(个人)', en: 'Registrations', by: ['person'], definition: 'cases the shift chief registered in the period' },
  registrations_on_time: { zh: '按时立案数', en: 'Registrations on time', by: ['person'], definition: 'of those, the ones within the registration stage limit' },
  registrations_accurate: { zh: '准确立案数', en: 'Accurate registrations', by: ['person'], definition: 'of those, the ones not merged (并案) as duplicates by the period end' },
  closings: { zh: '结案数(个人)', en: 'Closings', by: ['person'], definition: 'cases the shift chief closed in the period' },
  closings_on_time: { zh: '按时结案数(个人)', en: 'Closings on time', by: ['person'], definition: 'of those, the ones within the closing stage limit' },
  dispatches: { zh: '派遣数(个人)', en: 'Dispatches', by: ['person'], definition: 'dispatches (派遣) the dispatcher made in the period' },
  dispatches_on_time: { zh: '按时派遣数', en: 'Dispatches on time', by: ['person'], definition: 'of those, the ones within the dispatch stage limit' },
  dispatches_accurate: { zh: '准确派遣数', en: 'Accurate dispatches', by: ['person'], definition: 'of those, the ones not returned (回退) by the department by the period end' },
} as const satisfies Record<string, MeasureRow>;

export type MeasureCode = keyof typeof MEASURES;
export const MEASURE_CODES = Object.keys(MEASURES) as MeasureCode[];
export type Measures = Record<MeasureCode, number>;

export function emptyMeasures(): Measures {
  return Object.fromEntries(MEASURE_CODES.map((m) => [m, 0])) as Measures;
}

/** Adds b into a (counts are additive over grids, departments and periods' disjoint parts). */
export function addMeasures(a: Measures, b: Partial<Measures>): Measures {
  for (const code of MEASURE_CODES) {
    const v = b[code];
    if (v) a[code] += v;
  }
  return a;
}
