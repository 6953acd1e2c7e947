// What no route takes, checked once for every request after its schema (a preHandler hook, app.ts), each
// refused as bad input naming the field:
// - a number that is not finite or is beyond ±2^53. Ajv's type coercion (coerceTypes) turns the strings
//   "Infinity" and "1e309" into numbers that are not finite, and then skips the field's minimum and maximum
//   (it compares finite numbers only): `?limit=Infinity` reached the database; an integer field without a
//   maximum took `?offset=99999999999999999999999`, which neither database can bind.
// - the NUL character in a text: PostgreSQL cannot store it in text at all (22021, answered as a 500),
//   while SQLite would keep it, so the same request must be refused on both.
import type { FastifyRequest } from 'fastify';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';

const MAX_ISSUES = 20;
const NUL = '\u0000';

/** The fields of a value that no route takes, as `querystring.offset`, `body.location.lon`, `body.days.0.name`. */
export function unacceptableFields(root: unknown, prefix: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A stack, not recursion: a body may nest thousands of levels deep.
  const stack: [unknown, string][] = [[root, prefix]];
  while (stack.length && issues.length < MAX_ISSUES) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push({ field: path, message: 'must be a finite number' });
      else if (Math.abs(value) > Number.MAX_SAFE_INTEGER) issues.push({ field: path, message: `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` });
    } else if (typeof value === 'string') {
      if (value.includes(NUL)) issues.push({ field: path, message: 'must not contain the NUL character (U+0000)' });
    } else if (Array.isArray(value)) {
      // Array items as Ajv names them (body.days.0), so both kinds of issue read alike.
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(NUL)) issues.push({ field: path, message: 'a field name must not contain the NUL character (U+0000)' });
        stack.push([v, `${path}.${k}`]);
      }
    }
  }
  return issues;
}

export async function rejectUnacceptableInput(request: FastifyRequest): Promise<void> {
  const issues = [
    ...unacceptableFields(request.params, 'params'), ...unacceptableFields(request.query, 'querystring'), ...unacceptableFields(request.body, 'body'),
  ];
  if (issues.length) throw new ValidationError(issues.slice(0, MAX_ISSUES));
}
