// The special-task score (专项工作) of key-task supervision: each responsible unit's score for a month under a
// versioned rule the office edits, with its trace (which milestone, which event, how many points). The rule
// is data: a base, points per event and per role, caps, and the range the result is held to. Points are
// computed in tenths (integers), so that sums are exact; the rule's numbers have at most one decimal.
import type { FieldIssue } from '../errors.ts';
import { daysEarly, isLate, type MilestoneFacts } from './milestones.ts';

/** Who answers for a task: the lead unit (牵头单位) and the cooperating units (配合单位). */
export const UNIT_ROLES = {
  lead: { zh: '牵头单位', en: 'Lead unit' },
  cooperating: { zh: '配合单位', en: 'Cooperating unit' },
} as const;
export type UnitRole = keyof typeof UNIT_ROLES;

/**
 * The events a score counts, and the month each falls in: a milestone's lateness and early completion in the
 * month it is due (so each milestone counts once, in one month), a return in the month of the review.
 */
export const SCORE_EVENTS = {
  overdue: { sign: -1, month: 'due', zh: '节点逾期', en: 'Milestone late' },
  returned: { sign: -1, month: 'review', zh: '验收退回', en: 'Returned at review' },
  early: { sign: 1, month: 'due', zh: '提前完成', en: 'Done early' },
} as const;
export type ScoreEvent = keyof typeof SCORE_EVENTS;

export interface KeyTaskScoreRule {
  name: string;
  /** The score before any event (e.g. 100). */
  base: number;
  /** Points per event, by the unit's role on the task: deducted for overdue and returned, added for early. */
  points: Record<ScoreEvent, Record<UnitRole, number>>;
  /** A milestone accepted at least this many calendar days before its due day ended counts as early. */
  earlyDays: number;
  /** The month's bonus (early completions) counts at most this much. */
  bonusCap: number;
  /** The result is held to [min, max]; an evaluation's entered component is 0–100. */
  min: number;
  max: number;
}

export function defaultScoreRule(): KeyTaskScoreRule {
  return {
    name: '重点任务专项工作月度评分细则',
    base: 100,
    points: { overdue: { lead: 5, cooperating: 2 }, returned: { lead: 2, cooperating: 0 }, early: { lead: 1, cooperating: 0.5 } },
    earlyDays: 7,
    bonusCap: 5,
    min: 0,
    max: 100,
  };
}

const tenths = (x: number) => Math.round(x * 10);
const oneDecimal = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && Math.abs(x * 10 - Math.round(x * 10)) < 1e-9;

/** Every problem of a rule, each naming its field under `prefix`; empty when it can be saved. */
export function validateScoreRule(input: unknown, prefix = 'rule'): FieldIssue[] {
  const r = input as Partial<KeyTaskScoreRule> | null;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return [{ field: prefix, message: 'must be an object' }];
  const issues: FieldIssue[] = [];
  const points = (v: unknown, field: string, lo: number, hi: number) => {
    if (!oneDecimal(v) || v < lo || v > hi) issues.push({ field: `${prefix}.${field}`, message: `must be a number from ${lo} to ${hi} with at most one decimal` });
  };
  if (typeof r.name !== 'string' || r.name.trim() === '') issues.push({ field: `${prefix}.name`, message: 'is required' });
  points(r.base, 'base', 0, 100);
  points(r.min, 'min', 0, 100);
  points(r.max, 'max', 0, 100);
  if (oneDecimal(r.min) && oneDecimal(r.max) && r.min > r.max) issues.push({ field: `${prefix}.min`, message: 'must not be above max' });
  points(r.bonusCap, 'bonusCap', 0, 100);
  if (!Number.isInteger(r.earlyDays) || r.earlyDays! < 1 || r.earlyDays! > 366) issues.push({ field: `${prefix}.earlyDays`, message: 'must be a whole number of days from 1 to 366' });
  if (!r.points || typeof r.points !== 'object') issues.push({ field: `${prefix}.points`, message: `must give points for ${Object.keys(SCORE_EVENTS).join(', ')}` });
  else {
    for (const key of Object.keys(r.points)) if (!Object.hasOwn(SCORE_EVENTS, key)) issues.push({ field: `${prefix}.points.${key}`, message: `is not an event (${Object.keys(SCORE_EVENTS).join(', ')})` });
    for (const event of Object.keys(SCORE_EVENTS) as ScoreEvent[]) {
      const row = r.points[event];
      if (!row || typeof row !== 'object') { issues.push({ field: `${prefix}.points.${event}`, message: 'is required: points for lead and cooperating' }); continue; }
      for (const role of Object.keys(UNIT_ROLES) as UnitRole[]) points(row[role], `points.${event}.${role}`, 0, 100);
    }
  }
  return issues;
}

/** A milestone as the score sees it: its facts and the units answering for its task. */
export interface ScoredMilestone extends MilestoneFacts {
  id: number;
  /** How the trace names it: '1.2 方案编制'. */
  label: string;
  units: { key: string; role: UnitRole }[];
}

export interface ScoredReturn {
  milestoneId: number;
  label: string;
  /** When the office returned it. */
  at: number;
  reason: string;
  units: { key: string; role: UnitRole }[];
}

export interface TraceLine {
  event: ScoreEvent | 'base' | 'bonus_cap' | 'range';
  /** Signed points of this line. */
  points: number;
  milestoneId?: number;
  label?: string;
  role?: UnitRole;
  /** The date the event is dated by (due date or review date). */
  date?: string;
  note?: string;
}

export interface UnitScore {
  unitKey: string;
  score: number;
  lines: TraceLine[];
}

/**
 * Each unit's score for the month (its first and last dates, YYYY-MM-DD, and its instants [fromMs, toMs)), as of
 * `now`: a unit is scored when a milestone of its tasks is due in the month or one was returned in it. Units
 * come out in the order of their keys.
 */
export function monthScores(
  rule: KeyTaskScoreRule,
  month: { firstDate: string; lastDate: string; fromMs: number; toMs: number },
  facts: { milestones: ScoredMilestone[]; returns: ScoredReturn[] },
  now: number,
): UnitScore[] {
  const events = new Map<string, TraceLine[]>();
  const add = (key: string, line: TraceLine) => { const list = events.get(key) ?? []; list.push(line); events.set(key, list); };
  const touch = (key: string) => { if (!events.has(key)) events.set(key, []); };
  for (const m of facts.milestones) {
    if (m.dueDate < month.firstDate || m.dueDate > month.lastDate) continue;
    const event: ScoreEvent | null = isLate(m, now) ? 'overdue' : daysEarly(m) >= rule.earlyDays ? 'early' : null;
    for (const u of m.units) {
      touch(u.key);
      if (!event) continue;
      const value = tenths(rule.points[event][u.role]);
      if (value !== 0) add(u.key, { event, points: (SCORE_EVENTS[event].sign * value) / 10, milestoneId: m.id, label: m.label, role: u.role, date: m.dueDate });
    }
  }
  for (const r of facts.returns) {
    if (r.at < month.fromMs || r.at >= month.toMs) continue;
    for (const u of r.units) {
      touch(u.key);
      const value = tenths(rule.points.returned[u.role]);
      if (value !== 0) add(u.key, { event: 'returned', points: -value / 10, milestoneId: r.milestoneId, label: r.label, role: u.role, note: r.reason });
    }
  }
  return [...events.keys()].sort().map((unitKey) => {
    const lines = events.get(unitKey)!;
    const bonus = lines.filter((l) => l.points > 0).reduce((s, l) => s + tenths(l.points), 0);
    const malus = lines.filter((l) => l.points < 0).reduce((s, l) => s + tenths(l.points), 0);
    const cap = tenths(rule.bonusCap);
    const trace: TraceLine[] = [{ event: 'base', points: rule.base }, ...lines];
    if (bonus > cap) trace.push({ event: 'bonus_cap', points: (cap - bonus) / 10, note: `bonus capped at ${rule.bonusCap}` });
    const raw = tenths(rule.base) + Math.min(bonus, cap) + malus;
    const held = Math.min(tenths(rule.max), Math.max(tenths(rule.min), raw));
    if (held !== raw) trace.push({ event: 'range', points: (held - raw) / 10, note: `held to ${rule.min}–${rule.max}` });
    return { unitKey, score: held / 10, lines: trace };
  });
}
