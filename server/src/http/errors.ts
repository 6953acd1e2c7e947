import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { formatOf, renderErrors, send as sendOpen311 } from '../open311/open311-format.ts';
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
      // Ajv reports a missing or an unknown field at its parent object; the field itself is in the params.
      const { missingProperty, additionalProperty } = v.params as { missingProperty?: string; additionalProperty?: string };
      const field = [context, path, missingProperty ?? additionalProperty].filter(Boolean).join('.');
      return { field, message: additionalProperty !== undefined ? 'is not a known field' : v.message ?? 'is invalid' };
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

/**
 * The router's own refusals, before any route is chosen (Fastify's frameworkErrors): a path that is not valid
 * percent-encoded UTF-8 (400) or a path parameter over the router's length limit (414). Without this they came
 * in Fastify's format, not the API's envelope, and as JSON on Open311's XML paths.
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a part of the path is longer than 100 characters' : error.code === 'FST_ERR_BAD_URL' ? 'the path is not valid percent-encoded UTF-8' : error.message;
  if (request.url.startsWith('/open311/')) {
    const format = formatOf(request.url);
    void sendOpen311(reply, format, status, renderErrors(format, [{ code: status, description: message }]));
    return;
  }
  void reply.status(status).send({ error: { code: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path_too_long' : 'bad_url', message } });
}
