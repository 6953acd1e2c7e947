import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import accessPlugin from '../access/access.plugin.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';

describeOnBothDatabases('app conventions', (database) => {
  let client: TestClient;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
  });
  after(() => client.close());

  test('GET /healthz reports the database', async () => {
    const res = await client.request('GET', '/healthz');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(res.json().database, database().dialect);
  });

  test('the OpenAPI document lists every API route with its schemas', async () => {
    const res = await client.request('GET', '/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/auth/login', '/api/territory/nodes', '/api/territory/import', '/api/catalog/classes', '/api/case-standards', '/api/calendars/{code}/deadline', '/api/users',
      '/api/workflow', '/api/cases', '/api/cases/{id}', '/api/cases/{id}/events', '/api/cases/{id}/actions/{action}', '/api/public/cases/{code}', '/api/me/reports',
      '/api/cases/import/hotline', '/api/cases/import/history', '/api/attachments', '/api/stage-limits',
      '/api/indicators', '/api/indicators/definitions', '/api/performance/{subject}', '/api/performance-schemes/{subject}', '/api/reports/departments']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.paths['/api/territory/nodes'].get.parameters.some((p: { name: string }) => p.name === 'level'));
  });

  test('an unknown route and a malformed body get the error envelope', async () => {
    const missing = await client.request('GET', '/api/nothing-here');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
    const broken = await client.request('POST', '/api/auth/login', { body: '{"username":', contentType: 'application/json' });
    assert.equal(broken.statusCode, 400);
    assert.ok(broken.json().error.message);
    const wrongType = await client.request('POST', '/api/auth/login', { body: { username: { nested: true } } });
    assert.equal(wrongType.statusCode, 400);
    assert.deepEqual(wrongType.json().error.issues.map((i: { field: string }) => i.field).sort(), ['body.password', 'body.username']);
  });

  test('an /api route without an access rule stops the server from starting', async () => {
    const app = Fastify();
    await app.register(cookie);
    await app.register(accessPlugin, { db: database().db });
    assert.throws(() => app.get('/api/forgotten', async () => ({ open: true })), /route GET \/api\/forgotten declares no access rule/);
    await app.close();
    const declared = Fastify();
    await declared.register(cookie);
    await declared.register(accessPlugin, { db: database().db });
    declared.get('/api/declared', { config: { access: 'territory.read' } }, async () => ({}));
    await declared.ready();
    assert.equal((await declared.inject({ method: 'GET', url: '/api/declared' })).statusCode, 401);
    await declared.close();
  });
});
