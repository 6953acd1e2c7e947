import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, TEST_PASSWORD, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { createApiKey } from './access.service.ts';
import { cliActor } from '../audit/audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

describeOnBothDatabases('access', (database) => {
  let client: TestClient;
  before(async () => {
    client = await buildTestApp(database());
  });
  after(() => client.close());

  test('passwords are stored as salted scrypt hashes', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.notEqual(a, b);
    assert.match(a, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('wrong horse', a), false);
  });

  test('login answers the same for an unknown user and a wrong password', async () => {
    const username = await client.createUser([{ role: 'dispatcher', territoryCode: FIXTURE.city }]);
    const wrong = await client.request('POST', '/api/auth/login', { body: { username, password: 'nope-nope' } });
    const unknown = await client.request('POST', '/api/auth/login', { body: { username: 'ghost', password: 'nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('a session token identifies the user and its grants until logout', async () => {
    const username = await client.createUser([{ role: 'dispatcher', territoryCode: FIXTURE.district }]);
    const login = await client.request('POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
    const { token } = login.json();
    assert.match(String(login.headers['set-cookie']), /cityops_session=.*HttpOnly.*SameSite=Strict/i);
    const me = await client.request('GET', '/api/auth/me', { token });
    assert.equal(me.json().username, username);
    assert.deepEqual(me.json().grants, [{ role: 'dispatcher', territoryPath: `/${FIXTURE.city}/${FIXTURE.district}/`, departmentId: null }]);
    assert.ok(me.json().permissions.includes('territory.read'));
    assert.ok(!me.json().permissions.includes('territory.write'));
    await client.request('POST', '/api/auth/logout', { token });
    assert.equal((await client.request('GET', '/api/auth/me', { token })).statusCode, 401);
  });

  test('an expired session is refused', async () => {
    const token = await client.tokenFor([{ role: 'leader', territoryCode: FIXTURE.city }]);
    await database().db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).execute();
    assert.equal((await client.request('GET', '/api/auth/me', { token })).statusCode, 401);
  });

  test('a browser session must send the CSRF header on writes', async () => {
    const username = await client.createUser([{ role: 'admin', territoryCode: FIXTURE.city }]);
    const login = await client.request('POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
    const cookie = `cityops_session=${login.json().token}`;
    const body = { name: '改名' };
    const refused = await client.request('PATCH', `/api/territory/nodes/${FIXTURE.grids[0]}`, { body, headers: { cookie } });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /x-cityops-client/);
    const allowed = await client.request('PATCH', `/api/territory/nodes/${FIXTURE.grids[0]}`, { body, headers: { cookie, 'x-cityops-client': 'web' } });
    assert.equal(allowed.statusCode, 200);
  });

  test('API keys act as the public; revoked keys are refused', async () => {
    const { id, key } = await database().db.transaction().execute((trx) => createApiKey(trx, cliActor(), { name: 'fms', client: 'FixMyStreet' }));
    const me = await client.request('GET', '/api/auth/me', { headers: { 'x-api-key': key } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json().grants.map((g: { role: string }) => g.role), ['public']);
    assert.equal((await client.request('GET', '/api/territory/nodes', { headers: { 'x-api-key': key } })).statusCode, 403);
    const admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    assert.equal((await client.request('DELETE', `/api/api-keys/${id}`, { token: admin })).statusCode, 200);
    assert.equal((await client.request('GET', '/api/auth/me', { headers: { 'x-api-key': key } })).statusCode, 403);
    const stored = await database().db.selectFrom('api_keys').select(['key_hash', 'key_prefix']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.notEqual(stored.key_hash, key);
    assert.equal(stored.key_prefix, key.slice(0, 8));
  });

  test('user administration: scope rules, duplicate names, disabling ends sessions', async () => {
    const admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    const bad = await client.request('POST', '/api/users', { token: admin, body: { username: 'dept1', displayName: '部门一', password: 'long-enough', grants: [{ role: 'department', territoryCode: FIXTURE.city }] } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.issues, [{ field: 'grants[0].departmentCode', message: 'role department acts for a department; name it' }]);
    const short = await client.request('POST', '/api/users', { token: admin, body: { username: 'x1', displayName: 'x', password: 'short', grants: [{ role: 'leader', territoryCode: FIXTURE.city }] } });
    assert.equal(short.statusCode, 400);
    assert.deepEqual(short.json().error.issues.map((i: { field: string }) => i.field).sort(), ['body.password', 'body.username']);
    const created = await client.request('POST', '/api/users', { token: admin, body: { username: 'leader9', displayName: '领导九', password: 'long-enough', grants: [{ role: 'leader', territoryCode: FIXTURE.city }] } });
    assert.equal(created.statusCode, 201);
    const dup = await client.request('POST', '/api/users', { token: admin, body: { username: 'leader9', displayName: '领导九', password: 'long-enough', grants: [{ role: 'leader', territoryCode: FIXTURE.city }] } });
    assert.equal(dup.statusCode, 409);
    const login = await client.request('POST', '/api/auth/login', { body: { username: 'leader9', password: 'long-enough' } });
    const token = login.json().token;
    await client.request('PATCH', `/api/users/${created.json().id}`, { token: admin, body: { status: 'disabled' } });
    assert.equal((await client.request('GET', '/api/auth/me', { token })).statusCode, 401);
    assert.equal((await client.request('POST', '/api/auth/login', { body: { username: 'leader9', password: 'long-enough' } })).statusCode, 403);
  });

  test('an installation keeps an administrator: nobody demotes or disables themselves, the last active one stays', async () => {
    const login = async (username: string) => (await client.request('POST', '/api/auth/login', { body: { username, password: 'long-enough' } })).json().token as string;
    const make = async (username: string) => {
      const root = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
      const res = await client.request('POST', '/api/users', { token: root, body: { username, displayName: username, password: 'long-enough', grants: [{ role: 'admin', territoryCode: FIXTURE.city }] } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as number;
    };
    const first = await make('admin-one');
    const second = await make('admin-two');
    const one = await login('admin-one');
    const demote = [{ role: 'leader', territoryCode: FIXTURE.city }];
    const self = await client.request('PUT', `/api/users/${first}/grants`, { token: one, body: { grants: demote } });
    assert.equal(self.statusCode, 409);
    assert.match(self.body, /"field":"grants"/);
    const disableSelf = await client.request('PATCH', `/api/users/${first}`, { token: one, body: { status: 'disabled' } });
    assert.equal(disableSelf.statusCode, 409);
    assert.match(disableSelf.body, /"field":"status"/);
    // Another administrator may: admin-one demotes admin-two, who keeps a session but loses the role.
    assert.equal((await client.request('PUT', `/api/users/${second}/grants`, { token: one, body: { grants: demote } })).statusCode, 200);
    const roles = await client.database.db.selectFrom('user_roles').select('role').where('user_id', '=', first).execute();
    assert.deepEqual(roles.map((r) => r.role), ['admin'], 'nothing changed for the refused requests');
  });
});
