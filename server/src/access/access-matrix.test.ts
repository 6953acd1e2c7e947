// Issue 9.1, the access matrix: every route of the running app × every caller (each role of PRODUCT.md §1 with
// its scope, the public's account, an Open311 key, no login, a stale session, an unknown API key, a browser
// session without its CSRF header), held to access-matrix.expectations.ts. Callers are refused before the body
// is read (access.plugin.ts), so an empty body and ids no row has are enough to tell allowed from refused, and
// the calls change nothing. Scope within a role (own and foreign district or department) and the public's view
// of reporters are in access-scope.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ROLE_NAMES, type Role } from '@cityops/domain/access/roles';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld } from '../cases/cases.test-support.ts';
import { cliActor } from '../audit/audit.ts';
import { createApiKey } from './access.service.ts';
import { SESSION_COOKIE } from './access.plugin.ts';
import { RouteCatalog } from '../http/fuzz/routes.ts';
import { ANYONE, ROUTE_AUDIENCE, SIGNED_IN, type Audience } from './access-matrix.expectations.ts';

/** Values for the routes' path parameters: well formed, and naming no row, so an allowed call finds nothing to change. */
const PARAMETERS: Record<string, string> = {
  id: '987654', code: 'NO-SUCH-CODE', action: 'dispatch', stage: 'dispatch', subject: 'regions', year: '2031', format: 'json', unit: 'NO-SUCH-UNIT', token: 'no-such-token',
};
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function concreteUrl(url: string): string {
  return url.replace(/:([a-z]+)/g, (_, name: string) => {
    const value = PARAMETERS[name];
    if (value === undefined) throw new Error(`no test value for path parameter :${name} in ${url}`);
    return value;
  });
}

/** A caller of the matrix: how it authenticates, and the role it acts in (null: none). */
interface Caller {
  name: string;
  role: Role | null;
  headers(): Promise<Record<string, string>>;
  /** What every refusal of this caller looks like. */
  refusal: 401 | 403;
}

function allows(audience: Audience, caller: Caller): boolean {
  if (audience === ANYONE) return true;
  if (caller.role === null) return false;
  return audience === SIGNED_IN || audience.includes(caller.role);
}

/** The grant each role is given: territorial roles over the fixture's district, a department user for one department. */
const grantOf = (role: Role) =>
  role === 'public' ? { role } : role === 'department' ? { role, departmentCode: 'HWC' } : { role, territoryCode: FIXTURE.district };

describeOnBothDatabases('access matrix: every route × every caller (issue 9.1)', (database) => {
  let client: TestClient;
  /** The app's routes as it registers them (the fuzz tests' catalog). */
  const catalog = new RouteCatalog();
  const callers: Caller[] = [];

  before(async () => {
    client = await buildTestApp(database(), { onRoute: catalog.onRoute });
    await setUpCaseWorld(client);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    // A role's caller signs in afresh for a logout, which ends the session it is sent with.
    for (const role of ROLE_NAMES) {
      const token = await client.tokenFor([grantOf(role)]);
      callers.push({ name: role, role, refusal: 403, headers: async () => bearer(token) });
    }
    const { key } = await createApiKey(client.database.db, cliActor(), { name: 'matrix', client: 'open311 test client' });
    callers.push({ name: 'Open311 API key', role: 'public', refusal: 403, headers: async () => ({ 'x-api-key': key }) });
    callers.push({ name: 'no login', role: null, refusal: 401, headers: async () => ({}) });
    callers.push({ name: 'stale session', role: null, refusal: 401, headers: async () => bearer('cos_no_such_session_token') });
    callers.push({ name: 'unknown API key', role: null, refusal: 403, headers: async () => ({ 'x-api-key': 'cok_no_such_key' }) });
  });
  after(() => client.close());

  const call = async (method: string, url: string, headers: Record<string, string>): Promise<LightMyRequestResponse> =>
    client.app.inject({ method: method as 'GET', url: concreteUrl(url), headers: UNSAFE.has(method) ? { ...headers, 'content-type': 'application/json' } : headers, ...(UNSAFE.has(method) ? { payload: '{}' } : {}) });

  test('every route of the app has its line in the expectations, and every line a route', () => {
    const routes = catalog.routes.map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !(r in ROUTE_AUDIENCE)), [], 'routes without an expected audience');
    assert.deepEqual(Object.keys(ROUTE_AUDIENCE).filter((r) => !routes.includes(r)), [], 'expectations of routes that do not exist');
  });

  test('each caller is allowed exactly the routes §1 opens to it, and refused the rest before anything is read', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const { method, url } of catalog.routes) {
      const audience = ROUTE_AUDIENCE[`${method} ${url}`]!;
      for (const caller of callers) {
        let headers = await caller.headers();
        if (url === '/api/auth/logout' && caller.role && caller.name !== 'Open311 API key') headers = { authorization: `Bearer ${await client.tokenFor([grantOf(caller.role)])}` };
        const res = await call(method, url, headers);
        calls++;
        const expected = caller.name === 'stale session' ? false : caller.name === 'unknown API key' ? false : allows(audience, caller);
        // GeoReport v2 answers errors with 400, 403 and 404 only (open311.routes.ts): a stale session is its 400.
        const status = url.startsWith('/open311/') && caller.refusal === 401 ? 400 : caller.refusal;
        const refused = res.statusCode === status && ['unauthenticated', 'forbidden'].includes(errorOf(res).code);
        if (res.statusCode >= 500) wrong.push(`${caller.name} ${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (expected && refused) wrong.push(`${caller.name} ${method} ${url}: refused (${res.statusCode} ${res.body.slice(0, 120)}), §1 allows it`);
        else if (!expected && !refused) wrong.push(`${caller.name} ${method} ${url}: answered ${res.statusCode}, §1 refuses it (${status} expected)`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal(calls, catalog.routes.length * callers.length);
  });

  test('a browser session is refused every write without its CSRF header, whatever its role, and allowed it with the header', async () => {
    const username = await client.createUser([grantOf('admin')]);
    const login = await client.request('POST', '/api/auth/login', { body: { username, password: 'test-password-1' } });
    const cookie = `${SESSION_COOKIE}=${login.json().token as string}`;
    const writes = catalog.routes.filter((r) => UNSAFE.has(r.method) && r.url !== '/api/auth/logout');
    assert.ok(writes.length > 40, `the app's writes (${writes.length})`);
    const wrong: string[] = [];
    for (const { method, url } of writes) {
      const bare = await call(method, url, { cookie });
      if (bare.statusCode !== 403 || !errorOf(bare).message.includes('x-cityops-client')) wrong.push(`${method} ${url} without the header: ${bare.statusCode}`);
      const withHeader = await call(method, url, { cookie, 'x-cityops-client': 'web' });
      // With it, the session is the admin's: whatever answers now is the route's own (the admin's role, Open311's api_key).
      if (withHeader.statusCode === 401 || withHeader.statusCode >= 500 || errorOf(withHeader).message.includes('x-cityops-client')) wrong.push(`${method} ${url} with the header: ${withHeader.statusCode} ${withHeader.body.slice(0, 120)}`);
    }
    assert.deepEqual(wrong, []);
  });
});

/** The error's code and message, from the API's envelope ({ error: { code, message } }) or Open311's ([{ code, description }]). */
function errorOf(res: LightMyRequestResponse): { code: string; message: string } {
  try {
    const body = res.json() as { error?: { code?: string; message?: string } } | { code?: string | number; description?: string }[];
    if (Array.isArray(body)) return { code: String(body[0]?.code ?? ''), message: body[0]?.description ?? '' };
    return { code: body.error?.code ?? '', message: body.error?.message ?? '' };
  } catch {
    return { code: '', message: '' };
  }
}
