import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiKey } from '../access/access.service.ts';
import { cliActor } from '../audit/audit.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld } from '../cases/cases.test-support.ts';
import { ErrorsSchema, assertFits } from './open311.conformance-support.ts';

// Limits on what the public writes: per API key and per client address, counted in the database; an
// oversized form; each refused with the spec's error list and nothing stored.
const TEN_YEARS = 3650 * 86_400_000;

describeOnBothDatabases('Open311 abuse limits', (database) => {
  let client: TestClient;
  let key = '';
  before(async () => {
    // Windows of ten years, so that no run straddles a window's boundary.
    client = await buildTestApp(database(), { config: { rateLimits: { open311_write_per_key: { limit: 2, windowMs: TEN_YEARS }, open311_write_per_address: { limit: 5, windowMs: TEN_YEARS } } } });
    await setUpCaseWorld(client);
    key = (await createApiKey(client.database.db, cliActor(), { name: 'app', client: 'a civic app' })).key;
  });
  after(() => client.close());
  const post = (fields: Record<string, string>) => client.app.inject({
    method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString(),
  });
  const report = { service_code: '06010', lat: '32.0005', long: '118.8005', description: '垃圾' };

  test('two writes per key, five per address in a window: the next one is 429 with Retry-After and changes nothing', async () => {
    const cases = async () => (await client.database.db.selectFrom('cases').select('id').execute()).length;
    assert.deepEqual([(await post({ ...report, api_key: key })).statusCode, (await post({ ...report, api_key: key })).statusCode], [200, 200]);
    const overKey = await post({ ...report, api_key: key });
    assert.equal(overKey.statusCode, 429);
    assertFits(ErrorsSchema, overKey.json(), '429');
    assert.match(overKey.json()[0].description, /at most 2 /);
    assert.ok(Number(overKey.headers['retry-after']) >= 1);
    assert.equal(await cases(), 2);
    // Writes 4 and 5 from this address (bad keys count too); the sixth is over the address's limit.
    assert.deepEqual([(await post({ ...report, api_key: 'x' })).statusCode, (await post({ ...report, api_key: 'y' })).statusCode], [403, 403]);
    const overAddress = await post({ ...report, api_key: 'z' });
    assert.equal(overAddress.statusCode, 429);
    assert.match(overAddress.json()[0].description, /from this address/);
  });

  test('a form over 64 KB is refused as a bad request, in the spec\'s error list', async () => {
    const res = await client.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `description=${'x'.repeat(70_000)}` });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<errors>/);
  });
});
