// The GeoReport v2 rules the conformance suite checks, written from the spec (open311.md §1): the JSON
// shapes as JSON Schemas (TypeBox), and a reader for the spec's XML (no attributes, no namespaces) that
// turns it into the JSON mapping, so both formats are held to the same rules and must carry the same
// content.
import { Type, type TSchema } from 'typebox';
import * as Value from 'typebox/value';

/** W3C date-time with the zone the spec requires. */
const DATETIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$';
const DateTime = Type.String({ pattern: DATETIME });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const DiscoverySchema = Type.Object({
  changeset: DateTime, contact: Type.String({ minLength: 1 }), key_service: Type.String({ minLength: 1 }),
  endpoints: Type.Array(Type.Object({
    specification: Type.String({ minLength: 1 }), url: Type.String({ pattern: '^https?://' }), changeset: DateTime,
    type: Type.Union([Type.Literal('production'), Type.Literal('test')]), formats: Type.Array(Type.String(), { minItems: 1 }),
  }), { minItems: 1 }),
});

export const ServiceSchema = Type.Object({
  service_code: Type.String({ minLength: 1 }), service_name: Type.String({ minLength: 1 }), description: Nullable(Type.String()),
  metadata: Type.Boolean(), type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
  keywords: Nullable(Type.String()), group: Nullable(Type.String()),
});

const Datatype = Type.Union(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].map((d) => Type.Literal(d)));
export const ServiceDefinitionSchema = Type.Object({
  service_code: Type.String({ minLength: 1 }),
  attributes: Type.Array(Type.Object({
    variable: Type.Boolean(), code: Type.String({ minLength: 1 }), datatype: Datatype, required: Type.Boolean(),
    datatype_description: Nullable(Type.String()), order: Type.Integer({ minimum: 1 }), description: Type.String(),
    values: Type.Optional(Type.Array(Type.Object({ key: Type.String(), name: Type.String() }))),
  })),
});

export const RequestSchema = Type.Object({
  service_request_id: Type.String({ minLength: 1 }), status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  status_notes: Nullable(Type.String()), service_name: Nullable(Type.String()), service_code: Type.String({ minLength: 1 }),
  description: Nullable(Type.String({ maxLength: 4000 })), agency_responsible: Nullable(Type.String()), service_notice: Nullable(Type.String()),
  requested_datetime: DateTime, updated_datetime: Nullable(DateTime), expected_datetime: Nullable(DateTime),
  address: Nullable(Type.String()), address_id: Nullable(Type.String()), zipcode: Nullable(Type.String()),
  lat: Type.Number({ minimum: -90, maximum: 90 }), long: Type.Number({ minimum: -180, maximum: 180 }), media_url: Nullable(Type.String()),
  extended_attributes: Type.Optional(Type.Object({ detailed_status: Type.String() }, { additionalProperties: true })),
}, { additionalProperties: false });

export const PostResponseSchema = Type.Array(Type.Object({
  service_request_id: Type.String({ minLength: 1 }), service_notice: Nullable(Type.String()), account_id: Nullable(Type.String()),
}, { additionalProperties: false }), { minItems: 1, maxItems: 1 });

export const ErrorsSchema = Type.Array(Type.Object({ code: Type.Union([Type.Integer(), Type.String()]), description: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { minItems: 1 });

const FMS_STATUSES = ['open', 'closed', 'fixed', 'in_progress', 'planned', 'action_scheduled', 'investigating', 'duplicate', 'not_councils_responsibility', 'no_further_action', 'internal_referral', 'cancelled', 'reopen', 'for_triage'];
export const UpdateSchema = Type.Object({
  update_id: Type.String({ minLength: 1 }), service_request_id: Type.String({ minLength: 1 }), status: Type.Union(FMS_STATUSES.map((s) => Type.Literal(s))),
  updated_datetime: DateTime, description: Type.String(), media_url: Type.String(), external_status_code: Type.Optional(Type.String()),
});

/** Throws with the first problems when `value` does not fit `schema`. */
export function assertFits(schema: TSchema, value: unknown, label: string): void {
  if (Value.Check(schema, value)) return;
  const errors = [...Value.Errors(schema, value)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new Error(`${label} does not fit the spec: ${errors.join('; ')}`);
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
  empty: boolean;
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Reads the spec's XML: a declaration, then elements with text or child elements, no attributes. */
export function parseXml(text: string): XmlElement {
  if (!text.startsWith('<?xml version="1.0" encoding="utf-8"?>')) throw new Error('XML must begin with <?xml version="1.0" encoding="utf-8"?>');
  let i = text.indexOf('?>') + 2;
  const skipSpace = () => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const readElement = (): XmlElement => {
    skipSpace();
    const open = /^<([A-Za-z_][\w.-]*)(\s*\/)?>/.exec(text.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${text.slice(i, i + 40)}`);
    i += open[0].length;
    const name = open[1]!;
    if (open[2]) return { name, children: [], text: '', empty: true };
    const children: XmlElement[] = [];
    let body = '';
    for (;;) {
      const close = `</${name}>`;
      if (text.startsWith(close, i)) { i += close.length; break; }
      if (text[i] === '<') { children.push(readElement()); continue; }
      const next = text.indexOf('<', i);
      if (next === -1) throw new Error(`unclosed <${name}>`);
      body += text.slice(i, next);
      i = next;
    }
    if (children.length && body.trim()) throw new Error(`<${name}> mixes text and elements`);
    return { name, children, text: decode(body), empty: false };
  };
  const root = readElement();
  skipSpace();
  if (i !== text.length) throw new Error('text after the root element');
  return root;
}

/**
 * The JSON mapping of an element (the spec's "Spark convention" as the spec's own JSON examples show it):
 * a wrapper of repeated elements becomes an array, an empty element null, and text stays text, so a
 * caller compares it with the JSON answer read as text.
 */
export function xmlToJson(e: XmlElement, lists: ReadonlySet<string>): unknown {
  if (lists.has(e.name)) return e.children.map((c) => xmlToJson(c, lists));
  if (e.empty) return null;
  if (e.children.length === 0) return e.text;
  return Object.fromEntries(e.children.map((c) => [c.name, xmlToJson(c, lists)]));
}

/** A JSON answer with every leaf as the text XML would carry. */
export function asText(value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(asText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asText(v)]));
  return String(value);
}

export const LIST_ELEMENTS = new Set(['services', 'service_requests', 'attributes', 'values', 'endpoints', 'formats', 'errors', 'service_request_updates']);
