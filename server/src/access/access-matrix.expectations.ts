// Who may call each route, written from PRODUCT.md §1 (the roles and what they do) route by route, apart from
// the permission table the server applies (domain/src/access/permissions.ts): access-matrix.test.ts calls every
// route as every role and holds the server to this table. A route the table does not list fails the test, so a
// new route gets its line here, where a reviewer sees who it is open to.
import type { Role } from '@cityops/domain/access/roles';

/** Anyone, signed in or not: the public portal, Open311, signing in, the health check. */
export const ANYONE = 'anyone';
/** Any signed-in caller, the public's accounts and Open311 keys included. */
export const SIGNED_IN = 'signed_in';

export type Audience = typeof ANYONE | typeof SIGNED_IN | readonly Role[];

/** Every staff role (everyone but the public). */
const STAFF: readonly Role[] = ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'territory_government', 'third_party_evaluator', 'leader'];
const ADMIN: readonly Role[] = ['admin'];
/** Base data (departments, components) is for the city's own staff; the third-party evaluator needs the map, the catalog and the calendar only. */
const CITY_STAFF: readonly Role[] = STAFF.filter((r) => r !== 'third_party_evaluator');
/** Cases are read by the staff who work them, govern their territory or lead; the third-party evaluator reports, it does not read the record. */
const CASE_READERS = CITY_STAFF;
/** Who reports a case: the hotline's acceptor, the inspector on patrol, the evaluator's findings, the public (and the administrator's imports). */
const CASE_REPORTERS: readonly Role[] = ['admin', 'acceptor', 'inspector', 'third_party_evaluator', 'public'];
/** The seven steps' actors: acceptance, registration, dispatch, handling, verification. */
const CASE_ACTORS: readonly Role[] = ['acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department'];
const CASE_IMPORTERS: readonly Role[] = ['admin', 'acceptor'];
/** Photos are taken by whoever reports or handles a case or records a finding, and by a government appealing with evidence. */
const PHOTO_TAKERS: readonly Role[] = ['admin', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'department', 'third_party_evaluator', 'territory_government', 'public'];
/** The indicators of a territory or department: those who run, lead or answer for the work. */
const INDICATOR_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'territory_government', 'department', 'acceptor', 'shift_chief', 'dispatcher'];
const PERFORMANCE_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'territory_government', 'department'];
const SCHEME_KEEPERS: readonly Role[] = ['admin', 'evaluation_office'];
const REPORT_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'territory_government', 'department', 'shift_chief', 'dispatcher'];
/** The comprehensive evaluation's results: the office, the leaders, and the governments being scored. */
const EVALUATION_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'territory_government'];
const EVALUATION_OFFICE: readonly Role[] = ['admin', 'evaluation_office'];
/** Key tasks (挂图作战): the office keeps them, leaders read the board, the responsible units (departments, governments) read and report their own. */
const KEY_TASK_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'department', 'territory_government'];
const KEY_TASK_REPORTERS: readonly Role[] = ['department', 'territory_government'];
/** Accumulated points (累计加减分): the office, the leaders, and the governments and departments answering for the areas (scoped to their own). */
const POINTS_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader', 'territory_government', 'department'];
/** The credit register holds the subjects' contact persons: the office's (and the leaders'); the public reads the public list. */
const CREDIT_READERS: readonly Role[] = ['admin', 'evaluation_office', 'leader'];

export const ROUTE_AUDIENCE: Record<string, Audience> = {
  'GET /healthz': ANYONE,
  'GET /api/openapi.json': ANYONE,
  // The API's documentation (swagger-ui): what every client may read anyway.
  'GET /api/docs': ANYONE,
  'GET /api/docs/json': ANYONE,
  'GET /api/docs/yaml': ANYONE,
  'GET /api/docs/static/*': ANYONE,
  'GET /api/docs/static/index.html': ANYONE,
  'GET /api/docs/static/swagger-initializer.js': ANYONE,
  'POST /api/auth/login': ANYONE,
  'POST /api/auth/logout': SIGNED_IN,
  'GET /api/auth/me': SIGNED_IN,
  'GET /api/roles': SIGNED_IN,

  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PATCH /api/users/:id': ADMIN,
  'PUT /api/users/:id/grants': ADMIN,
  'GET /api/api-keys': ADMIN,
  'POST /api/api-keys': ADMIN,
  'DELETE /api/api-keys/:id': ADMIN,
  'GET /api/jobs': ADMIN,
  'GET /api/integrity/check': ADMIN,

  'GET /api/territory/nodes': STAFF,
  'GET /api/territory/nodes/:code': STAFF,
  'PATCH /api/territory/nodes/:code': ADMIN,
  'PUT /api/territory/nodes/:code/responsible-units': ADMIN,
  'GET /api/territory/locate': STAFF,
  'POST /api/territory/import': ADMIN,
  'GET /api/territory/export': STAFF,
  'GET /api/territory/responsibility-areas': STAFF,
  'GET /api/territory/responsibility-areas/export': STAFF,
  'POST /api/territory/responsibility-areas/import': ADMIN,
  'GET /api/departments': CITY_STAFF,
  'POST /api/departments': ADMIN,
  'PATCH /api/departments/:code': ADMIN,
  'GET /api/catalog/versions': STAFF,
  'POST /api/catalog/versions/:code/activate': ADMIN,
  'GET /api/catalog/classes': STAFF,
  'POST /api/catalog/classes': ADMIN,
  'PATCH /api/catalog/classes/:id': ADMIN,
  'POST /api/catalog/import': ADMIN,
  'GET /api/case-standards': STAFF,
  'POST /api/case-standards/import': ADMIN,
  'PATCH /api/case-standards/:id': ADMIN,
  'GET /api/components': CITY_STAFF,
  'PATCH /api/components/:code': ADMIN,
  'POST /api/components/import': ADMIN,
  'GET /api/components/export': CITY_STAFF,
  'GET /api/calendars': STAFF,
  'GET /api/calendars/:code/days': STAFF,
  'PUT /api/calendars/:code/years/:year': ADMIN,
  'PATCH /api/calendars/:code': ADMIN,
  'POST /api/calendars/:code/deadline': STAFF,
  'GET /api/stage-limits': SIGNED_IN,
  'PUT /api/stage-limits/:stage': ADMIN,

  'POST /api/attachments': PHOTO_TAKERS,
  'GET /api/attachments/:id': SIGNED_IN,
  'GET /api/attachments/:id/meta': SIGNED_IN,
  'GET /api/workflow': SIGNED_IN,
  'POST /api/cases': CASE_REPORTERS,
  'GET /api/me/reports': CASE_REPORTERS,
  'GET /api/cases': CASE_READERS,
  'GET /api/cases/points': CASE_READERS,
  'GET /api/cases/summary': CASE_READERS,
  'GET /api/cases/aggregate': CASE_READERS,
  'GET /api/cases/:id': CASE_READERS,
  'GET /api/cases/:id/events': CASE_READERS,
  'GET /api/cases/:id/client-updates': CASE_READERS,
  'POST /api/cases/:id/actions/:action': CASE_ACTORS,
  'POST /api/cases/import/hotline': CASE_IMPORTERS,
  'POST /api/cases/import/history': CASE_IMPORTERS,

  'GET /api/indicators/definitions': SIGNED_IN,
  'GET /api/indicators': INDICATOR_READERS,
  'GET /api/performance': PERFORMANCE_READERS,
  'GET /api/performance/:subject': PERFORMANCE_READERS,
  'GET /api/performance-schemes/:subject': PERFORMANCE_READERS,
  'PUT /api/performance-schemes/:subject': SCHEME_KEEPERS,
  'GET /api/reports/departments': REPORT_READERS,

  'GET /api/evaluation/checklists': EVALUATION_READERS,
  'GET /api/evaluation/checklists/:code': EVALUATION_READERS,
  'GET /api/evaluation/checklists/:code/versions': EVALUATION_READERS,
  'PUT /api/evaluation/checklists/:code': EVALUATION_OFFICE,
  'GET /api/evaluation/schemes': EVALUATION_READERS,
  'GET /api/evaluation/schemes/:code': EVALUATION_READERS,
  'PUT /api/evaluation/schemes/:code': EVALUATION_OFFICE,
  // Inspection rounds are undercover (暗访): their points are known to the office and to the evaluator drawn.
  'POST /api/evaluation/rounds': EVALUATION_OFFICE,
  'GET /api/evaluation/rounds': EVALUATION_OFFICE,
  'GET /api/evaluation/rounds/:id': EVALUATION_OFFICE,
  'POST /api/evaluation/rounds/:id/close': EVALUATION_OFFICE,
  'GET /api/evaluation/my-points': ['third_party_evaluator'],
  'POST /api/evaluation/rounds/:id/findings': ['third_party_evaluator'],
  'POST /api/evaluation/runs': EVALUATION_OFFICE,
  'GET /api/evaluation/runs': EVALUATION_READERS,
  'GET /api/evaluation/runs/:id': EVALUATION_READERS,
  'GET /api/evaluation/runs/:id/report': EVALUATION_READERS,
  'POST /api/evaluation/runs/:id/actions/:action': EVALUATION_OFFICE,
  'PUT /api/evaluation/runs/:id/entries': EVALUATION_OFFICE,
  'GET /api/evaluation/runs/:id/units/:unit/trace': EVALUATION_READERS,
  'POST /api/evaluation/runs/:id/appeals': ['territory_government'],
  'POST /api/evaluation/appeals/:id/ruling': EVALUATION_OFFICE,
  'GET /api/evaluation/rankings': EVALUATION_READERS,

  'GET /api/key-tasks/score-rules/:code': KEY_TASK_READERS,
  'PUT /api/key-tasks/score-rules/:code': EVALUATION_OFFICE,
  'GET /api/key-tasks/plans': KEY_TASK_READERS,
  'POST /api/key-tasks/plans': EVALUATION_OFFICE,
  'GET /api/key-tasks/plans/:id': KEY_TASK_READERS,
  'POST /api/key-tasks/plans/:id/tasks': EVALUATION_OFFICE,
  'GET /api/key-tasks/plans/:id/scores': KEY_TASK_READERS,
  'POST /api/key-tasks/plans/:id/transfer': EVALUATION_OFFICE,
  'GET /api/key-tasks/plans/:id/report': KEY_TASK_READERS,
  'GET /api/key-tasks/tasks/:id': KEY_TASK_READERS,
  'POST /api/key-tasks/tasks/:id/milestones': EVALUATION_OFFICE,
  'POST /api/key-tasks/tasks/:id/reports': KEY_TASK_REPORTERS,
  'POST /api/key-tasks/milestones/:id/review': EVALUATION_OFFICE,
  'GET /api/key-tasks/mine': KEY_TASK_READERS,
  'GET /api/key-tasks/alerts': KEY_TASK_READERS,
  'GET /api/key-tasks/score-rules': KEY_TASK_READERS,
  'PATCH /api/key-tasks/plans/:id': EVALUATION_OFFICE,
  'PATCH /api/key-tasks/tasks/:id': EVALUATION_OFFICE,
  'DELETE /api/key-tasks/tasks/:id': EVALUATION_OFFICE,
  'PATCH /api/key-tasks/milestones/:id': EVALUATION_OFFICE,
  'DELETE /api/key-tasks/milestones/:id': EVALUATION_OFFICE,

  'GET /api/points/rules/:code': POINTS_READERS,
  'PUT /api/points/rules/:code': EVALUATION_OFFICE,
  'GET /api/points/areas': POINTS_READERS,
  'GET /api/points/units': POINTS_READERS,
  'GET /api/points/entries': POINTS_READERS,
  'POST /api/points/entries': EVALUATION_OFFICE,
  'POST /api/points/entries/:id/correction': EVALUATION_OFFICE,
  'GET /api/points/alerts': POINTS_READERS,
  'POST /api/points/sweep': EVALUATION_OFFICE,
  'GET /api/points/years': POINTS_READERS,
  'POST /api/points/years/:year/close': EVALUATION_OFFICE,
  'GET /api/points/report': POINTS_READERS,
  'GET /api/credit/subjects': CREDIT_READERS,
  'POST /api/credit/subjects': EVALUATION_OFFICE,
  'GET /api/credit/subjects/:id': CREDIT_READERS,
  'PATCH /api/credit/subjects/:id': EVALUATION_OFFICE,
  'POST /api/credit/subjects/:id/entries': EVALUATION_OFFICE,
  'GET /api/credit/appeals': CREDIT_READERS,
  'POST /api/credit/appeals/:id/ruling': EVALUATION_OFFICE,
  'GET /api/credit/report': CREDIT_READERS,
  'GET /api/public/credit': ANYONE,
  'GET /api/public/credit/subjects/:code': ANYONE,
  'POST /api/public/credit/appeals': ANYONE,
  'GET /api/public/credit/appeals/:code': ANYONE,

  'GET /api/public/rankings': ANYONE,
  'GET /api/public/services': ANYONE,
  'GET /api/public/territory': ANYONE,
  'POST /api/public/reports': ANYONE,
  'GET /api/public/cases/:code': ANYONE,
  'POST /api/public/cases/:code/rating': ANYONE,
  'GET /open311/v2/discovery.:format': ANYONE,
  'GET /open311/v2/services.:format': ANYONE,
  'GET /open311/v2/services/:code.:format': ANYONE,
  'GET /open311/v2/requests.:format': ANYONE,
  'GET /open311/v2/requests/:id.:format': ANYONE,
  'GET /open311/v2/tokens/:token.:format': ANYONE,
  'POST /open311/v2/requests.:format': ANYONE,
  'GET /open311/v2/servicerequestupdates.:format': ANYONE,
  'POST /open311/v2/servicerequestupdates.:format': ANYONE,
};
