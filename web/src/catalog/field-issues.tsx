import { ApiError } from '../api/client.ts';

/** A server field name as a form field: 'body.majorCode', 'major_code' and 'majorCode' are the same field. */
function normalise(field: string): string {
  return field.replace(/^(body|query|params)\./, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The messages the server gave for these form fields (a prefix matches its sub-fields: 'limit' → 'limit.value'). */
export function issuesFor(error: unknown, ...fields: string[]): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues
    .filter((issue) => {
      const name = normalise(issue.field);
      return fields.some((f) => name === f || name.startsWith(`${f}.`));
    })
    .map((issue) => issue.message);
}

/** The server's complaint about one field, shown beside it (the ErrorPanel lists them all). */
export function FieldIssue({ error, fields }: { error: unknown; fields: string[] }) {
  const messages = issuesFor(error, ...fields);
  if (messages.length === 0) return null;
  return <span className="field-hint" data-field={fields[0]}>{messages.join('；')}</span>;
}
