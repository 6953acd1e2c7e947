import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemoServer, type RunningServer } from './support/serve.ts';

// Response bodies are checked field by field below; their static type adds nothing here.
const json = async (response: Promise<Response> | Response): Promise<any> => (await response).json();

describe('cityops serve with the demo city (end to end)', () => {
  let server: RunningServer;
  let base = '';

  before(async () => {
    server = await startDemoServer(0);
    base = server.base;
  });

  after(async () => {
    await server?.stop();
  });

  test('healthz and the OpenAPI document answer on PORT', async () => {
    const health = await json(fetch(`${base}/healthz`));
    assert.equal(health.status, 'ok');
    assert.equal(health.database, 'sqlite');
    const doc = await json(fetch(`${base}/api/openapi.json`));
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(Object.keys(doc.paths).length >= 20);
  });

  test('a demo account signs in and finds the grid of a point inside the city', async () => {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo12345' }) });
    assert.equal(login.status, 200);
    const { token } = await json(login);
    const auth = { authorization: `Bearer ${token}` };
    const districts = await json(fetch(`${base}/api/territory/nodes?level=district`, { headers: auth }));
    assert.ok(districts.total >= 6, `districts: ${districts.total}`);
    const grids = await json(fetch(`${base}/api/territory/nodes?level=grid&limit=1`, { headers: auth }));
    const [lon, lat] = grids.items[0].centroid;
    const hit = await json(fetch(`${base}/api/territory/locate?lon=${lon}&lat=${lat}`, { headers: auth }));
    assert.equal(hit.grid.code, grids.items[0].code);
    const standards = await json(fetch(`${base}/api/case-standards?classCode=06010`, { headers: auth }));
    assert.equal(standards.items[0].limitLabel, '4 工作时');
  });

  test('the documented Open311 API key `demo` is accepted', async () => {
    const me = await fetch(`${base}/api/auth/me`, { headers: { 'x-api-key': 'demo' } });
    assert.equal(me.status, 200);
    assert.deepEqual((await json(me)).grants.map((g: { role: string }) => g.role), ['public']);
  });
});
