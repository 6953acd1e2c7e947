import type { MessageKey } from '../i18n/index.tsx';

/** The app's sections; the navigation shows those whose permission the user holds (GET /api/auth/me). */
export interface Section {
  path: string;
  label: MessageKey;
  permission: string;
  icon: string;
  /** Shown only to these roles (the permission alone would also admit others). */
  roles?: string[];
  /** The heading it is listed under. */
  group: SectionGroup;
}

export type SectionGroup = 'work' | 'evaluation' | 'basedata' | 'system';
export const GROUP_LABEL: Record<SectionGroup, MessageKey> = { work: 'nav.group.work', evaluation: 'nav.group.evaluation', basedata: 'nav.group.basedata', system: 'nav.group.system' };

export const SECTIONS: Section[] = [
  { path: '/dashboard', label: 'nav.dashboard', permission: 'indicator.read', icon: '▲', group: 'work' },
  { path: '/my-reports', label: 'nav.myReports', permission: 'case.report', icon: '✉', roles: ['public'], group: 'work' },
  { path: '/inspector', label: 'nav.inspector', permission: 'case.report', icon: '✚', roles: ['inspector'], group: 'work' },
  { path: '/cases', label: 'nav.cases', permission: 'case.read', icon: '✎', group: 'work' },
  { path: '/map', label: 'nav.map', permission: 'case.read', icon: '◉', group: 'work' },
  { path: '/reports/departments', label: 'nav.reports', permission: 'report.read', icon: '▥', group: 'work' },
  { path: '/bigscreen', label: 'nav.bigscreen', permission: 'indicator.read', icon: '▣', group: 'work' },
  { path: '/evaluation', label: 'nav.evaluation', permission: 'evaluation.read', icon: '★', group: 'evaluation' },
  { path: '/evaluation/rounds', label: 'nav.rounds', permission: 'evaluation.manage', icon: '◎', group: 'evaluation' },
  { path: '/evaluation/checklists', label: 'nav.checklists', permission: 'evaluation.manage', icon: '☑', group: 'evaluation' },
  { path: '/evaluation/schemes', label: 'nav.schemes', permission: 'evaluation.manage', icon: '⚖', group: 'evaluation' },
  { path: '/evaluator', label: 'nav.evaluator', permission: 'inspection.record', icon: '⌖', group: 'evaluation' },
  { path: '/key-tasks', label: 'nav.keyTasks', permission: 'key_task.read', icon: '⚐', group: 'evaluation' },
  { path: '/key-tasks/mine', label: 'nav.keyTasksMine', permission: 'key_task.read', icon: '✓', group: 'evaluation' },
  { path: '/points', label: 'nav.points', permission: 'points.read', icon: '±', group: 'evaluation' },
  { path: '/credit', label: 'nav.credit', permission: 'credit.read', icon: '◈', group: 'evaluation' },
  { path: '/performance', label: 'nav.performance', permission: 'performance.read', icon: '◆', group: 'evaluation' },
  { path: '/territory', label: 'nav.territory', permission: 'territory.read', icon: '▦', group: 'basedata' },
  { path: '/catalog', label: 'nav.catalog', permission: 'catalog.read', icon: '☰', group: 'basedata' },
  { path: '/standards', label: 'nav.standards', permission: 'catalog.read', icon: '⚑', group: 'basedata' },
  { path: '/calendar', label: 'nav.calendar', permission: 'calendar.read', icon: '▤', group: 'basedata' },
  { path: '/departments', label: 'nav.departments', permission: 'department.read', icon: '⌂', group: 'basedata' },
  { path: '/users', label: 'nav.users', permission: 'user.read', icon: '☺', group: 'system' },
  { path: '/api-keys', label: 'nav.apiKeys', permission: 'api_key.write', icon: '⚿', group: 'system' },
  { path: '/system/jobs', label: 'nav.jobs', permission: 'system.read', icon: '⚙', group: 'system' },
];
