// Public API of the work calendar and deadline arithmetic (工作日历 / 时限计算). See docs/calendar.md.
export {
  buildCalendarDefinition,
  DEFAULT_TIMETABLE,
  DEFAULT_TIMEZONE,
  DEFAULT_WEEKEND_DAYS,
  isKnownTimezone,
  MAX_CALENDAR_YEAR,
  MIN_CALENDAR_YEAR,
  validateCalendarDefinition,
} from './calendar-definition.ts';
export type {
  CalendarDayEntry,
  CalendarDayEntryKind,
  CalendarFieldError,
  CalendarYear,
  CalendarYearFile,
  CalendarYearStatus,
  TimetablePeriod,
  WorkCalendarDefinition,
} from './calendar-definition.ts';

export { CalendarDefinitionError, CalendarRangeError, compileWorkCalendar } from './work-calendar.ts';
export type { CalendarCoverage, DayKind, DayKindInfo, WorkCalendar, WorkingPeriod } from './work-calendar.ts';

export {
  formatTimeLimit,
  isTimeLimitUnit,
  parseTimeLimit,
  parseTimeLimitLabel,
  TIME_LIMIT_UNITS,
  timeLimitUnitRow,
  validateTimeLimit,
} from './time-limits.ts';
export type {
  TimeLimit,
  TimeLimitClock,
  TimeLimitFieldError,
  TimeLimitResult,
  TimeLimitUnit,
  TimeLimitUnitRow,
} from './time-limits.ts';

export {
  clockMsBetween,
  computeDeadline,
  DEFAULT_EXTENSION_POLICY,
  DEFAULT_TRAFFIC_LIGHT,
  elapsedFraction,
  extendLimit,
  limitToMs,
  trafficLight,
} from './deadlines.ts';
export type {
  Deadline,
  ExtendLimitResult,
  ExtensionPolicy,
  Pause,
  TrafficLight,
  TrafficLightThresholds,
} from './deadlines.ts';
