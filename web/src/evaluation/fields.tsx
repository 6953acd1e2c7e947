// Form pieces of the evaluation editors: inputs that show the server's issue for their own field
// (the API names paths such as `scheme.components[2].weight`), and exact conversions of the numbers typed.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

/** The server's messages for a field path (exactly that path). */
export function issuesAt(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues.filter((i) => i.field === field).map((i) => i.message);
}

export function FieldError({ error, field }: { error: unknown; field: string }) {
  const messages = issuesAt(error, field);
  if (!messages.length) return null;
  return <div className="field-error" data-field={field} style={{ color: 'var(--red)', fontSize: 12 }}>{messages.join('; ')}</div>;
}

interface InputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The path the server names for this value (e.g. `standard.items[0].cap`). */
  field: string;
  error: unknown;
  width?: number;
  numeric?: boolean;
  readOnly?: boolean;
  list?: string;
  placeholder?: string;
}

/** A table cell's input (labelled for screen readers) with its field's issue underneath. */
export function CellInput({ label, value, onChange, field, error, width, numeric, readOnly, list, placeholder }: InputProps) {
  const invalid = issuesAt(error, field).length > 0;
  return (
    <>
      <input aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid || undefined} readOnly={readOnly}
        inputMode={numeric ? 'decimal' : undefined} list={list} placeholder={placeholder}
        style={{ width: width ?? '100%', ...(numeric ? { textAlign: 'right' } : {}), ...(invalid ? { borderColor: 'var(--red)' } : {}) }} />
      <FieldError error={error} field={field} />
    </>
  );
}

/** A labelled field of a form (label left, input, its issue under it). */
export function FormField({ label, field, error, children }: { label: string; field: string; error: unknown; children: ReactNode }) {
  return (
    <label className="inline-field" style={{ alignItems: 'flex-start', flexDirection: 'column', gap: 2 }}>
      <span>{label}</span>
      {children}
      <FieldError error={error} field={field} />
    </label>
  );
}

/**
 * A number as typed, for the server to judge: blank or unreadable text goes as null (the server names
 * the field), so the editor never invents a value.
 */
export function numberOrNull(text: string): number | null {
  const s = text.trim().replace(/,/g, '');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/**
 * Yuan as typed ("1,000,000", "¥500000", "300000.00") to fen, exactly: digits are read as text, never
 * through a float. Null when it is not an amount of money with at most two decimals.
 */
export function yuanTextToFen(text: string): number | null {
  const s = text.trim().replace(/[,，\s¥￥]/g, '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** The scheme's ladder holds whole yuan: fen / 100 is exact for whole yuan; any fen left over go as a fraction for the server to refuse, naming the place. */
export const fenToSchemeYuan = (fen: number) => fen / 100;

/** Whole yuan as shown in the editor, grouped by thousands. */
export const yuanText = (yuan: number) => (Number.isInteger(yuan) ? yuan.toLocaleString('en-US') : String(yuan));

/** A share (0.3) as a percentage text (30) without floating-point noise (0.3 × 100 = 30.000000000000004). */
export const shareToPercentText = (share: number) => String(Number((share * 100).toFixed(6)));
/** A percentage typed (30) as a share (0.3); null when unreadable. */
export function percentTextToShare(text: string): number | null {
  const n = numberOrNull(text);
  return n === null ? null : Number((n / 100).toFixed(8));
}

/** Replaces the element at `index` of a list. */
export const replaceAt = <T,>(list: readonly T[], index: number, value: T): T[] => list.map((x, i) => (i === index ? value : x));
