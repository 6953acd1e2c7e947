// What the fuzzer found (issue 9), each kept as the request that showed it, with the answer it must get now.
// Before the fixes: 500s (non-finite and huge numbers through Ajv's coercion; NUL in text on PostgreSQL;
// PostgreSQL's untyped concat parameter; repeated Open311 parameters; an empty PATCH; a backwards pause),
// answers outside the error envelope (the router's own), a 400 that named `body` instead of the unknown
// field, a 404 for `Infinity` as an id, and a photo left in the store by a refused portal report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { describeOnBothDatabases } from '../../test/databases.ts';
import { PNG_1PX } from '../../cases/cases.test-support.ts';
import { buildFuzzWorld, type FuzzWorld } from './world.ts';
import { countFiles, readWriteCounts, writesBetween } from './write-watch.ts';

const fields = (res: LightMyRequestResponse) => (res.json().error.issues as { field: string }[]).map((i) => i.field);

describeOnBothDatabases('fuzz findings stay fixed', (database) => {
  let world: FuzzWorld;
  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    world.client.app.inject({ method, url, headers: { authorization: `Bearer ${world.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  /** The request is refused with a 400 naming the field, and nothing is written. */
  const refused = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body: unknown, field: string) => {
    const before = await readWriteCounts(world.db);
    const res = await send(method, url, body);
    assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'validation_failed');
    assert.ok(fields(res).includes(field), `${method} ${url} names ${fields(res).join(', ')}, not ${field}`);
    assert.deepEqual([...writesBetween(before, await readWriteCounts(world.db))], [], `${method} ${url} wrote`);
  };
  before(async () => {
    world = await buildFuzzWorld(database(), { attachmentMaxBytes: 64 * 1024 });
  });
  after(() => world?.close());

  test('numbers that are not finite, or too large to be exact, are refused naming the field (were a 500, or a 404 for "user Infinity")', async () => {
    await refused('GET', '/api/territory/nodes?limit=Infinity', undefined, 'querystring.limit');
    await refused('GET', '/api/cases?departmentId=1e309', undefined, 'querystring.departmentId');
    await refused('GET', '/api/users?offset=99999999999999999999999', undefined, 'querystring.offset');
    await refused('GET', '/api/me/reports?offset=99999999999999999999999', undefined, 'querystring.offset');
    await refused('PATCH', '/api/users/Infinity', {}, 'params.id');
    await refused('DELETE', '/api/api-keys/1e309', undefined, 'params.id');
    await refused('PATCH', '/api/calendars/cn-mainland', { weekendDays: ['Infinity'] }, 'body.weekendDays.0');
  });

  test('a NUL character in a text is refused naming the field on both databases (was a 500 on PostgreSQL, kept on SQLite)', async () => {
    await refused('POST', '/api/api-keys', { name: 'a\u0000b', client: 'fuzz' }, 'body.name');
    await refused('PATCH', '/api/departments/%00', {}, 'params.code');
    await refused('GET', '/api/public/rankings?scheme=a%00b', undefined, 'querystring.scheme');
    const open311 = await world.client.app.inject({ method: 'GET', url: '/open311/v2/requests.json?service_code=%00' });
    assert.equal(open311.statusCode, 400);
    assert.match(open311.json()[0].description, /querystring\.service_code: must not contain the NUL character/);
  });

  test('an unknown field is named in the 400 (was `body`)', async () => {
    await refused('PUT', '/api/stage-limits/close', { limit: { value: 1, unit: 'working_days' }, extra: 1 }, 'body.extra');
    await refused('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-11', isAdmin: true }, 'body.isAdmin');
  });

  test("the router's refusals come in the route's error format (were Fastify's own JSON, on Open311's XML paths too)", async () => {
    const badUrl = await send('PATCH', '/api/users/%FF%FE', {});
    assert.equal(badUrl.statusCode, 400);
    assert.deepEqual(Object.keys(badUrl.json()), ['error']);
    assert.equal(badUrl.json().error.code, 'bad_url');
    const long = await send('GET', `/api/evaluation/runs/${'9'.repeat(101)}`);
    assert.equal(long.statusCode, 414);
    assert.equal(long.json().error.code, 'path_too_long');
    const xml = await world.client.app.inject({ method: 'GET', url: '/open311/v2/services.%FF%FE' });
    assert.equal(xml.statusCode, 400);
    assert.match(String(xml.headers['content-type']), /^text\/xml/);
    assert.match(xml.body, /<errors>\s*<error>\s*<code>400<\/code>\s*<description>the path is not valid percent-encoded UTF-8<\/description>/);
    const json = await world.client.app.inject({ method: 'GET', url: `/open311/v2/requests/${'x'.repeat(120)}.json` });
    assert.equal(json.statusCode, 414);
    assert.deepEqual(json.json(), [{ code: 414, description: 'a part of the path is longer than 100 characters' }]);
  });

  test('a repeated Open311 parameter is refused by name (was a 500)', async () => {
    for (const format of ['json', 'xml']) {
      const res = await world.client.app.inject({ method: 'GET', url: `/open311/v2/requests.${format}?jurisdiction_id=990100&jurisdiction_id=1` });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /jurisdiction_id: given more than once/);
    }
  });

  test('`within` filters components and responsibility areas on PostgreSQL too (was a 500 there: an untyped concat parameter)', async () => {
    for (const url of ['/api/components?within=990101', '/api/components/export?within=990101', '/api/territory/responsibility-areas?within=990100', '/api/territory/responsibility-areas/export?within=990100']) {
      const res = await send('GET', url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    }
    // An unknown node is the caller's mistake on every list that takes `within`, as on the territory's own list
    // (these gave an empty list where that one gave a 400).
    for (const url of ['/api/components?within=999999', '/api/components/export?within=999999', '/api/territory/responsibility-areas?within=999999', '/api/territory/responsibility-areas/export?within=999999', '/api/territory/nodes?within=999999']) {
      const res = await send('GET', url);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.deepEqual(fields(res), ['querystring.within'], url);
    }
  });

  test('an empty PATCH of a class and a pause that ends before it starts are refused naming the field (were 500s)', async () => {
    const before = await readWriteCounts(world.db);
    const empty = await send('PATCH', '/api/catalog/classes/5', {});
    assert.equal(empty.statusCode, 400, empty.body);
    assert.deepEqual(fields(empty), ['body']);
    assert.deepEqual([...writesBetween(before, await readWriteCounts(world.db))], []);
    await refused('POST', '/api/calendars/cn-mainland/deadline', {
      start: '2026-01-05T09:00:00+08:00', limit: { value: 8, unit: 'calendar_hours' }, pauses: [{ from: '2026-01-05T10:00:00+08:00', to: '2026-01-05T09:30:00+08:00' }],
    }, 'body.pauses[0].to');
  });

  test('a portal report refused for its class or place leaves no photo in the store (left one before)', async () => {
    const photo = { data: Buffer.concat([PNG_1PX, Buffer.from('regression')]).toString('base64'), type: 'image/png' };
    for (const [body, field] of [
      [{ classCode: '99999', description: '垃圾', location: { lon: 118.8005, lat: 32.0005 }, photo }, 'classCode'],
      [{ classCode: '06010', description: '垃圾', location: { lon: 3, lat: 0 }, photo }, 'location'],
    ] as const) {
      const [rows, files] = [await readWriteCounts(world.db), await countFiles(world.client.attachments.rootDir)];
      const res = await send('POST', '/api/public/reports', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(fields(res), [field]);
      assert.equal(await countFiles(world.client.attachments.rootDir), files, 'no file left behind');
      assert.deepEqual([...writesBetween(rows, await readWriteCounts(world.db))].filter(([k]) => !k.startsWith('rate_limit_windows')), []);
    }
    const taken = await send('POST', '/api/public/reports', { classCode: '06010', description: '垃圾', location: { lon: 118.8005, lat: 32.0005 }, photo });
    assert.equal(taken.statusCode, 201, taken.body);
    const caseRow = await world.db.selectFrom('cases').select('id').where('code', '=', taken.json().code).executeTakeFirstOrThrow();
    const stored = await world.db.selectFrom('attachments').select(['case_id', 'event_id']).where('case_id', '=', caseRow.id).execute();
    assert.equal(stored.length, 1, 'the photo is kept with the report once it is taken');
    assert.notEqual(stored[0]!.event_id, null);
  });
});
