import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Type, type TSchema } from 'typebox';
import { createApiKey } from '../access/access.service.ts';
import { cliActor } from '../audit/audit.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld, workflowHarness } from '../cases/cases.test-support.ts';
import {
  DiscoverySchema, ErrorsSchema, LIST_ELEMENTS, PostResponseSchema, RequestSchema, ServiceDefinitionSchema, ServiceSchema, UpdateSchema,
  asText, assertFits, parseXml, xmlToJson,
} from './open311.conformance-support.ts';

// The GeoReport v2 conformance suite (issue 6): every endpoint in both formats against the rules of the
// spec (../shared/reference/open311.md §1) and FixMyStreet's updates extension (§1.13), written from the
// spec. Each JSON answer must fit the spec's shape; each XML answer must read back to the same content.
const V2 = '/open311/v2';
const IN_GRID = { lat: 32.0005, long: 118.8005 };

describeOnBothDatabases('Open311 GeoReport v2 conformance', (database) => {
  let client: TestClient;
  let key = '';
  let staffClosed = '';
  let staffOpen = '';
  let adminToken = '';
  const posted: string[] = [];
  before(async () => {
    client = await buildTestApp(database());
    const w = await setUpCaseWorld(client);
    adminToken = w.tokens.admin;
    const { act, report } = await workflowHarness(client, w);
    const hwc = { departmentId: w.departments.hwc };
    // Staff-made cases a month back: one closed, one still open.
    const c = await report('inspector', { source: 'inspector' }, '2026-10-20 09:00');
    await act('acceptor', c.caseId, 'accept', '2026-10-20 09:05');
    await act('shiftChief', c.caseId, 'register', '2026-10-20 09:10');
    await act('dispatcher', c.caseId, 'dispatch', '2026-10-20 09:20', hwc);
    staffClosed = c.code;
    const d = await report('inspector', { source: 'inspector', classCode: '06010', description: '垃圾堆放' }, '2026-11-05 10:00');
    staffOpen = d.code;
    key = (await createApiKey(client.database.db, cliActor(), { name: 'fms', client: 'FixMyStreet' })).key;
  });
  after(() => client.close());

  const get = (path: string) => client.app.inject({ method: 'GET', url: `${V2}${path}` });
  const post = (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return client.app.inject({ method: 'POST', url: `${V2}${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: body.toString() });
  };
  /** Both formats of a GET: the JSON fits the schema, the XML is well formed and says the same. */
  const both = async (path: string, schema: TSchema, status = 200) => {
    const json = await get(`${path.replace('{f}', 'json')}`);
    const xml = await get(`${path.replace('{f}', 'xml')}`);
    assert.equal(json.statusCode, status, `${path} json: ${json.body}`);
    assert.equal(xml.statusCode, status, `${path} xml: ${xml.body}`);
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(xml.headers['content-type'], 'text/xml; charset=utf-8');
    const value = json.json();
    assertFits(schema, value, `${path} (json)`);
    assert.deepEqual(xmlToJson(parseXml(xml.body), LIST_ELEMENTS), asText(value), `${path}: the XML carries what the JSON does`);
    return value;
  };

  test('discovery, in both formats, names the v2 spec, this endpoint and both formats', async () => {
    const d = await both('/discovery.{f}', DiscoverySchema);
    assert.equal(d.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.match(d.endpoints[0].url, /\/open311\/v2$/);
    assert.deepEqual(d.endpoints[0].formats, ['text/xml', 'application/json']);
  });

  test('services come from the catalog classes with a 立结案标准; a definition exists for each, with the component attribute where it applies', async () => {
    const services = await both('/services.{f}', Type.Array(ServiceSchema));
    assert.deepEqual(services.map((s: { service_code: string; metadata: boolean }) => [s.service_code, s.metadata]), [['01001', true], ['06010', false]]);
    const def = await both('/services/01001.{f}', ServiceDefinitionSchema);
    assert.deepEqual(def.attributes.map((a: { code: string; required: boolean }) => [a.code, a.required]), [['component_code', false]]);
    assert.ok(!Array.isArray(def), 'a service definition is an object, not an array');
    assert.deepEqual((await both('/services/06010.{f}', ServiceDefinitionSchema)).attributes, []);
    await both('/services/99999.{f}', ErrorsSchema, 404);
    await both('/services.{f}?jurisdiction_id=elsewhere.gov', ErrorsSchema, 404);
    assert.equal((await get('/services.json?jurisdiction_id=990100')).statusCode, 200, 'the city\'s own jurisdiction id');
    assert.equal((await get('/services.json?jurisdiction_id=')).statusCode, 200, 'an empty argument is no argument');
    assert.equal((await get('/services.html')).statusCode, 404);
  });

  test('POST requests: form-encoded with an api_key; 403, 400 and 404 as the spec says; nothing stored on refusal', async () => {
    const base = { service_code: '06010', ...Object.fromEntries(Object.entries(IN_GRID).map(([k, v]) => [k, String(v)])), description: '路边有一堆垃圾' };
    const casesBefore = (await client.database.db.selectFrom('cases').select('id').execute()).length;
    for (const [fields, status] of [
      [{ ...base }, 403], [{ ...base, api_key: 'wrong' }, 403], [{ ...base, api_key: key, service_code: '' }, 400], [{ ...base, api_key: key, service_code: '98765' }, 404],
      [{ api_key: key, service_code: '06010', address_string: '中山路 1 号' }, 400], [{ ...base, api_key: key, lat: '31.0', long: '100.0' }, 400],
      [{ ...base, api_key: key, jurisdiction_id: 'elsewhere.gov' }, 404], [{ ...base, api_key: key, description: 'x'.repeat(4001) }, 400], [{ ...base, api_key: key, media_url: 'javascript:alert(1)' }, 400],
    ] as [Record<string, string>, number][]) {
      for (const f of ['json', 'xml']) {
        const res = await post(`/requests.${f}`, fields);
        assert.equal(res.statusCode, status, `${JSON.stringify(fields).slice(0, 80)} .${f}: ${res.body}`);
        if (f === 'json') assertFits(ErrorsSchema, res.json(), 'error');
        else assert.equal(parseXml(res.body).name, 'errors');
      }
    }
    assert.equal((await client.database.db.selectFrom('cases').select('id').execute()).length, casesBefore);

    const created = await post('/requests.json', {
      ...base, api_key: key, first_name: '三', last_name: '张', email: 'zhang@example.org', phone: '13900000000', address_string: '中山路 1 号',
      media_url: 'https://fms.example.org/photo/101.jpg', 'attribute[fixmystreet_id]': '101',
    });
    assert.equal(created.statusCode, 200, created.body);
    assertFits(PostResponseSchema, created.json(), 'POST response');
    posted.push(created.json()[0].service_request_id);
    const again = await post('/requests.json', { ...base, api_key: key, 'attribute[fixmystreet_id]': '101' });
    assert.equal(again.json()[0].service_request_id, posted[0], 'the same FixMyStreet report sent twice is one request');
    const asXml = await post('/requests.xml', { ...base, api_key: key, service_code: '01001', description: '井盖松动' });
    assert.equal(asXml.statusCode, 200);
    const xmlId = (xmlToJson(parseXml(asXml.body), LIST_ELEMENTS) as { service_request_id: string }[])[0]!.service_request_id;
    posted.push(xmlId);
    const stored = await client.database.db.selectFrom('cases as c').leftJoin('case_reporters as r', 'r.case_id', 'c.id')
      .select(['c.source', 'c.state', 'c.media_url', 'c.address', 'r.name', 'r.phone', 'r.email']).where('c.code', '=', posted[0]!).executeTakeFirstOrThrow();
    assert.deepEqual({ ...stored }, { source: 'open311', state: 'pending_verify', media_url: 'https://fms.example.org/photo/101.jpg', address: '中山路 1 号', name: '张三', phone: '13900000000', email: 'zhang@example.org' });
  });

  test('GET requests: every field the spec lists, ids as strings, dates with a zone, and no reporter\'s data', async () => {
    const all = await both('/requests.{f}', Type.Array(RequestSchema));
    assert.deepEqual(new Set(all.map((r: { service_request_id: string }) => r.service_request_id)), new Set([staffClosed, staffOpen, ...posted]));
    const mine = all.find((r: { service_request_id: string }) => r.service_request_id === posted[0]);
    assert.deepEqual([mine.status, mine.status_notes, mine.service_code, mine.media_url, mine.address], ['open', '待核实', '06010', 'https://fms.example.org/photo/101.jpg', '中山路 1 号']);
    const dispatched = all.find((r: { service_request_id: string }) => r.service_request_id === staffClosed);
    assert.equal(dispatched.agency_responsible, '市环境卫生管理处');
    assert.equal(dispatched.expected_datetime, '2026-10-20T15:20:00+08:00', 'the handling deadline: 4 working hours after the 09:20 dispatch, over the 12:00–14:00 break');
    const body = (await get('/requests.json')).body + (await get('/requests.xml')).body;
    for (const secret of ['张三', '13900000000', 'zhang@example.org']) assert.ok(!body.includes(secret), `${secret} must not appear`);
    const one = await both(`/requests/${posted[0]}.{f}`, Type.Array(RequestSchema, { minItems: 1, maxItems: 1 }));
    assert.equal(one[0].service_request_id, posted[0]);
    await both('/requests/NOPE.{f}', ErrorsSchema, 404);
    await both('/tokens/abc.{f}', ErrorsSchema, 404);
  });

  test('filters really filter: each result obeys its filter and nothing that obeys it is missing', async () => {
    const all = (await get('/requests.json')).json() as { service_request_id: string; service_code: string; status: string; requested_datetime: string; lat: number; long: number }[];
    const ids = (rows: { service_request_id: string }[]) => rows.map((r) => r.service_request_id).sort();
    const expectFilter = async (query: string, keep: (r: (typeof all)[number]) => boolean) => {
      const res = await get(`/requests.json?${query}`);
      assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
      assert.deepEqual(ids(res.json()), ids(all.filter(keep)), query);
    };
    await expectFilter('service_code=01001', (r) => r.service_code === '01001');
    await expectFilter('service_code=01001,06010', () => true);
    await expectFilter('status=open', (r) => r.status === 'open');
    await expectFilter('status=closed', (r) => r.status === 'closed');
    await expectFilter('status=open,closed', () => true);
    await expectFilter('status=', () => true);
    const from = '2026-10-01T00:00:00+08:00';
    const to = '2026-11-01T00:00:00+08:00';
    await expectFilter(`start_date=${encodeURIComponent(from)}&end_date=${encodeURIComponent(to)}`, (r) => Date.parse(r.requested_datetime) >= Date.parse(from) && Date.parse(r.requested_datetime) <= Date.parse(to));
    await expectFilter(`service_request_id=${staffOpen},${posted[1]}&service_code=99999&status=closed`, (r) => r.service_request_id === staffOpen || r.service_request_id === posted[1]);
    await expectFilter('bbox=118.8,32.0,118.801,32.001', (r) => r.long >= 118.8 && r.long <= 118.801 && r.lat >= 32.0 && r.lat <= 32.001);
    const page1 = (await get('/requests.json?page_size=2&page=1')).json();
    const page2 = (await get('/requests.json?page_size=2&page=2')).json();
    assert.deepEqual([...ids(page1), ...ids(page2)].sort(), ids(all).sort());
    assert.equal(page1.length, 2);
    const ext = (await get('/requests.json?extensions=true')).json();
    assertFits(Type.Array(RequestSchema), ext, 'extensions');
    assert.ok(ext.every((r: { extended_attributes?: { detailed_status: string } }) => r.extended_attributes?.detailed_status));
    for (const bad of ['status=pending', 'start_date=2026-01-01&end_date=2026-12-01', `start_date=${encodeURIComponent('2026-01-01T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-12-01T00:00:00+08:00')}`, 'bbox=1,2,3', 'page_size=0']) {
      const res = await get(`/requests.json?${bad}`);
      assert.equal(res.statusCode, 400, bad);
      assertFits(ErrorsSchema, res.json(), bad);
    }
  });

  test('servicerequestupdates: the steps of requests in a window, and a client\'s update kept once', async () => {
    const updates = await both(`/servicerequestupdates.{f}?start_date=${encodeURIComponent('2026-10-20T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-10-21T00:00:00+08:00')}`, Type.Array(UpdateSchema));
    assert.deepEqual(updates.map((u: { service_request_id: string; status: string; external_status_code: string }) => [u.service_request_id, u.external_status_code, u.status]), [
      [staffClosed, 'report', 'open'], [staffClosed, 'accept', 'investigating'], [staffClosed, 'register', 'action_scheduled'], [staffClosed, 'dispatch', 'action_scheduled'],
    ]);
    const update = { api_key: key, service_request_id: posted[0]!, update_id: 'fms-9', status: 'OPEN', updated_datetime: '2026-11-27T10:00:00+08:00', description: '问题仍然存在', email: 'zhang@example.org' };
    const res = await post('/servicerequestupdates.json', update);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(typeof res.json()[0].update_id, 'string');
    assert.equal((await post('/servicerequestupdates.json', update)).statusCode, 400, 'a repeated update id');
    assert.equal((await post('/servicerequestupdates.xml', { ...update, update_id: 'fms-10', api_key: 'nope' })).statusCode, 403);
    assert.equal((await post('/servicerequestupdates.json', { ...update, update_id: 'fms-11', service_request_id: 'NOPE' })).statusCode, 404);
    const missing = await post('/servicerequestupdates.json', { api_key: key, service_request_id: posted[0]! });
    assert.deepEqual([missing.statusCode, missing.json()[0].description], [400, 'update_id, status, updated_datetime, description are required']);
    const kept = await client.database.db.selectFrom('open311_updates').select(['client_update_id', 'status', 'description']).execute();
    assert.deepEqual(kept.map((k) => ({ ...k })), [{ client_update_id: 'fms-9', status: 'open', description: '问题仍然存在' }]);
    // The staff see it on the case, with who sent it.
    const caseId = (await client.database.db.selectFrom('cases').select('id').where('code', '=', posted[0]!).executeTakeFirstOrThrow()).id;
    const staff = await client.request('GET', `/api/cases/${caseId}/client-updates`, { token: adminToken });
    assert.deepEqual(staff.json().items.map((u: { client: string; description: string; contact: string }) => [u.client, u.description, u.contact]), [['fms', '问题仍然存在', 'zhang@example.org']]);
  });
});

