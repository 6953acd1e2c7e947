import type { MessageKey } from '../i18n/index.tsx';

/** The app's sections; the navigation shows those whose permission the user holds (GET /api/auth/me). */
export interface Section {
  path: string;
  label: MessageKey;
  permission: string;
  icon: string;
  /** Shown only to these roles (the permission alone would also admit others). */
  roles?: string[];
}

export const SECTIONS: Section[] = [
  { path: '/dashboard', label: 'nav.dashboard', permission: 'indicator.read', icon: '▲' },
  { path: '/my-reports', label: 'nav.myReports', permission: 'case.report', icon: '✉', roles: ['public'] },
  { path: '/inspector', label: 'nav.inspector', permission: 'case.report', icon: '✚', roles: ['inspector'] },
  { path: '/cases', label: 'nav.cases', permission: 'case.read', icon: '✎' },
  { path: '/map', label: 'nav.map', permission: 'case.read', icon: '◉' },
  { path: '/reports/departments', label: 'nav.reports', permission: 'report.read', icon: '▥' },
  { path: '/bigscreen', label: 'nav.bigscreen', permission: 'indicator.read', icon: '▣' },
  { path: '/territory', label: 'nav.territory', permission: 'territory.read', icon: '▦' },
  { path: '/catalog', label: 'nav.catalog', permission: 'catalog.read', icon: '☰' },
  { path: '/standards', label: 'nav.standards', permission: 'catalog.read', icon: '⚑' },
  { path: '/calendar', label: 'nav.calendar', permission: 'calendar.read', icon: '▤' },
  { path: '/evaluation', label: 'nav.evaluation', permission: 'evaluation.read', icon: '★' },
  { path: '/evaluation/rounds', label: 'nav.rounds', permission: 'evaluation.manage', icon: '◎' },
  { path: '/evaluation/checklists', label: 'nav.checklists', permission: 'evaluation.manage', icon: '☑' },
  { path: '/evaluation/schemes', label: 'nav.schemes', permission: 'evaluation.manage', icon: '⚖' },
  { path: '/evaluator', label: 'nav.evaluator', permission: 'inspection.record', icon: '⌖' },
  { path: '/departments', label: 'nav.departments', permission: 'department.read', icon: '⌂' },
  { path: '/users', label: 'nav.users', permission: 'user.read', icon: '☺' },
  { path: '/api-keys', label: 'nav.apiKeys', permission: 'api_key.write', icon: '⚿' },
];
