// One fuzzed request for a route: path, query, headers and body drawn from the route's own schemas, then
// spoiled in one of several ways (one field broken, hostile values, garbage or huge bodies, the wrong
// content type, broken URLs and headers). Routes without a schema (Open311) take the protocol's
// parameter names, form-encoded.
import fc from 'fast-check';
import type { FuzzRoute } from './routes.ts';
import { brokenArb, mutatedDocument, validArb, type Pools, type Schema } from './schema-arbitrary.ts';
import { brokenGeoJson, hugeGeoJson, type GeoJsonOptions } from './geojson.ts';
import {
  BROKEN_PERCENT, ODD_CONTENT_TYPES, brokenJsonText, brokenMultipart, deepValue, garbageBytes, hostileJson, hostileString, hugeString, invalidUtf8Json,
} from './hostile.ts';

export interface FuzzRequest {
  strategy: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Set when exactly one schema field is broken: the 400 must name it (`body.location.lon`). */
  expectField?: string;
}

export interface RequestContext {
  pools: Pools;
  /** Parameter names where the route has no schema (Open311's, and every schema's property names). */
  parameterNames: readonly string[];
  /** A live Open311 API key, sent in forms now and then so that requests get past the key check. */
  apiKey: string;
  geo: GeoJsonOptions;
  /** Text files the project ships (samples, seed CSV), to break one line of. */
  textDocuments: readonly string[];
  /** Largest string to put in a field. */
  hugeChars: number;
  /** Send a body over the route's limit only when that limit is at most this many bytes. */
  oversizedUpTo: number;
  /** The app's default body limit (routes without their own). */
  defaultBodyLimit: number;
}

interface Parts {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string>;
}

/** Percent-encodes every byte outside the unreserved set; lone surrogates become U+FFFD, as UTF-8 would. */
export function encode(value: unknown): string {
  const bytes = Buffer.from(String(value), 'utf8');
  let out = '';
  for (const b of bytes) out += /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${encode(typeof item === 'object' && item !== null ? JSON.stringify(item) : item)}`);
  }
  return parts.join('&');
}

function pathOf(route: FuzzRoute, params: Record<string, unknown>, raw = false): string {
  let i = 0;
  return route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)|\*/g, () => {
    const name = route.pathParams[i++]!;
    const v = params[name];
    return raw ? String(v) : encode(v);
  });
}

function paramValue(route: FuzzRoute, name: string, ctx: RequestContext): fc.Arbitrary<unknown> {
  const schema = route.params?.properties?.[name];
  if (schema) return validArb(schema, ctx.pools);
  // A format suffix (Open311's `.json` / `.xml`) is mostly one of the two, so that the handlers run.
  if (name === 'format') return fc.oneof({ weight: 8, arbitrary: fc.constantFrom('json', 'xml') }, { weight: 1, arbitrary: hostileString });
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.pools.strings, ...ctx.pools.integers.map(String)) }, { weight: 1, arbitrary: hostileString });
}

function validParts(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<Parts> {
  const params = fc.record(Object.fromEntries(route.pathParams.map((p) => [p, paramValue(route, p, ctx)])));
  const query = route.querystring ? validArb(route.querystring, ctx.pools) : schemalessFields(ctx, false);
  return fc.record({ params, query: query as fc.Arbitrary<Record<string, unknown>>, body: bodyArb(route, ctx), headers: fc.constant({}) });
}

/** Fields named as the protocol names them, with real values, hostile ones, or the live API key. */
function schemalessFields(ctx: RequestContext, form: boolean): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.pools.strings, ...ctx.pools.integers.map(String)) }, { weight: 2, arbitrary: hostileString });
  const fields = fc.dictionary(fc.constantFrom(...ctx.parameterNames), value, { maxKeys: form ? 10 : 4 });
  return form ? fc.tuple(fields, fc.boolean()).map(([f, withKey]) => (withKey ? { ...f, api_key: ctx.apiKey } : f)) : fields;
}

/** An object body of any fields (`Type.Object({}, { additionalProperties: true })`): the importers' GeoJSON documents. */
const isOpenObject = (s: Schema) => s.type === 'object' && Object.keys(s.properties ?? {}).length === 0 && s.additionalProperties !== false;

function bodyArb(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<unknown> {
  if (route.body) {
    return isOpenObject(route.body) ? brokenGeoJson(ctx.geo) : validArb(route.body, ctx.pools);
  }
  if (route.method === 'POST' && route.schemaless) return schemalessFields(ctx, true).map((f) => ({ __form: f }));
  return fc.constant(undefined);
}

function serialise(route: FuzzRoute, parts: Parts, strategy: string, expectField?: string): FuzzRequest {
  const qs = queryString(parts.query);
  const headers = { ...parts.headers };
  let payload: string | undefined;
  const body = parts.body as { __form?: Record<string, unknown> } | undefined;
  if (body && typeof body === 'object' && '__form' in body) {
    payload = queryString(body.__form!);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  return { strategy, method: route.method, url: pathOf(route, parts.params) + (qs ? `?${qs}` : ''), headers, ...(payload !== undefined ? { payload } : {}), ...(expectField ? { expectField } : {}) };
}

/** Exactly one field of params, query or body broken; the answer must be a 400 naming it. */
function brokenFieldRequests(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest>[] {
  const out: fc.Arbitrary<FuzzRequest>[] = [];
  const where: [keyof Parts, Schema | undefined, 'params' | 'querystring' | 'body'][] = [['params', route.params, 'params'], ['query', route.querystring, 'querystring'], ['body', route.body, 'body']];
  for (const [part, schema, context] of where) {
    if (!schema || route.ownValidator) continue;
    // A path parameter cannot be left out, added, empty or longer than the router takes: the URL would name no route.
    const broken = part === 'params'
      ? brokenArb(schema, ctx.pools, 'string', [], { structural: false, nonEmpty: true, maxText: 100 })
      : brokenArb(schema, ctx.pools, part === 'body' ? 'json' : 'string');
    if (!broken) continue;
    out.push(fc.tuple(validParts(route, ctx), broken).map(([parts, b]) => {
      const replaced = part === 'params' ? { ...parts.params, ...(b.value as Record<string, unknown>) } : b.value;
      return serialise(route, { ...parts, [part]: replaced }, `broken ${context}`, [context, ...b.path].join('.'));
    }));
  }
  return out;
}

/** Fields of the path, query and body replaced by hostile, huge or odd JSON values; no field is named in advance. */
function hostileValues(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const replacement = fc.oneof({ weight: 6, arbitrary: hostileString }, { weight: 1, arbitrary: hugeString(ctx.hugeChars) }, { weight: 2, arbitrary: hostileJson });
  // One replacement per top-level field the route has (a huge string is costly to make for nothing).
  const fields = Math.max(1, route.pathParams.length + Object.keys(route.querystring?.properties ?? {}).length + Object.keys(route.body?.properties ?? {}).length + (route.schemaless ? 4 : 0));
  const count = Math.min(16, fields);
  return fc.tuple(validParts(route, ctx), fc.array(fc.boolean(), { minLength: count, maxLength: count }), fc.array(replacement, { minLength: count, maxLength: count }))
    .map(([parts, picks, values]) => {
      let n = 0;
      const spoil = (fields: unknown, asText: boolean): unknown => {
        if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return fields;
        return Object.fromEntries(Object.entries(fields).map(([k, v]) => {
          const i = n++ % picks.length;
          if (!picks[i]) return [k, v];
          const r = values[i];
          return [k, asText && typeof r === 'object' && r !== null ? JSON.stringify(r) : r];
        }));
      };
      const form = (parts.body as { __form?: unknown } | undefined)?.__form;
      const body = form ? { __form: spoil(form, true) } : spoil(parts.body, false);
      return serialise(route, { ...parts, params: spoil(parts.params, true) as Record<string, unknown>, query: spoil(parts.query, true) as Record<string, unknown>, body }, 'hostile values');
    });
}

/** Bodies that are not the route's: broken JSON, bytes, invalid UTF-8, deep nesting, hostile JSON, wrong content types, broken multipart. */
function garbageBodies(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const raw = (payload: string | Uint8Array, contentType: string | undefined) => ({ payload: typeof payload === 'string' ? payload : Buffer.from(payload), contentType });
  const body = fc.oneof(
    brokenJsonText.map((t) => raw(t, 'application/json')),
    fc.tuple(garbageBytes, fc.constantFrom('application/json', ...route.contentTypes, ...ODD_CONTENT_TYPES)).map(([b, t]) => raw(b, t)),
    invalidUtf8Json(Object.keys(route.body?.properties ?? { a: 1 })[0] ?? 'a').map((b) => raw(b, 'application/json')),
    hostileJson.map((v) => raw(JSON.stringify(v) ?? 'null', 'application/json')),
    fc.constantFrom(deepValue(2000), deepValue(50)).map((v) => raw(JSON.stringify({ ...Object.fromEntries(Object.keys(route.body?.properties ?? {}).map((k) => [k, v])), x: v }), 'application/json')),
    fc.tuple(fc.constantFrom(...ODD_CONTENT_TYPES), validParts(route, ctx)).map(([t, p]) => raw(JSON.stringify(p.body ?? {}), t)),
    brokenMultipart.map((m) => raw(m.body, m.contentType)),
    fc.constant(raw('', 'application/json')),
    fc.constant(raw('{}', '')),
  );
  return fc.tuple(validParts(route, ctx), body).map(([parts, b]) => {
    const req = serialise(route, { ...parts, body: undefined }, 'garbage body');
    return { ...req, payload: b.payload, headers: { ...req.headers, ...(b.contentType ? { 'content-type': b.contentType } : {}) } };
  });
}

/** For routes that take files: text files of the project with a line broken, garbage, huge text. */
function fileBodies(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const brokenLine = fc.tuple(fc.constantFrom(...ctx.textDocuments), fc.nat(), fc.oneof(hostileString, fc.constantFrom('"', '""', 'a,"b', ',,,,,,,,,,,,,', '\uFEFF', '{"broken":', '=1+1'))).map(([doc, at, bad]) => {
    const lines = doc.split('\n');
    lines[at % lines.length] = bad;
    return lines.join('\n');
  });
  const text = fc.oneof(brokenLine, fc.constantFrom(...ctx.textDocuments), hugeString(ctx.hugeChars), fc.string({ unit: 'binary', maxLength: 500 }), fc.constantFrom('', '\n', 'a\n', 'a,b\n1'));
  const payload = fc.oneof(text.map((t): string | Uint8Array => t), garbageBytes);
  return fc.tuple(validParts(route, ctx), payload, fc.constantFrom(...route.contentTypes, ...route.contentTypes, 'text/plain', 'application/json'))
    .map(([parts, p, type]) => {
      const req = serialise(route, { ...parts, body: undefined }, 'file body');
      return { ...req, payload: typeof p === 'string' ? p : Buffer.from(p), headers: { ...req.headers, 'content-type': type } };
    });
}

/** Path and query spoiled at the URL level: broken percent-encoding, duplicated and nested keys, huge values, another method. */
function hostileUrls(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(validParts(route, ctx), fc.constantFrom(...BROKEN_PERCENT), fc.nat(4), hugeString(Math.min(ctx.hugeChars, 20_000)), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'))
    .map(([parts, bad, how, huge, otherMethod]) => {
      const req = serialise(route, parts, 'hostile url');
      const [path, qs] = req.url.split('?') as [string, string | undefined];
      const q = qs ? `${qs}&` : '';
      switch (how) {
        case 0: return { ...req, url: route.pathParams.length ? pathOf(route, Object.fromEntries(route.pathParams.map((p) => [p, bad])), true) + (qs ? `?${qs}` : '') : `${path}?${q}${bad}=${bad}` };
        case 1: return { ...req, url: `${path}?${q}${Object.keys(parts.query)[0] ?? 'limit'}=1&${Object.keys(parts.query)[0] ?? 'limit'}=2&a[b]=c&a[]=d&=&&` };
        case 2: return { ...req, url: `${path}?${q}${ctx.parameterNames[0]}=${encode(huge)}` };
        case 3: return { ...req, url: `${path}/..%2F..%2F${bad}/../${qs ? `?${qs}` : ''}` };
        default: return { ...req, method: otherMethod };
      }
    });
}

/** Headers that lie: a bogus session or API key, a bad idempotency key, a garbage cookie, a forged client address. */
function hostileHeaders(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const header = fc.oneof(
    hostileString.map((v) => ({ authorization: `Bearer ${v}` })),
    fc.constantFrom({ authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: 'Bearer' }, { authorization: 'bearer  ' }),
    hostileString.map((v) => ({ 'x-api-key': v })),
    fc.oneof(hostileString, fc.constant('k'.repeat(201)), fc.constant('键')).map((v) => ({ 'idempotency-key': v })),
    hostileString.map((v) => ({ cookie: `cityops_session=${v}` })),
    fc.constant({ 'x-forwarded-for': '1.2.3.4, <script>' }),
  );
  return fc.tuple(validParts(route, ctx), header).map(([parts, h]) => {
    // Node refuses to send a header with control or non-Latin-1 characters at all; those become '?'.
    const safe = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')]));
    const req = serialise(route, parts, 'hostile headers');
    return { ...req, headers: { ...req.headers, ...safe } };
  });
}

/** A body over the route's own limit (only for routes whose limit is small enough to send in a test). */
function oversized(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> | null {
  const limit = route.bodyLimit ?? ctx.defaultBodyLimit;
  if (limit > ctx.oversizedUpTo || route.method === 'GET') return null;
  return fc.tuple(validParts(route, ctx), fc.integer({ min: 1, max: 4096 }), fc.constantFrom('application/json', ...route.contentTypes))
    .map(([parts, over, type]) => ({ ...serialise(route, { ...parts, body: undefined }, 'oversized body'), payload: Buffer.alloc(limit + over, 0x61), headers: { 'content-type': type } }));
}

/** Every way of spoiling a request to this route, weighted towards the schema-driven ones. */
export function requestArb(route: FuzzRoute, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const choices: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 3, arbitrary: validParts(route, ctx).map((p) => serialise(route, p, 'valid')) },
    { weight: 3, arbitrary: hostileValues(route, ctx) },
    { weight: 1, arbitrary: hostileUrls(route, ctx) },
    { weight: 1, arbitrary: hostileHeaders(route, ctx) },
  ];
  for (const broken of brokenFieldRequests(route, ctx)) choices.push({ weight: 4, arbitrary: broken });
  if (route.method !== 'GET') choices.push({ weight: 2, arbitrary: garbageBodies(route, ctx) });
  if (route.contentTypes.length) choices.push({ weight: 4, arbitrary: fileBodies(route, ctx) });
  const unknownFields = Object.entries(route.body?.properties ?? {}).filter(([, s]) => Object.keys(s).filter((k) => k !== 'description').length === 0).map(([k]) => k);
  if (unknownFields.length && ctx.pools.documents.length) {
    // Free-form fields (a scheme, a checklist): the app's own documents, one value spoiled.
    choices.push({ weight: 4, arbitrary: fc.tuple(validParts(route, ctx), mutatedDocument(ctx.pools.documents)).map(([p, doc]) => serialise(route, { ...p, body: { ...(p.body as object), [unknownFields[0]!]: doc } }, 'mutated document')) });
  }
  if (route.body && isOpenObject(route.body)) {
    choices.push({ weight: 1, arbitrary: fc.tuple(validParts(route, ctx), hugeGeoJson(ctx.geo)).map(([p, doc]) => serialise(route, { ...p, body: doc }, 'huge geojson')) });
  }
  const big = oversized(route, ctx);
  if (big) choices.push({ weight: 1, arbitrary: big });
  return fc.oneof(...choices);
}
