import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CalendarRangeError } from '@cityops/domain/calendar/work-calendar';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';

/** An error the API reports as-is: status, a stable code, a message a person can act on. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly issues: FieldIssue[] | undefined;

  constructor(statusCode: number, code: string, message: string, issues?: FieldIssue[]) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.issues = issues;
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, issues?: FieldIssue[]) => new HttpError(409, 'conflict', message, issues);
export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'sign in first (session token or API key required)');
export const forbidden = (message = 'your role or scope does not allow this') => new HttpError(403, 'forbidden', message);

export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[] };
}

export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.statusCode, body: { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } } };
  }
  if (error instanceof ValidationError) {
    return { status: 400, body: { error: { code: error.code, message: error.message, issues: error.issues } } };
  }
  if (error instanceof CalendarRangeError) {
    return { status: 422, body: { error: { code: error.code, message: error.message } } };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    const issues: FieldIssue[] = fastifyError.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const field = [context, path, missing].filter(Boolean).join('.');
      return { field, message: v.message ?? 'is invalid' };
    });
    return { status: 400, body: { error: { code: 'validation_failed', message: issues.map((i) => `${i.field} ${i.message}`).join('; '), issues } } };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, body: { error: { code: fastifyError.code?.toLowerCase() ?? 'bad_request', message: fastifyError.message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; it has been logged' } } };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).send(body);
}
