/** One problem with one input field; `row` is the 1-based line or feature number of an import. */
export interface FieldIssue {
  field: string;
  message: string;
  row?: number;
}

/** Bad input: carries every issue found, each naming its field (and row), so a caller can fix all at once. */
export class ValidationError extends Error {
  readonly code = 'validation_failed';
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], message?: string) {
    super(message ?? describeIssues(issues));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export function describeIssues(issues: FieldIssue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((i) => `${i.row !== undefined ? `row ${i.row}: ` : ''}${i.field}: ${i.message}`);
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return shown.join('; ') + more;
}

/** Throws a ValidationError when the list is not empty. */
export function assertNoIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}
