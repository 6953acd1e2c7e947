// The fuzzer's own checks must be able to fail: the write watch sees a committed write in any table and
// not a rolled-back one; the answer checks flag a 5xx, a 4xx without the envelope, and a broken field the
// 400 does not name; the schema-driven generators make what they promise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { describeOnBothDatabases } from '../../test/databases.ts';
import { installWriteWatch, readWriteCounts, writesBetween } from './write-watch.ts';
import { responseProblems } from './runner.ts';
import { brokenArb, validArb, type Schema } from './schema-arbitrary.ts';
import type { FuzzRequest } from './requests.ts';

describeOnBothDatabases('fuzz write watch', (database) => {
  test('counts committed writes per table and operation, and none of a rolled-back transaction', async () => {
    const db = database().db;
    const tables = await installWriteWatch(db);
    assert.ok(tables.includes('audit_log') && tables.includes('cases') && tables.length >= 40, `tables: ${tables.length}`);
    const start = await readWriteCounts(db);
    const row = { scope: 's', key: 'k', request_hash: 'h', status: 200, response: '{}', created_at: 1 };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('idempotency_keys').values(row).execute();
      await trx.updateTable('idempotency_keys').set({ status: 201 }).where('key', '=', 'k').execute();
    });
    const committed = await readWriteCounts(db);
    assert.deepEqual([...writesBetween(start, committed)].sort(), [['idempotency_keys:insert', 1], ['idempotency_keys:update', 1]]);
    await assert.rejects(db.transaction().execute(async (trx) => {
      await trx.deleteFrom('idempotency_keys').execute();
      await trx.insertInto('idempotency_keys').values({ ...row, key: 'k2' }).execute();
      throw new Error('roll back');
    }), /roll back/);
    assert.deepEqual([...writesBetween(committed, await readWriteCounts(db))], []);
    await db.updateTable('idempotency_keys').set({ status: 202 }).where('key', '=', 'nothing').execute();
    assert.deepEqual([...writesBetween(committed, await readWriteCounts(db))], [], 'an update of no row writes nothing');
  });
});

const answer = (statusCode: number, body: unknown, contentType = 'application/json; charset=utf-8') =>
  ({ statusCode, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': contentType } }) as unknown as LightMyRequestResponse;
const request = (url: string, expectField?: string): FuzzRequest => ({ strategy: 't', method: 'GET', url, headers: {}, ...(expectField ? { expectField } : {}) });

test('the answer checks flag what breaks the rules and pass what keeps them', () => {
  const api = request('/api/cases?limit=x', 'querystring.limit');
  const named = { error: { code: 'validation_failed', message: 'querystring.limit must be integer', issues: [{ field: 'querystring.limit', message: 'must be integer' }] } };
  assert.deepEqual(responseProblems(api, answer(400, named), 'superuser'), []);
  assert.match(responseProblems(api, answer(500, { error: { code: 'internal', message: 'x' } }), 'superuser')[0]!, /answered 500/);
  assert.match(responseProblems(api, answer(400, { error: 'Bad Request', code: 'FST_ERR_BAD_URL', message: 'x', statusCode: 400 }), 'superuser')[0]!, /without the error envelope/);
  assert.match(responseProblems(api, answer(400, { error: { code: 'validation_failed', message: 'body must NOT have additional properties', issues: [{ field: 'body', message: 'x' }] } }), 'superuser')[0]!, /querystring.limit was broken/);
  assert.match(responseProblems(api, answer(404, { error: { code: 'not_found', message: 'user Infinity not found' } }), 'superuser')[0]!, /expected a 400 naming it/);
  assert.deepEqual(responseProblems(api, answer(401, { error: { code: 'unauthenticated', message: 'sign in' } }), 'anonymous'), [], 'an anonymous caller is refused before validation');
  assert.match(responseProblems(api, answer(400, { error: { code: 'validation_failed', message: 'x' } }), 'anonymous')[0]!, /without the fields/);
  assert.deepEqual(responseProblems(request('/open311/v2/requests.json'), answer(400, [{ code: 400, description: 'lat and long are required' }]), 'anonymous'), []);
  assert.match(responseProblems(request('/open311/v2/requests.xml'), answer(400, { error: { code: 'x', message: 'y' } }), 'anonymous')[0]!, /not the XML error list/);
  const xml = '<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>400</code>\n    <description>bad</description>\n  </error>\n</errors>\n';
  assert.deepEqual(responseProblems(request('/open311/v2/requests.xml'), answer(400, xml, 'text/xml; charset=utf-8'), 'anonymous'), []);
});

test('schema-driven values: the valid ones pass the schema, the broken ones break exactly the named field', () => {
  const schema: Schema = {
    type: 'object', additionalProperties: false, required: ['code', 'location'],
    properties: {
      code: { type: 'string', pattern: '^[0-9]{4,6}$' }, limit: { type: 'integer', minimum: 1, maximum: 500 },
      location: { type: 'object', required: ['lon'], properties: { lon: { type: 'number', minimum: -180, maximum: 180 } } },
      light: { anyOf: [{ const: 'green' }, { const: 'red' }] },
    },
  };
  const pools = { strings: ['06010', 'json'], integers: [1, 5, 9999], documents: [], blobs: [] };
  const fits = (v: Record<string, unknown>) => /^[0-9]{4,6}$/.test(String(v.code)) && (v.limit === undefined || (Number.isInteger(v.limit) && (v.limit as number) >= 1 && (v.limit as number) <= 500))
    && typeof (v.location as { lon?: unknown })?.lon === 'number' && Math.abs((v.location as { lon: number }).lon) <= 180 && (v.light === undefined || v.light === 'green' || v.light === 'red')
    && Object.keys(v).every((k) => ['code', 'limit', 'location', 'light'].includes(k));
  fc.assert(fc.property(validArb(schema, pools), (v) => fits(v as Record<string, unknown>)), { numRuns: 200, seed: 1 });
  const broken = brokenArb(schema, pools, 'json')!;
  fc.assert(fc.property(broken, (b) => {
    assert.ok(!fits(b.value as Record<string, unknown>), `still valid: ${JSON.stringify(b)}`);
    assert.ok(b.path.length === 0 || ['code', 'limit', 'location', 'light', 'extra', 'isAdmin', '__x', 'ĉampo'].includes(b.path[0]!), `path ${b.path.join('.')}`);
  }), { numRuns: 300, seed: 2 });
});
