// Issue 9.8, security basics beside access.test.ts (hashing, expiry, CSRF, API keys): password guessing slowed
// per username and per address, and the headers every answer and the web page carry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, describeOnBothDatabases } from '../test/databases.ts';
import { createContext } from '../http/context.ts';
import { buildTestApp, TEST_PASSWORD, type TestClient } from '../test/http.ts';
import { buildApp } from '../http/app.ts';
import { contentSecurityPolicy, tileOriginsOf } from '../http/security-headers.ts';

describeOnBothDatabases('security basics: login limits and response headers (issue 9.8)', (database) => {
  let client: TestClient;
  before(async () => {
    client = await buildTestApp(database(), { config: { rateLimits: {
      login_failures_per_user: { limit: 3, windowMs: 60_000 },
      login_failures_per_address: { limit: 5, windowMs: 60_000 },
    } } });
  });
  after(() => client.close());

  const login = (username: string, password: string, ip = '203.0.113.7') =>
    client.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, password }) });

  test('after three wrong passwords a username is refused for the window, the right password too; others are not', async () => {
    const victim = await client.createUser([{ role: 'inspector', territoryCode: '990100' }]);
    const other = await client.createUser([{ role: 'inspector', territoryCode: '990100' }]);
    for (let i = 0; i < 3; i++) assert.equal((await login(victim, `guess-${i}-wrong`)).statusCode, 401);
    const blocked = await login(victim, TEST_PASSWORD);
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, 'rate_limited');
    assert.match(blocked.json().error.message, /this username/);
    const retryAfter = Number(blocked.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    // The limit is the username's, whatever its case, and from any address.
    assert.equal((await login(victim.toUpperCase(), TEST_PASSWORD, '198.51.100.9')).statusCode, 429);
    assert.equal((await login(other, TEST_PASSWORD)).statusCode, 200, 'another user signs in from the same address');
    // A refused attempt writes no session.
    const sessions = await client.database.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id').where('users.username', '=', victim).execute();
    assert.equal(sessions.length, 0);
  });

  test('wrong passwords from one address for many usernames stop at the address limit; another address is free', async () => {
    const ip = '192.0.2.44';
    const names = await Promise.all([1, 2, 3, 4, 5, 6].map(() => client.createUser([{ role: 'leader', territoryCode: '990100' }])));
    for (const name of names.slice(0, 5)) assert.equal((await login(name, 'not-the-password', ip)).statusCode, 401);
    const blocked = await login(names[5]!, TEST_PASSWORD, ip);
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.json().error.message, /this address/);
    assert.equal((await login(names[5]!, TEST_PASSWORD, '192.0.2.45')).statusCode, 200);
  });

  test('every API answer carries the protective headers and is not kept by shared caches', async () => {
    for (const url of ['/api/auth/me', '/api/public/services', '/healthz']) {
      const res = await client.app.inject({ url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['referrer-policy'], 'same-origin', url);
      assert.match(String(res.headers['permissions-policy']), /camera=\(self\)/, url);
      assert.equal(res.headers['strict-transport-security'], undefined, 'HSTS only over https');
      if (url.startsWith('/api/')) assert.equal(res.headers['cache-control'], 'no-store', url);
    }
  });
});

test('the web page carries a content security policy with no inline or foreign script, and the tile server\'s origin', async () => {
  const dist = mkdtempSync(join(tmpdir(), 'cityops-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  const handle = await createTestDatabase('sqlite');
  try {
    const app = await buildApp(createContext(handle.db, 'sqlite', { sessionTtlHours: 1 }), { webDistDir: dist, mapStyleUrl: 'https://tiles.example.cn/styles/city.json' });
    const page = await app.inject({ url: '/cases/123' });
    await app.close();
    const policy = String(page.headers['content-security-policy']);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /connect-src 'self' https:\/\/tiles\.example\.cn(;|$)/);
    assert.match(policy, /object-src 'none'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
  } finally {
    rmSync(dist, { recursive: true, force: true });
    await handle.dispose();
  }
  assert.deepEqual(tileOriginsOf('not a url'), []);
  assert.doesNotMatch(contentSecurityPolicy([]), /https?:/);
});
