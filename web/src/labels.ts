// Message keys for enumerations the server sends as codes (shared by several pages).
import type { TimeLimitUnit } from './api/calendar.ts';
import type { MessageKey } from './i18n/index.tsx';

export const UNIT_LABEL: Record<TimeLimitUnit, MessageKey> = {
  working_minutes: 'unit.working_minutes', working_hours: 'unit.working_hours', working_days: 'unit.working_days',
  calendar_hours: 'unit.calendar_hours', calendar_days: 'unit.calendar_days', urgent_hours: 'unit.urgent_hours',
};

export function isTimeLimitUnit(unit: string): unit is TimeLimitUnit {
  return Object.hasOwn(UNIT_LABEL, unit);
}

/** Department kinds (departments.kind). */
export const DEPARTMENT_KIND_LABEL: Record<string, MessageKey> = {
  professional: 'deptKind.professional', collaborative: 'deptKind.collaborative', territorial: 'deptKind.territorial',
  office: 'deptKind.office', evaluator: 'deptKind.evaluator',
};
