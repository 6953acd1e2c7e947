// Hostile input, whatever the route: the strings and byte sequences that have broken web servers before
// (injection, traversal, encodings, numbers that are not numbers), deep and huge JSON, and garbage bodies.
import fc from 'fast-check';

/** Strings that must come back as a 4xx or be kept verbatim, never run, never a 500. */
export const HOSTILE_STRINGS: readonly string[] = [
  // SQL, including LIKE patterns and the dialects' own functions
  "' OR 1=1 --", "'; DROP TABLE cases; --", '" OR ""="', "1; select pg_sleep(5)", "%' OR '%'='", "\\'; select * from users --",
  "x' AND 1=(select count(*) from sqlite_master) --", '%', '_', '%%_%', '\\', "'", '"', '`', ';', '--', '/*', 'null', 'NULL', 'undefined',
  // path traversal, raw and encoded
  '../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '....//....//etc/passwd', '%2e%2e%2f%2e%2e%2f', '..\\..\\windows\\win.ini', '/etc/passwd%00.png', '..', '.', '/', '//', 'C:\\',
  // markup and templates
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '<svg onload=alert(1)>', ']]><!--', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '{{7*7}}', '${7*7}', '%s%s%s%n', '=cmd|\' /C calc\'!A0', '+1+1', '@SUM(1)',
  // prototype keys
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  // control characters, lone surrogates, direction overrides, non-characters
  'a\u0000b', '\u0000', '\u0001\u001f\u007f', '\uFFFE\uFFFF', '\uD800', 'x\uDFFFy', '\u202Eevil', '\u200B', 'e\u0301\u0301\u0301', '🙂🏙️', '\r\n\r\n', '\t',
  // numbers that are not (finite, safe) numbers
  'NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '1e-400', '-0', '0x10', '1_000', '9007199254740993', '99999999999999999999999', ' 1 ', '', ' ', '+1', '.5', '00001', '1.0', '1,5', 'true', 'false',
  // times and periods that are almost right
  '2026-02-30T00:00:00Z', '0000-00-00', '9999-12-31T23:59:59Z', '2026-13-01', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '2026-10-01T25:00:00+08:00', 'now',
  '1970-01-01T00:00:00Z', '2026-H3', '2026-10-H3', '2026-Q5', '2026-00', '99999', '-1', '2026-10-01 10:00', '2026-W53',
];

/** Percent-encoded sequences that do not decode to UTF-8 (or not at all), for URLs and form bodies. */
export const BROKEN_PERCENT: readonly string[] = ['%FF%FE', '%C3%28', '%ED%A0%80', '%E4%B8', '%', '%zz', '%00', '%2F', '%5C', '%25', '%0D%0AX-Injected:%201', '%E2%80%AE', '%C0%AE%C0%AE%2F'];

/** Byte sequences that are not UTF-8: overlong, surrogates, truncated, stray continuation bytes. */
export const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe4, 0xb8], [0x80, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_STRINGS)).map(([a, b]) => a + b) },
);

/** Strings far over any field's limit (up to `max` characters). */
export function hugeString(max: number): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('x', '城', '\u0000', '🙂', "'", '%', 'a,b\n'), fc.integer({ min: 1000, max: Math.max(1000, max) }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
}

/** JSON nested `depth` deep, written as text so that no recursion is needed to build it. */
export function deepJsonText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A value nested `depth` deep (for fields that take any JSON). */
export function deepValue(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

export const numberLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.integer(),
);

/** Any JSON value, hostile strings and extreme numbers included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString, numberLike, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Text that is JSON only in parts: truncated, trailing commas, comments, duplicate keys, NaN, BOM, raw control bytes. */
export const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '}', '[', '{"a":', '{"a":1,}', '[1,2,]', '{a:1}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":1e999}', '{"a":-}', '// c\n{}', '\uFEFF{}', '{"a":"\u0000"}',
    '{"a":1}{"b":2}', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', 'null', 'true', '0', '""', '"x"', '[]', '{}', ' ', '\n\n'),
  fc.constantFrom(deepJsonText(20_000, 'array'), deepJsonText(20_000, 'object'), deepJsonText(500, 'object')),
  fc.json().map((text) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
);

/** Bytes that are not what any route takes: random, or a file type's magic number followed by junk. */
export const garbageBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.tuple(fc.constantFrom(
    [0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
    [0x50, 0x4b, 0x03, 0x04], [0x25, 0x50, 0x44, 0x46], [0x1f, 0x8b], [0xef, 0xbb, 0xbf],
  ), fc.uint8Array({ maxLength: 500 })).map(([magic, rest]) => Uint8Array.from([...magic, ...rest])),
  fc.constantFrom(...INVALID_UTF8).map((b) => Uint8Array.from(b)),
);

/** JSON text with bytes that are not UTF-8 inside a string: `{"<key>":"a<bad>b"}`. */
export function invalidUtf8Json(key: string): fc.Arbitrary<Uint8Array> {
  return fc.constantFrom(...INVALID_UTF8).map((bad) => Uint8Array.from([...Buffer.from(`{"${key}":"a`), ...bad, ...Buffer.from('b"}')]));
}

/** Content types other than the route's own, malformed ones, and multipart bodies that are not. */
export const ODD_CONTENT_TYPES: readonly string[] = [
  'text/plain', 'text/csv', 'application/xml', 'text/html', 'application/octet-stream', 'image/png', 'application/geo+json', 'application/x-ndjson',
  'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=----x',
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json;;;', 'application/json, text/csv', 'application/JSON', ';', '*/*', 'x'.repeat(2000),
];

/** A multipart body that is broken in one of the usual ways (no closing boundary, wrong boundary, no headers). */
export const brokenMultipart: fc.Arbitrary<{ contentType: string; body: string }> = fc.constantFrom(
  { contentType: 'multipart/form-data; boundary=abc', body: '--abc\r\nContent-Disposition: form-data; name="file"; filename="../../x.png"\r\n\r\n\x89PNG' },
  { contentType: 'multipart/form-data; boundary=abc', body: '--xyz\r\n\r\nhello\r\n--xyz--' },
  { contentType: 'multipart/form-data', body: '--\r\n--' },
  { contentType: 'multipart/form-data; boundary="a b"', body: '--a b\r\nContent-Disposition: form-data\r\n\r\n' + 'y'.repeat(3000) },
);
