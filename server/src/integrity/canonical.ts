// The canonical serialization every sealed digest is computed over (decision 0017): the JSON Canonicalization
// Scheme of RFC 8785. Object keys sorted by UTF-16 code units, no whitespace, strings as JSON escapes them,
// numbers in ECMAScript's shortest round-trip form (the exact stored double: 91.8 is "91.8", 96 is "96", and
// reading it back gives the same double). Instants are integers (epoch ms) and money integer fen, so they
// serialize exactly; a value that has no exact form (NaN, Infinity, undefined inside an array, a function)
// is refused rather than guessed at.
import { createHash } from 'node:crypto';

export function canonical(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`no canonical form for the number ${value}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(',')}]`;
      const object = value as Record<string, unknown>;
      // Absent and undefined are the same thing, as in JSON.
      const keys = Object.keys(object).filter((k) => object[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`no canonical form for a ${typeof value}`);
  }
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The digest of one sealed item: SHA-256 of its canonical serialization. */
export const digestOf = (content: unknown): string => sha256Hex(canonical(content));

/** A stored JSON text as a value, so that what is sealed is the data and not its spelling. */
export const parsedJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
