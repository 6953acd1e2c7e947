// Values from a route's own JSON Schema (TypeBox writes plain JSON Schema): valid ones, made of the
// names and ids the test city really has where they fit, and ones broken in exactly one field, with the
// path of that field, so the test can ask that the 400 names it. Values travel either as JSON (bodies)
// or as strings (path and query), which changes what "the wrong type" can be: the server coerces
// numbers and booleans from strings, and a scalar into a one-element array, as its Ajv options say.
import fc from 'fast-check';
import { hostileString, HOSTILE_STRINGS } from './hostile.ts';

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
}

/** Real values of the test city: territory and department codes, class codes, ids that exist. */
export interface Pools {
  strings: readonly string[];
  integers: readonly number[];
  /** JSON documents the app itself serves (schemes, checklists, GeoJSON), to break one part of at a time. */
  documents: readonly unknown[];
  /** Files as text (a photo in base64), for the text fields long enough to carry one. */
  blobs: readonly string[];
}

export type Transport = 'json' | 'string';

export interface Broken {
  value: unknown;
  /** Where the broken value is, from the root: ['location', 'lon']. */
  path: string[];
}

/** Longest random string made for a field without its own limit (the hostile ones are longer). */
const FREE_STRING = 24;
const MAX_ARRAY = 4;

const typeOf = (s: Schema): string | undefined => (Array.isArray(s.type) ? s.type[0] : s.type) ?? (s.properties || s.patternProperties ? 'object' : undefined);
const alternatives = (s: Schema) => s.anyOf ?? s.oneOf;

/** RFC 3339 date-time, as Ajv's format checks it (roughly: a day, a time, a zone). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The server coerces strings into numbers and booleans: such a string is no wrong value for a number or boolean literal. */
function coercesInto(v: string, allowed: Set<string>): boolean {
  const n = Number(v);
  return (v.trim() !== '' && Number.isFinite(n) && allowed.has(String(n))) || (v === '' && allowed.has('0')) || ((v === 'true' || v === 'false') && allowed.has(v));
}

function fitsString(s: Schema, v: string): boolean {
  const length = [...v].length;
  if (s.minLength !== undefined && length < s.minLength) return false;
  if (s.maxLength !== undefined && length > s.maxLength) return false;
  if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) return false;
  if (s.format === 'date-time' && !DATE_TIME.test(v)) return false;
  return true;
}

function fitsNumber(s: Schema, v: number): boolean {
  return (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum)
    && (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) && (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum);
}

function withPool<T>(generated: fc.Arbitrary<T>, pool: readonly T[]): fc.Arbitrary<T> {
  return pool.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: generated }) : generated;
}

function stringArb(s: Schema, pools: Pools): fc.Arbitrary<string> {
  let generated: fc.Arbitrary<string>;
  if (s.format === 'date-time') {
    generated = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  } else if (s.pattern !== undefined) {
    generated = fc.stringMatching(new RegExp(s.pattern, 'u')).filter((v) => fitsString(s, v));
  } else {
    const min = s.minLength ?? 0;
    generated = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? FREE_STRING, FREE_STRING)), unit: 'grapheme-ascii' });
  }
  const pooled = withPool(generated, pools.strings.filter((v) => fitsString(s, v)));
  const blobs = (s.maxLength ?? 0) > 100_000 ? pools.blobs.filter((v) => fitsString(s, v)) : [];
  return blobs.length ? fc.oneof(pooled, fc.constantFrom(...blobs)) : pooled;
}

function numberArb(s: Schema, pools: Pools, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1e6);
  const generated = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter((v) => fitsNumber(s, v));
  return withPool(generated, pools.integers.filter((v) => fitsNumber(s, v)));
}

/** A value the schema accepts. */
export function validArb(s: Schema, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = alternatives(s);
  if (alts) return fc.oneof(...alts.map((a) => validArb(a, pools, depth + 1)));
  switch (typeOf(s)) {
    case 'string': return stringArb(s, pools);
    case 'integer': return numberArb(s, pools, true);
    case 'number': return numberArb(s, pools, false);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(s.items ? validArb(s.items, pools, depth + 1) : fc.jsonValue({ maxDepth: 2 }), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? MAX_ARRAY, MAX_ARRAY)) });
    }
    case 'object': {
      const props = s.properties ?? {};
      if (Object.keys(props).length === 0) {
        const values = s.patternProperties ? Object.values(s.patternProperties)[0]! : {};
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), validArb(values, pools, depth + 1), { maxKeys: 3 });
      }
      const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, validArb(p, pools, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default: // any JSON (Type.Unknown): the app's own documents, broken or whole, or anything
      return pools.documents.length && depth < 3
        ? fc.oneof({ weight: 2, arbitrary: mutatedDocument(pools.documents) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) })
        : fc.jsonValue({ maxDepth: 3 });
  }
}

/** One of the app's documents with one value somewhere inside replaced, removed or doubled. */
export function mutatedDocument(documents: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...documents), fc.nat(), fc.constantFrom('replace', 'remove', 'keep'), fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 })))
    .map(([doc, pick, how, replacement]) => {
      const copy = structuredClone(doc);
      if (how === 'keep') return copy;
      const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
      const walk = (v: unknown) => {
        if (Array.isArray(v)) v.forEach((x, i) => { slots.push({ parent: v, key: i }); walk(x); });
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { slots.push({ parent: v as Record<string, unknown>, key: k }); walk(x); }
      };
      walk(copy);
      if (slots.length === 0) return replacement;
      const { parent, key } = slots[pick % slots.length]!;
      if (how === 'remove') {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
      } else (parent as Record<string | number, unknown>)[key] = replacement;
      return copy;
    });
}

/** What a broken value may be: a path parameter can be neither empty nor longer than the router takes. */
export interface BreakOptions {
  /** Leave out required fields and add unknown ones (not for path parameters: the URL would name no route). */
  structural?: boolean;
  nonEmpty?: boolean;
  maxText?: number;
}

/** Picks from a list worked out beforehand (a filter that nothing passes would make fast-check spin forever); null when empty. */
const pick = <T>(values: readonly T[]): fc.Arbitrary<T> | null => (values.length ? fc.constantFrom(...values) : null);
const present = <T>(values: (T | null)[]): T[] => values.filter((v): v is T => v !== null);

/** Values of the wrong kind for the schema that the server cannot coerce into the right one. */
function wrongLeaf(s: Schema, transport: Transport, o: BreakOptions): fc.Arbitrary<unknown> | null {
  const maxText = o.maxText ?? Infinity;
  // A path parameter of '.' or '..' is read by the router as a step up the path: no route to validate it.
  const text = (values: readonly string[]) => values.filter((v) => v.length <= maxText && !(o.nonEmpty && (v === '' || v === '.' || v === '..')));
  const notAString = transport === 'json' ? fc.constantFrom<unknown>({}, { a: 1 }, [1, 2]) : null;
  const alts = alternatives(s);
  if (s.const !== undefined || s.enum || (alts?.every((a) => a.const !== undefined) ?? false)) {
    const allowed = new Set((s.enum ?? (s.const !== undefined ? [s.const] : alts!.map((a) => a.const))).map(String));
    return pick(text([...HOSTILE_STRINGS, '__nope__', 'UNKNOWN']).filter((v) => !allowed.has(v) && !coercesInto(v, allowed)));
  }
  if (alts) return notAString;
  switch (typeOf(s)) {
    case 'string': {
      const choices = present<fc.Arbitrary<unknown>>([notAString]);
      // Fields longer than a body limit allows are the oversized-body strategy's business.
      if (s.maxLength !== undefined && s.maxLength + 1 <= Math.min(maxText, 200_000)) choices.push(fc.integer({ min: s.maxLength + 1, max: Math.min(s.maxLength + 200, maxText) }).map((n) => 'x'.repeat(n)));
      if ((s.minLength ?? 0) > 0) choices.push(...present([pick(text(['x'.repeat(s.minLength! - 1)]))]));
      if (s.pattern !== undefined || s.format === 'date-time') choices.push(...present([pick(text(HOSTILE_STRINGS).filter((v) => !fitsString(s, v)))]));
      return choices.length ? fc.oneof(...choices) : null;
    }
    case 'integer':
    case 'number': {
      const words = ['abc', 'NaN', 'Infinity', '-Infinity', '1e309', '0x', '--1', '1,5'].filter((v) => transport === 'json' || !Number.isFinite(Number(v)));
      const choices = present<fc.Arbitrary<unknown>>([pick(words)]);
      if (typeOf(s) === 'integer') choices.push(fc.constantFrom(0.5, 0.25, 0.001).map((v) => (s.minimum ?? 0) + v));
      if (s.minimum !== undefined) choices.push(fc.constantFrom(1, 1000, 1e15).map((d) => s.minimum! - d));
      if (s.maximum !== undefined) choices.push(fc.constantFrom(1, 1000, 1e15).map((d) => s.maximum! + d));
      if (notAString) choices.push(notAString);
      return fc.oneof(...choices);
    }
    case 'boolean': return fc.constantFrom<unknown>('maybe', 'yes', 2, ...(transport === 'json' ? [{}, [1, 2]] : []));
    case 'array': return transport === 'json' ? fc.constantFrom<unknown>({}, { 0: 1 }) : null;
    case 'object': return transport === 'json' ? fc.constantFrom<unknown>('x', 5, [{}], true) : null;
    default: return null;
  }
}

/**
 * A value the schema refuses, wrong in one place only, with that place's path; null when nothing in the
 * schema can be broken in this transport (a free-form field).
 */
export function brokenArb(s: Schema, pools: Pools, transport: Transport, path: string[] = [], o: BreakOptions = {}): fc.Arbitrary<Broken> | null {
  const options: fc.Arbitrary<Broken>[] = [];
  const leaf = wrongLeaf(s, transport, o);
  if (leaf) options.push(leaf.map((value) => ({ value, path })));
  if (typeOf(s) === 'object' && s.properties) {
    const props = s.properties;
    const base = validArb(s, pools) as fc.Arbitrary<Record<string, unknown>>;
    for (const key of o.structural === false ? [] : s.required ?? []) {
      // A field with a default is filled in when left out (useDefaults), so leaving it out breaks nothing.
      if (key in props && props[key]!.default === undefined) options.push(base.map((v) => { const copy = { ...v }; delete copy[key]; return { value: copy, path: [...path, key] }; }));
    }
    const extra = ['extra', 'isAdmin', '__x', 'ĉampo'].filter((k) => !(k in props));
    if (s.additionalProperties === false && o.structural !== false) {
      options.push(fc.tuple(base, fc.constantFrom(...extra)).map(([v, k]) => ({ value: { ...v, [k]: 1 }, path: [...path, k] })));
    }
    for (const [key, p] of Object.entries(props)) {
      const inner = brokenArb(p, pools, transport, [...path, key], { ...o, structural: true });
      if (inner) options.push(fc.tuple(base, inner).map(([v, b]) => ({ value: { ...v, [key]: b.value }, path: b.path })));
    }
  }
  if (typeOf(s) === 'array' && s.items && transport === 'json') {
    if (s.maxItems !== undefined) {
      const item = validArb(s.items, pools);
      options.push(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 3 }).map((value) => ({ value, path })));
    }
    const inner = brokenArb(s.items, pools, transport, [...path, '0'], { ...o, structural: true });
    if (inner) options.push(inner.map((b) => ({ value: [b.value], path: b.path })));
  }
  return options.length ? fc.oneof(...options) : null;
}
