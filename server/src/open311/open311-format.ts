// The two wire formats of GeoReport v2 (../shared/reference/open311.md §1.1): XML, which the spec
// requires (and FixMyStreet speaks), and JSON, the spec's mechanical mapping where the wrapper element
// becomes an array. One value model feeds both: a list of items under a root element. The spec's XML has
// no schema and no namespace; every response starts with the UTF-8 declaration.
import type { FastifyReply } from 'fastify';

export type Format = 'xml' | 'json';
export type Scalar = string | number | boolean | null;
export type Value = Scalar | Value[] | { [key: string]: Value };

export const CONTENT_TYPE: Record<Format, string> = { xml: 'text/xml; charset=utf-8', json: 'application/json; charset=utf-8' };

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot carry at all (controls other than tab, newline, carriage return).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** The element name an array's items take: `attributes` → `attribute`, `values` → `value`, `media_urls` → `media_url`. */
function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

function element(name: string, value: Value, indent: string): string {
  if (value === null) return `${indent}<${name}/>\n`;
  if (Array.isArray(value)) {
    const item = singular(name);
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('')}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([k, v]) => element(k, v, `${indent}  `)).join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

/** `<root><item>…</item>…</root>`; the JSON form is the array of items itself. */
export function renderList(format: Format, root: string, item: string, items: Record<string, Value>[]): string {
  if (format === 'json') return JSON.stringify(items);
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>\n${items.map((i) => element(item, i, '  ')).join('')}</${root}>\n`;
}

/** A single object under its root element (discovery, a service definition); JSON is the object. */
export function renderObject(format: Format, root: string, value: Record<string, Value>): string {
  if (format === 'json') return JSON.stringify(value);
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}`;
}

export function send(reply: FastifyReply, format: Format, status: number, body: string): FastifyReply {
  return reply.status(status).header('content-type', CONTENT_TYPE[format]).send(body);
}

/** A GeoReport error: the HTTP status, and the list of {code, description} the body carries. */
export class Open311Error extends Error {
  readonly status: number;
  readonly errors: { code: number | string; description: string }[];

  constructor(status: number, description: string, more: { code: number | string; description: string }[] = []) {
    super(description);
    this.status = status;
    this.errors = [{ code: status, description }, ...more];
  }
}

export function renderErrors(format: Format, errors: { code: number | string; description: string }[]): string {
  return renderList(format, 'errors', 'error', errors.map((e) => ({ code: e.code, description: e.description })));
}

/** The format a path asks for by its suffix; XML when it names none (the spec's required format). */
export function formatOf(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** W3C/ISO 8601 with the time zone the spec requires: Beijing time, +08:00. */
export function isoDateTime(ms: number | null): string | null {
  if (ms === null) return null;
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** A W3C datetime from a client; it must carry a zone (Z or ±HH:MM), as the spec says. */
export function parseDateTime(text: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  const ms = m ? Date.parse(text.trim()) : Number.NaN;
  if (!m || Number.isNaN(ms)) throw new Open311Error(400, `${field} must be a W3C date-time with a time zone, like 2026-10-01T00:00:00+08:00`);
  return ms;
}
