import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { PNG_1PX, POINT_GRID1, setUpCaseWorld, uploadPhoto, type CaseWorld } from '../cases/cases.test-support.ts';

// The public portal: a report with its photo and no account, followed by its number, rated by the holder
// of its tracking key once the workflow has closed it.
const TEN_YEARS = 3650 * 86_400_000;

describeOnBothDatabases('public portal reports', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  let code = '';
  let trackingKey = '';
  before(async () => {
    // A window of ten years: no test run straddles its boundary. The writes above count 10 (a body the schema
    // refuses never reaches the count); 11–13 pass, 14 is refused.
    client = await buildTestApp(database(), { config: { rateLimits: { portal_write_per_address: { limit: 13, windowMs: TEN_YEARS } } } });
    w = await setUpCaseWorld(client);
  });
  after(() => client.close());
  const report = (body: Record<string, unknown>) => client.request('POST', '/api/public/reports', { body });
  const good = { classCode: '06010', description: '小区门口垃圾堆了三天', location: POINT_GRID1, address: '中山路 8 号', name: '王五', phone: '13700000000', photo: { data: PNG_1PX.toString('base64'), type: 'image/png' } };

  test('a report with its photo and no account: a number and a tracking key; bad ones refused, naming the field, nothing kept', async () => {
    const cases = async () => (await client.database.db.selectFrom('cases').select('id').execute()).length;
    for (const [body, field] of [
      [{ ...good, classCode: '99999' }, 'classCode'], [{ ...good, location: { lon: 100, lat: 30 } }, 'location'], [{ ...good, phone: 'call me' }, 'phone'], [{ ...good, description: '' }, 'body.description'],
    ] as [Record<string, unknown>, string][]) {
      const res = await report(body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.issues?.[0]?.field ?? res.json().error.message.split(' ')[0], field);
    }
    const notImage = await report({ ...good, photo: { data: Buffer.from('not an image at all').toString('base64') } });
    assert.equal(notImage.statusCode, 415);
    assert.equal(await cases(), 0);

    const res = await report(good);
    assert.equal(res.statusCode, 201, res.body);
    ({ code, trackingKey } = res.json());
    assert.match(trackingKey, /^trk_/);
    const stored = await client.database.db.selectFrom('cases as c').innerJoin('case_reporters as r', 'r.case_id', 'c.id').select(['c.id', 'c.source', 'c.state', 'r.name', 'r.phone']).where('c.code', '=', code).executeTakeFirstOrThrow();
    assert.deepEqual([stored.source, stored.state, stored.name, stored.phone], ['public_web', 'pending_verify', '王五', '13700000000']);
    const photos = await client.database.db.selectFrom('attachments').select(['case_id', 'event_id']).where('case_id', '=', stored.id).execute();
    assert.equal(photos.length, 1);
    assert.notEqual(photos[0]!.event_id, null, 'the photo documents the report step');
  });

  test('a signed-in citizen reports as themselves: the report is among their own', async () => {
    const res = await client.request('POST', '/api/public/reports', { token: w.tokens.public, body: { ...good, photo: undefined, description: '我自己上报的问题' } });
    assert.equal(res.statusCode, 201, res.body);
    const mine = (await client.request('GET', '/api/me/reports', { token: w.tokens.public })).json();
    assert.deepEqual(mine.items.map((r: { code: string }) => r.code), [res.json().code]);
  });

  test('anyone follows a report by its number: where it stands, never who reported it', async () => {
    const res = await client.request('GET', `/api/public/cases/${code}`);
    assert.equal(res.statusCode, 200);
    const r = res.json();
    assert.deepEqual([r.status, r.state, r.stateName.zh, r.class.name, r.canRate], ['open', 'pending_verify', '待核实', '暴露垃圾', false]);
    assert.deepEqual(r.steps.map((s: { action: string }) => s.action), ['report']);
    for (const secret of ['王五', '13700000000', trackingKey]) assert.ok(!res.body.includes(secret), secret);
    assert.equal((await client.request('GET', '/api/public/cases/0000000000000')).statusCode, 404);
  });

  test('closed by the workflow, the report is rated by its reporter once, with the key', async () => {
    const id = Number((await client.database.db.selectFrom('cases').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
    const act = async (token: string, action: string, body: Record<string, unknown> = {}) => {
      const res = await client.request('POST', `/api/cases/${id}/actions/${action}`, { token, body });
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
    };
    await act(w.tokens.inspector, 'verify_confirm', { attachmentIds: [await uploadPhoto(client, w.tokens.inspector)] });
    await act(w.tokens.shiftChief, 'register');
    await act(w.tokens.dispatcher, 'dispatch', { departmentId: w.departments.hwc });
    await act(w.tokens.hwc, 'sign');
    await act(w.tokens.hwc, 'feedback', { attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
    await act(w.tokens.inspector, 'check_pass', { attachmentIds: [await uploadPhoto(client, w.tokens.inspector)] });
    await act(w.tokens.shiftChief, 'close');
    const closed = (await client.request('GET', `/api/public/cases/${code}`)).json();
    assert.deepEqual([closed.status, closed.canRate, closed.department], ['closed', true, '市环境卫生管理处']);

    const rate = (key: string, satisfaction = 'satisfied') => client.request('POST', `/api/public/cases/${code}/rating`, { body: { trackingKey: key, satisfaction } });
    assert.equal((await rate('trk_wrong')).statusCode, 404);
    assert.equal((await rate(trackingKey, 'thrilled')).statusCode, 400);
    const rated = await rate(trackingKey);
    assert.equal(rated.statusCode, 200, rated.body);
    assert.deepEqual([rated.json().satisfaction, rated.json().canRate], ['satisfied', false]);
    assert.equal((await rate(trackingKey, 'dissatisfied')).statusCode, 409, 'rated once');
    const event = await client.database.db.selectFrom('case_events').select(['action', 'actor_name', 'actor_role']).where('case_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual({ ...event }, { action: 'rate', actor_name: '举报人(门户评价)', actor_role: 'public' });
    // A signed-in public user cannot rate through the staff API.
    const publicUser = await client.request('POST', `/api/cases/${id}/actions/rate`, { token: w.tokens.public, body: { satisfaction: 'dissatisfied' } });
    assert.equal(publicUser.statusCode, 403);
  });

  test('too many writes from one address: 429, nothing kept', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await report({ ...good, photo: undefined })).statusCode);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
  });
});
