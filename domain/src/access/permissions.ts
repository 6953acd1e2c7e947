import type { Role } from './roles.ts';

/**
 * Every permission the server checks, and which roles hold it. This table is the only place that
 * says who may do what; routes name a permission and the server's access module applies it together
 * with the caller's scope.
 */
export const PERMISSIONS = {
  'territory.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'third_party_evaluator', 'leader'],
  'territory.write': ['admin'],
  'department.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'leader'],
  'department.write': ['admin'],
  'catalog.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'third_party_evaluator', 'leader'],
  'catalog.write': ['admin'],
  'case_standard.write': ['admin'],
  'component.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'leader'],
  'component.write': ['admin'],
  'calendar.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'third_party_evaluator', 'leader'],
  'calendar.write': ['admin'],
  'user.read': ['admin'],
  'user.write': ['admin'],
  'api_key.write': ['admin'],
  /** The scheduled jobs' runs (运行维护). */
  'system.read': ['admin'],
  'audit.read': ['admin', 'evaluation_office'],
  // Cases: reading is scoped (territory, or the case's department); which source a role may report
  // from is in CASE_SOURCES; which workflow action a role may take is in the transition table.
  'case.read': ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'leader'],
  'case.report': ['admin', 'acceptor', 'inspector', 'third_party_evaluator', 'public'],
  'case.act': ['acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department'],
  'case.import': ['admin', 'acceptor'],
  'attachment.write': ['admin', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'third_party_evaluator', 'territory_government', 'public'],
  'stage_limit.write': ['admin'],
  // Indicators and performance evaluation: read within one's scope (territory subtree, or one's own
  // department); schemes are kept by the evaluation office.
  'indicator.read': ['admin', 'evaluation_office', 'leader', 'territory_government', 'department', 'acceptor', 'shift_chief', 'dispatcher'],
  'performance.read': ['admin', 'evaluation_office', 'leader', 'territory_government', 'department'],
  'performance_scheme.write': ['admin', 'evaluation_office'],
  'report.read': ['admin', 'evaluation_office', 'leader', 'territory_government', 'department', 'shift_chief', 'dispatcher'],
  // Comprehensive evaluation (综合考评): the office keeps schemes, standards, rounds and results; evaluators
  // record findings at the points drawn for them; a unit's government reads its results once issued and
  // appeals; the public reads what is published (a public route, no permission).
  'evaluation.read': ['admin', 'evaluation_office', 'leader', 'territory_government'],
  'evaluation.manage': ['admin', 'evaluation_office'],
  'evaluation.appeal': ['territory_government'],
  'inspection.record': ['third_party_evaluator'],
  // Points ledgers (累计加减分, 信用积分): the office keeps the rules, enters bonuses and corrections, closes years and
  // rules on credit appeals; governments and departments read their own areas' and units' points (scoped);
  // the credit register (with its contact persons) is the office's, its public list a public route.
  'points.read': ['admin', 'evaluation_office', 'leader', 'territory_government', 'department'],
  'points.manage': ['admin', 'evaluation_office'],
  'credit.read': ['admin', 'evaluation_office', 'leader'],
  'credit.manage': ['admin', 'evaluation_office'],
  // Key-task supervision (挂图作战): the office keeps plans, tasks, milestones and scoring rules, reviews milestones and
  // transfers the month's scores into an evaluation; responsible units report progress on their own tasks (scoped to
  // their department or territory); leaders read the board.
  'key_task.read': ['admin', 'evaluation_office', 'leader', 'department', 'territory_government'],
  'key_task.manage': ['admin', 'evaluation_office'],
  'key_task.report': ['department', 'territory_government'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesWithPermission(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
