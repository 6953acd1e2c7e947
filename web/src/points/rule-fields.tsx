// Form pieces of the points rule editors. The form edits the rule object itself (the one the JSON view shows and
// the server receives), so a key the form has no input for, or one the office typed in the JSON view, survives a
// save. The server validates; each input shows the issue of the path it edits (rules.thresholds.frontage.yellow_card).
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { FieldError, issuesAt } from '../evaluation/fields.tsx';

export type RuleObject = Record<string, unknown>;

export const isObject = (v: unknown): v is RuleObject => !!v && typeof v === 'object' && !Array.isArray(v);
export const objectAt = (v: unknown): RuleObject => (isObject(v) ? v : {});
export const listAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A copy of `o` with `key` set, or removed when the value is undefined (an empty cell: not charged, no threshold). */
export function withKey(o: RuleObject, key: string, value: unknown): RuleObject {
  const next = { ...o };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The list with the elements at i and j swapped (out of range: unchanged). */
export function swap<T>(list: readonly T[], i: number, j: number): T[] {
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return [...list];
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** Two rule objects with the same content whatever the order of their keys (a key removed and added again moves to the end). */
export function sameRules(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonical)
    : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Points as typed: blank is null (the caller decides: key left out, or `min: null`); a number is a number
 * (full-width and typographic minus signs read as minus); anything else goes as typed, for the server to refuse
 * naming the field, so the form never invents a value.
 */
export function parsePoints(text: string): number | string | null {
  const s = text.trim().replace(/^[−－]/, '-');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : text;
}

const shown = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

/** The server's messages for a path and the paths under it (`violations[0].subjectKinds` and `…subjectKinds[1]`). */
export function issuesUnder(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues.filter((i) => i.field === field || i.field.startsWith(`${field}[`) || i.field.startsWith(`${field}.`)).map((i) => i.message);
}

export function IssuesUnder({ error, field }: { error: unknown; field: string }) {
  const messages = issuesUnder(error, field);
  if (!messages.length) return null;
  return <div className="field-error" data-field={field} style={{ color: 'var(--red)', fontSize: 12 }}>{messages.join('; ')}</div>;
}

const invalidStyle = { borderColor: 'var(--red)' };

/**
 * A numeric cell: keeps the text as typed ("-0." while typing -0.5) and hands the parsed value up; when the value
 * changes from outside (the JSON view, a reset) the text follows it.
 */
export function PointsInput({ label, value, onChange, field, error, disabled, placeholder, width = 80 }: {
  label: string; value: unknown; onChange: (value: number | string | null) => void; field: string; error: unknown; disabled: boolean; placeholder?: string; width?: number;
}) {
  const [text, setText] = useState(shown(value));
  useEffect(() => {
    if ((parsePoints(text) ?? undefined) !== (value ?? undefined)) setText(shown(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only an outside change of the value resets the text
  }, [value]);
  const invalid = issuesAt(error, field).length > 0;
  return (
    <>
      <input aria-label={label} name={field} value={text} disabled={disabled} inputMode="decimal" placeholder={placeholder} aria-invalid={invalid || undefined}
        onChange={(e) => { setText(e.target.value); onChange(parsePoints(e.target.value)); }}
        style={{ width, textAlign: 'right', ...(invalid ? invalidStyle : {}) }} />
      <FieldError error={error} field={field} />
    </>
  );
}

/** A text cell (a name, a code) with its field's issue underneath. */
export function TextInput({ label, value, onChange, field, error, disabled, list, width }: {
  label: string; value: unknown; onChange: (value: string) => void; field: string; error: unknown; disabled: boolean; list?: string; width?: number | string;
}) {
  const invalid = issuesAt(error, field).length > 0;
  return (
    <>
      <input aria-label={label} name={field} value={shown(value)} disabled={disabled} list={list} aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value)} style={{ width: width ?? '100%', ...(invalid ? invalidStyle : {}) }} />
      <FieldError error={error} field={field} />
    </>
  );
}

/** A labelled field above its input (the input carries the label for screen readers). */
export function Field({ label, grow, children }: { label: string; grow?: boolean; children: ReactNode }) {
  return (
    <div className="inline-field" style={{ alignItems: 'flex-start', flexDirection: 'column', gap: 2, ...(grow ? { flex: 1 } : {}) }}>
      <span>{label}</span>
      {children}
    </div>
  );
}
