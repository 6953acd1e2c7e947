// Stage time limits (环节时限, PRODUCT §4). Defaults from the spec; a city edits them as data (the
// server stores its own table). The handling stage has no entry: its limit comes from the 立结案标准.
import type { TimeLimit } from '../calendar/time-limits.ts';
import type { Stage } from './case-states.ts';

export type TimedStage = Exclude<Stage, 'handle'>;

export const DEFAULT_STAGE_LIMITS: Readonly<Record<TimedStage, TimeLimit>> = Object.freeze({
  accept: { value: 15, unit: 'working_minutes' },
  verify: { value: 1, unit: 'working_hours' },
  register: { value: 1, unit: 'working_hours' },
  dispatch: { value: 15, unit: 'working_minutes' },
  sign: { value: 1, unit: 'working_hours' },
  check: { value: 2, unit: 'working_hours' },
  close: { value: 1, unit: 'working_hours' },
});

export const TIMED_STAGES = Object.keys(DEFAULT_STAGE_LIMITS) as TimedStage[];

export function isTimedStage(value: string): value is TimedStage {
  return Object.hasOwn(DEFAULT_STAGE_LIMITS, value);
}
