// Milestones of key tasks (挂图作战 / 项目化推进): a date the plan writes (to the day, or to the week), the
// review cycle as a table, and a milestone's status and lateness at an instant. Due dates are calendar dates
// of the city (Beijing time) and a milestone is late once its due day has ended: decision 0019 explains why
// calendar days and not the work calendar's working days.
import { formatIsoDate, parseIsoDate, weekdayOfDays } from '../calendar/civil-date.ts';
import type { FieldIssue } from '../errors.ts';

const DAY_MS = 86_400_000;
/** The city's dates are Beijing dates (UTC+8, no daylight saving), as the indicators' periods are. */
const OFFSET_MS = 8 * 3_600_000;

/** How precisely a milestone is dated: a day (3月31日前), or a week (第13周), due on that week's Sunday. */
export const DUE_GRANULARITIES = {
  day: { zh: '到日', en: 'By day' },
  week: { zh: '到周', en: 'By week' },
} as const;
export type DueGranularity = keyof typeof DUE_GRANULARITIES;
export const isDueGranularity = (v: unknown): v is DueGranularity => typeof v === 'string' && Object.hasOwn(DUE_GRANULARITIES, v);

export const MILESTONE_STATES = {
  open: { zh: '推进中', en: 'In progress' },
  submitted: { zh: '待验收', en: 'Awaiting review' },
  accepted: { zh: '已验收', en: 'Accepted' },
} as const;
export type MilestoneState = keyof typeof MILESTONE_STATES;

/**
 * The review cycle: the responsible unit submits a milestone with its completion report (提请验收); the office
 * accepts it or returns it with a reason (退回), after which the unit works on and submits again.
 */
export const MILESTONE_ACTIONS = {
  submit: { from: ['open'], to: 'submitted', by: 'unit', reasonRequired: false, zh: '提请验收', en: 'Submit for review' },
  accept: { from: ['submitted'], to: 'accepted', by: 'office', reasonRequired: false, zh: '验收通过', en: 'Accept' },
  return: { from: ['submitted'], to: 'open', by: 'office', reasonRequired: true, zh: '退回', en: 'Return' },
} as const satisfies Record<string, { from: readonly MilestoneState[]; to: MilestoneState; by: 'unit' | 'office'; reasonRequired: boolean; zh: string; en: string }>;
export type MilestoneAction = keyof typeof MILESTONE_ACTIONS;

/** What the board shows for a milestone, with its colour (挂图作战的红黄绿). */
export const MILESTONE_STATUSES = {
  done: { colour: 'green', zh: '按时完成', en: 'Done on time' },
  done_late: { colour: 'orange', zh: '逾期完成', en: 'Done late' },
  in_review: { colour: 'blue', zh: '待验收', en: 'Awaiting review' },
  overdue: { colour: 'red', zh: '已逾期', en: 'Overdue' },
  due_soon: { colour: 'yellow', zh: '临期', en: 'Due soon' },
  pending: { colour: 'grey', zh: '未到期', en: 'Not yet due' },
} as const;
export type MilestoneStatus = keyof typeof MILESTONE_STATUSES;

/** A milestone due within this many days is shown yellow (临期). */
export const DUE_SOON_DAYS = 7;

export interface MilestoneFacts {
  /** YYYY-MM-DD, already moved to its week's Sunday for a week milestone (dueDateOf). */
  dueDate: string;
  state: MilestoneState;
  /** When the current (or the accepted) submission was made; null before the first. */
  submittedAt: number | null;
}

/** The date a milestone is due: the day itself, or the Sunday closing the ISO week (Monday to Sunday) of the day. */
export function dueDateOf(date: string, granularity: DueGranularity): string {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`not a date: ${date}`);
  if (granularity === 'day') return formatIsoDate(parsed.days);
  const weekday = weekdayOfDays(parsed.days); // 0 Sunday … 6 Saturday
  return formatIsoDate(parsed.days + (weekday === 0 ? 0 : 7 - weekday));
}

/** The instant the due day ends in Beijing: from then on an unfinished milestone is late. */
export function dueEndMs(dueDate: string): number {
  const parsed = parseIsoDate(dueDate);
  if (!parsed) throw new RangeError(`not a date: ${dueDate}`);
  return (parsed.days + 1) * DAY_MS - OFFSET_MS;
}

/** The Beijing date of an instant. */
export function beijingDate(ms: number): string {
  return formatIsoDate(Math.floor((ms + OFFSET_MS) / DAY_MS));
}

/** The instant the milestone counts as delivered: the submission the office accepted, or the one under review. */
function deliveredAt(m: MilestoneFacts): number | null {
  return m.state === 'open' ? null : m.submittedAt;
}

/**
 * Late at `now`: delivered after its due day ended, or not delivered and the due day has ended. A submission
 * made in time and still under review is not late (the office's review time is not the unit's delay); once
 * returned, the milestone is open again and late if its due day has passed.
 */
export function isLate(m: MilestoneFacts, now: number): boolean {
  const end = dueEndMs(m.dueDate);
  const at = deliveredAt(m);
  return at !== null ? at >= end : now >= end;
}

/** Whole calendar days late (0 when not late): from the end of the due day to delivery, or to `now`. */
export function daysLate(m: MilestoneFacts, now: number): number {
  if (!isLate(m, now)) return 0;
  return Math.floor(((deliveredAt(m) ?? now) - dueEndMs(m.dueDate)) / DAY_MS) + 1;
}

/** Whole calendar days an accepted milestone was delivered before its due day ended (0 when not accepted or late). */
export function daysEarly(m: MilestoneFacts): number {
  if (m.state !== 'accepted' || m.submittedAt === null) return 0;
  const lead = dueEndMs(m.dueDate) - m.submittedAt;
  return lead > 0 ? Math.floor(lead / DAY_MS) : 0;
}

export function milestoneStatus(m: MilestoneFacts, now: number): MilestoneStatus {
  const late = isLate(m, now);
  if (m.state === 'accepted') return late ? 'done_late' : 'done';
  if (m.state === 'submitted') return 'in_review';
  if (late) return 'overdue';
  return dueEndMs(m.dueDate) - now <= DUE_SOON_DAYS * DAY_MS ? 'due_soon' : 'pending';
}

/**
 * Whether the overdue job flags the milestone now (it flags each once): its due day has ended and it is neither
 * accepted nor under review from a submission made in time.
 */
export function needsOverdueFlag(m: MilestoneFacts, now: number): boolean {
  if (m.state === 'accepted') return false;
  if (m.state === 'submitted') return isLate(m, now);
  return now >= dueEndMs(m.dueDate);
}

/** The problems of a milestone as the office writes it, each naming its field under `prefix`. */
export function milestoneIssues(input: { name?: unknown; deliverable?: unknown; dueDate?: unknown; granularity?: unknown }, prefix: string, window?: { from: string; to: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof input.name !== 'string' || input.name.trim() === '') issues.push({ field: `${prefix}name`, message: 'is required' });
  if (typeof input.deliverable !== 'string' || input.deliverable.trim() === '') issues.push({ field: `${prefix}deliverable`, message: 'is required: what must be delivered by the due date' });
  if (input.granularity !== undefined && !isDueGranularity(input.granularity)) issues.push({ field: `${prefix}granularity`, message: `must be one of ${Object.keys(DUE_GRANULARITIES).join(', ')}` });
  const parsed = typeof input.dueDate === 'string' ? parseIsoDate(input.dueDate) : null;
  if (!parsed) issues.push({ field: `${prefix}dueDate`, message: 'must be a date YYYY-MM-DD' });
  else if (window && (input.dueDate as string) < window.from) issues.push({ field: `${prefix}dueDate`, message: `is before the task starts (${window.from})` });
  else if (window && dueDateOf(input.dueDate as string, isDueGranularity(input.granularity) ? input.granularity : 'day') > window.to) issues.push({ field: `${prefix}dueDate`, message: `is after the task ends (${window.to})` });
  return issues;
}
