import { Type } from '@fastify/type-provider-typebox';
import { CASE_SOURCE_NAMES, SATISFACTION_LEVELS } from '@cityops/domain/workflow/case-sources';
import { CASE_STATE_NAMES } from '@cityops/domain/workflow/case-states';
import { CASE_ACTIONS } from '@cityops/domain/workflow/transitions';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const CaseSourceSchema = literals(CASE_SOURCE_NAMES);

export const IntakeBody = Type.Object({
  source: CaseSourceSchema,
  classCode: Type.String({ pattern: '^[0-9]{4,6}$', description: 'catalog class (部件 or 事项 small class), e.g. 06010 暴露垃圾' }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  location: Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false }),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  componentCode: Type.Optional(Type.String({ pattern: '^[0-9]{16,17}$' })),
  standardId: Type.Optional(Type.Integer({ minimum: 1, description: 'a 立结案标准 row of the class, to choose its disposal; default the first' })),
  reportedAt: Type.Optional(Type.String({ format: 'date-time' })),
  externalRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  reporter: Type.Optional(Type.Object({
    name: Type.Optional(Type.String({ maxLength: 60 })), phone: Type.Optional(Type.String({ maxLength: 30 })), email: Type.Optional(Type.String({ maxLength: 120 })),
  }, { additionalProperties: false })),
  attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  selfHandled: Type.Optional(Type.Boolean({ description: '自处置: the inspector fixed it on the spot (photos required)' })),
}, { additionalProperties: false });

export const ActionBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  mergeTargetId: Type.Optional(Type.Integer({ minimum: 1 })),
  satisfaction: Type.Optional(literals(Object.keys(SATISFACTION_LEVELS))),
  attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you saw; a newer one answers 409 stale_version' })),
}, { additionalProperties: false });

export const ActionParams = Type.Object({ id: Type.Integer({ minimum: 1 }), action: literals(CASE_ACTIONS) });
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ description: 'comma-separated states: ' + CASE_STATE_NAMES.join(', ') })),
  source: Type.Optional(Type.String({ description: 'comma-separated sources' })),
  classCode: Type.Optional(Type.String({ pattern: '^[0-9]{4,6}$' })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  territory: Type.Optional(Type.String({ description: 'code of a district, street, community or grid' })),
  overdue: Type.Optional(Type.String({ description: "'now', or an ISO time: handling overdue at that instant" })),
  light: Type.Optional(literals(['green', 'yellow', 'red'])),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  reportedFrom: Type.Optional(Type.String({ format: 'date-time' })),
  reportedTo: Type.Optional(Type.String({ format: 'date-time' })),
  possibleDuplicate: Type.Optional(Type.Boolean()),
  applicationPending: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean({ description: 'only cases I reported' })),
  sort: Type.Optional(literals(['reported_desc', 'reported_asc', 'due_asc'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
