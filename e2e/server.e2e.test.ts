import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

// The real thing: `bin/cityops serve --seed-demo-if-empty` on a fresh SQLite file, a small demo city.
const root = new URL('..', import.meta.url).pathname;
const port = 18000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;
// Response bodies are checked field by field below; their static type adds nothing here.
const json = async (response: Promise<Response> | Response): Promise<any> => (await response).json();

describe('cityops serve with the demo city (end to end)', () => {
  let server: ChildProcess;
  let dataDir: string;
  let output = '';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cityops-e2e-'));
    server = spawn(join(root, 'bin/cityops'), ['serve', '--seed-demo-if-empty'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CITYOPS_DATA_DIR: dataDir, DATABASE_URL: '', CITYOPS_DEMO_GRIDS: '400', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch { /* not listening yet */ }
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  after(async () => {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
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
