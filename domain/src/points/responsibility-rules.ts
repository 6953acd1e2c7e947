// Rules of the accumulated points (累计加减分) of responsibility areas (路长 road segments, 门前三包 frontages,
// 责任区 duty areas) and of the units answering for them (departments, street and district governments).
// A versioned rule set the evaluation office edits: which events deduct how many points per overlay kind,
// which overlay a located event counts against, how large a bonus may be, and the thresholds (per area
// kind and unit kind) that raise a warning (预警) or a yellow card (黄牌). The starting values below are the
// product's, for each city to set.
import type { FieldIssue } from '../errors.ts';
import { checkPoints, toTenths } from './engine.ts';

/** The overlays that carry points (the evaluation grid 考核网格 only samples inspections). */
export const AREA_KINDS = ['road_segment', 'frontage', 'duty_area'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** Who answers for an area: its department when it has one, otherwise the street or district government of its territory. */
export const UNIT_KINDS = {
  department: { zh: '部门', en: 'Department' },
  territory: { zh: '属地政府', en: 'Territory government' },
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;

export type ResponsibilitySubjectKind = AreaKind | UnitKind;
export const RESPONSIBILITY_SUBJECT_KINDS: readonly ResponsibilitySubjectKind[] = [...AREA_KINDS, 'department', 'territory'];

/** Alert levels, mildest first. */
export const ALERT_LEVELS = {
  warning: { zh: '预警', en: 'Warning' },
  yellow_card: { zh: '黄牌', en: 'Yellow card' },
  red_card: { zh: '红牌', en: 'Red card' },
} as const;
export type AlertLevel = keyof typeof ALERT_LEVELS;
export const ALERT_LEVEL_ORDER = Object.keys(ALERT_LEVELS) as AlertLevel[];

/**
 * The events a sweep of the records derives (each recorded once per source), and those the office enters.
 * finding: an inspection finding (第三方暗访) located in the area, per occurrence; case_overdue: a case in the
 * area whose handling went past its deadline (超时); case_repeated: a case of the same class in the same area
 * within `repeatWindowDays` of an earlier one (反复发生).
 */
export const DERIVED_EVENTS = {
  finding: { zh: '暗访发现问题', en: 'Inspection finding' },
  case_overdue: { zh: '案件超时未处置', en: 'Case not handled on time' },
  case_repeated: { zh: '同类问题反复发生', en: 'Repeated problem' },
} as const;
export type DerivedEvent = keyof typeof DERIVED_EVENTS;
export const DERIVED_EVENT_KINDS = Object.keys(DERIVED_EVENTS) as DerivedEvent[];

export const ENTERED_EVENTS = {
  bonus: { zh: '加分', en: 'Bonus' },
  correction: { zh: '更正冲销', en: 'Correction (reversal)' },
} as const;

export interface ResponsibilityRules {
  name: string;
  /** A located event counts once, against the first kind in this list whose overlay contains the place. */
  overlayPrecedence: AreaKind[];
  /** Points (negative) per event and overlay kind; a kind left out is not charged for that event. */
  events: Record<DerivedEvent, Partial<Record<AreaKind, number>>>;
  repeatWindowDays: number;
  /** The largest bonus one entry may carry. */
  bonusMax: number;
  /** Per subject kind, the total (negative points, in the year) at or below which each level is reached. */
  thresholds: Partial<Record<ResponsibilitySubjectKind, Partial<Record<AlertLevel, number>>>>;
  note?: string;
}

export const DEFAULT_RESPONSIBILITY_RULES: ResponsibilityRules = {
  name: '责任区累计加减分规则',
  note: 'Starting values of the product, to be set by each city.',
  overlayPrecedence: ['frontage', 'road_segment', 'duty_area'],
  events: {
    finding: { frontage: -1, road_segment: -1, duty_area: -0.5 },
    case_overdue: { frontage: -2, road_segment: -2, duty_area: -1 },
    // A duty area spans a whole community or street, where the same class recurs within a month as a matter of
    // course (the demo city: 30,850 of 43,643 cases): a repeat is charged where it means one place, a frontage
    // or a road segment.
    case_repeated: { frontage: -1, road_segment: -1 },
  },
  repeatWindowDays: 30,
  bonusMax: 5,
  thresholds: {
    frontage: { warning: -10, yellow_card: -20 },
    road_segment: { warning: -10, yellow_card: -20 },
    duty_area: { warning: -10, yellow_card: -20 },
    department: { warning: -30, yellow_card: -60 },
    territory: { warning: -30, yellow_card: -60 },
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Every problem of a rule set, each naming its field; an empty list means it can be saved. */
export function validateResponsibilityRules(input: unknown): FieldIssue[] {
  if (!isObject(input)) return [{ field: 'rules', message: 'must be an object' }];
  const r = input as Partial<ResponsibilityRules>;
  const issues: FieldIssue[] = [];
  if (typeof r.name !== 'string' || !r.name.trim()) issues.push({ field: 'name', message: 'is required' });
  if (!Array.isArray(r.overlayPrecedence) || r.overlayPrecedence.length === 0) issues.push({ field: 'overlayPrecedence', message: `must list overlay kinds among ${AREA_KINDS.join(', ')}` });
  else r.overlayPrecedence.forEach((k, i) => {
    if (!(AREA_KINDS as readonly string[]).includes(k)) issues.push({ field: `overlayPrecedence[${i}]`, message: `must be one of ${AREA_KINDS.join(', ')}` });
    else if (r.overlayPrecedence!.indexOf(k) !== i) issues.push({ field: `overlayPrecedence[${i}]`, message: `${k} appears twice` });
  });
  if (!isObject(r.events)) issues.push({ field: 'events', message: 'must be an object of events' });
  else {
    for (const key of Object.keys(r.events)) if (!Object.hasOwn(DERIVED_EVENTS, key)) issues.push({ field: `events.${key}`, message: `is not an event; events are ${DERIVED_EVENT_KINDS.join(', ')}` });
    for (const event of DERIVED_EVENT_KINDS) {
      const perKind = r.events[event];
      if (!isObject(perKind)) { issues.push({ field: `events.${event}`, message: 'must give points per overlay kind (may be empty)' }); continue; }
      for (const [kind, points] of Object.entries(perKind)) {
        if (!(AREA_KINDS as readonly string[]).includes(kind)) issues.push({ field: `events.${event}.${kind}`, message: `is not an overlay kind; kinds are ${AREA_KINDS.join(', ')}` });
        else checkPoints(points, `events.${event}.${kind}`, 'negative', issues);
      }
    }
  }
  if (!Number.isInteger(r.repeatWindowDays) || r.repeatWindowDays! < 1 || r.repeatWindowDays! > 366) issues.push({ field: 'repeatWindowDays', message: 'must be a whole number of days from 1 to 366' });
  checkPoints(r.bonusMax, 'bonusMax', 'positive', issues);
  if (!isObject(r.thresholds)) issues.push({ field: 'thresholds', message: 'must be an object of subject kinds' });
  else for (const [kind, levels] of Object.entries(r.thresholds)) {
    const f = `thresholds.${kind}`;
    if (!(RESPONSIBILITY_SUBJECT_KINDS as readonly string[]).includes(kind)) { issues.push({ field: f, message: `is not a subject kind; kinds are ${RESPONSIBILITY_SUBJECT_KINDS.join(', ')}` }); continue; }
    if (!isObject(levels)) { issues.push({ field: f, message: 'must give a threshold per alert level' }); continue; }
    let previous: { level: string; tenths: number } | null = null;
    for (const key of Object.keys(levels)) if (!Object.hasOwn(ALERT_LEVELS, key)) issues.push({ field: `${f}.${key}`, message: `is not an alert level; levels are ${ALERT_LEVEL_ORDER.join(', ')}` });
    for (const level of ALERT_LEVEL_ORDER) {
      if (levels[level] === undefined) continue;
      const before = issues.length;
      checkPoints(levels[level], `${f}.${level}`, 'negative', issues);
      if (issues.length > before) continue;
      const tenths = toTenths(levels[level] as number)!;
      // A more severe level must take more points: the yellow card comes after the warning, not with it.
      if (previous && tenths >= previous.tenths) issues.push({ field: `${f}.${level}`, message: `must be below the ${previous.level} threshold (${previous.tenths / 10})` });
      previous = { level, tenths };
    }
  }
  return issues;
}

/** A rule set's thresholds of one subject kind, in tenths. */
export function thresholdsInTenths(rules: ResponsibilityRules, kind: ResponsibilitySubjectKind): Partial<Record<AlertLevel, number>> {
  const levels = rules.thresholds[kind] ?? {};
  return Object.fromEntries(Object.entries(levels).map(([l, p]) => [l, toTenths(p as number)!]));
}

/** Points (tenths) of a derived event against an overlay kind, or null when the rules do not charge it. */
export function eventTenths(rules: ResponsibilityRules, event: DerivedEvent, kind: AreaKind): number | null {
  const points = rules.events[event][kind];
  return points === undefined ? null : toTenths(points);
}

/** The overlay a located event counts against: the first kind of the precedence among those containing the place. */
export function chargedArea<A extends { kind: AreaKind }>(rules: ResponsibilityRules, containing: readonly A[]): A | null {
  for (const kind of rules.overlayPrecedence) {
    const hit = containing.find((a) => a.kind === kind);
    if (hit) return hit;
  }
  return null;
}
