import { Type } from '@fastify/type-provider-typebox';

export const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

const Issue = Type.Object({ field: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) });
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), issues: Type.Optional(Type.Array(Issue)) }),
}, { description: 'error: a stable code, a message, and the fields (and rows) at fault' });

/** Documented error answers shared by every route. */
export const ErrorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
};
