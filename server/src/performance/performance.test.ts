import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_PERFORMANCE_SCHEMES } from '@cityops/domain/performance/scheme';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildOctober, type OctoberWorld } from '../indicators/indicators.test-support.ts';
import { runEvaluate } from '../cli/evaluate-commands.ts';

describeOnBothDatabases('performance evaluation, indicators and schemes over HTTP', (database) => {
  let client: TestClient;
  let world: OctoberWorld;
  let office: string;
  let streetGov: string;
  before(async () => {
    client = await buildTestApp(database());
    world = await buildOctober(client);
    await world.november();
    office = await client.tokenFor([{ role: 'evaluation_office', territoryCode: FIXTURE.city }]);
    streetGov = await client.tokenFor([{ role: 'territory_government', territoryCode: FIXTURE.street }]);
  });
  after(() => client.close());

  const get = (url: string, token = office) => client.request('GET', url, { token });

  test('the rankings a reader may open, and which regions they may drill into, come from the server\'s own rule', async () => {
    const offered = async (token: string) => (await get('/api/performance', token)).json();
    assert.deepEqual(await offered(office), { subjects: ['region', 'department', 'inspector', 'acceptor', 'shift_chief', 'dispatcher'], home: FIXTURE.city });
    // A street government opens its district's ranking of streets; a department only the departments'.
    assert.deepEqual(await offered(streetGov), { subjects: ['region', 'department'], home: FIXTURE.district });
    assert.deepEqual(await offered(world.w.tokens.hwc), { subjects: ['department'], home: null });
    const drillable = async (parent: string, token: string) => Object.fromEntries(((await get(`/api/performance/region?period=2026-10&parent=${parent}`, token)).json().items as { unit: { code: string }; drillable: boolean }[]).map((i) => [i.unit.code, i.drillable]));
    const cityRanking = await drillable(FIXTURE.city, office);
    assert.ok(Object.keys(cityRanking).length > 0 && Object.values(cityRanking).every((d) => d), 'the office opens every district');
    const streets = await drillable(FIXTURE.district, streetGov);
    assert.equal(streets[FIXTURE.street], true, 'its own street');
    assert.ok(Object.entries(streets).every(([code, d]) => d === (code === FIXTURE.street)), 'no other street');
    assert.equal((await get('/api/performance/department?period=2026-10')).json().items[0].drillable, undefined, 'departments do not drill');
  });

  test('departments: HWC scored by hand, the department that only returned a case is not scored', async () => {
    const res = await get('/api/performance/department?period=2026-10');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual([body.period.code, body.asOf, body.scheme.version], ['2026-10', '2026-10-31T16:00:00.000Z', 0]);
    const byCode = Object.fromEntries(body.items.map((i: { unit: { code: string } }) => [i.unit.code, i]));
    // 立案数 3 → 100 × 10 %; 结案率 4/5 → 80 × 30 %; 按期处置率 5/7 → 71.43 × 30 %; 返工率 2/6 → 66.67 × 30 % = 75.43.
    assert.deepEqual([byCode.HWC.rank, byCode.HWC.score, byCode.HWC.grade, byCode.HWC.partial], [1, 75.43, 'B', false]);
    assert.deepEqual(byCode.HWC.components.map((c: { score: number }) => c.score), [100, 80, 71.43, 66.67]);
    assert.deepEqual([byCode.SZC.rank, byCode.SZC.score], [null, null]);
    // September had no closings or handling due for HWC: not scored then, so no change to show.
    assert.deepEqual(byCode.HWC.change, { previousScore: null, previousRank: null, scoreChange: null, rankChange: null });
    const onTime = byCode.HWC.indicators.find((i: { code: string }) => i.code === 'on_time_handling_rate');
    assert.deepEqual([onTime.numerator, onTime.denominator, onTime.text], [5, 7, '71.43%']);
  });

  test('regions: the city ranks its district; grid bands by area class', async () => {
    const body = (await get('/api/performance/region?period=2026-10')).json();
    assert.equal(body.parent.code, FIXTURE.city);
    assert.equal(body.items.length, 1);
    const district = body.items[0];
    // 监督举报率 1/4 → 75; grids 4, 0, 0, 0 registered → 75, 100, 100, 100 → 93.75; 结案率 80; 按期结案率 60.
    // 7.5 + 18.75 + 24 + 24 = 74.25 → C.
    assert.deepEqual(district.components.map((c: { score: number }) => c.score), [75, 93.75, 80, 60]);
    assert.deepEqual([district.unit.code, district.rank, district.score, district.grade], [FIXTURE.district, 1, 74.25, 'C']);
    const streets = (await get(`/api/performance/region?period=2026-10&parent=${FIXTURE.district}`)).json();
    assert.deepEqual(streets.items.map((i: { unit: { code: string }; score: number }) => [i.unit.code, i.score]), [[FIXTURE.street, 74.25]]);
  });

  test('posts: each person scored by hand', async () => {
    const score = async (subject: string) => (await get(`/api/performance/${subject}?period=2026-10`)).json().items
      .filter((i: { score: number | null }) => i.score !== null).map((i: { score: number; grade: string }) => [i.score, i.grade]);
    assert.deepEqual(await score('inspector'), [[95, 'A']]); // 40 + 75 × 20 % + 20 + 20
    assert.deepEqual(await score('acceptor'), [[58.33, 'D']]); // (0 × 25 + 100 × 35) / 60: no verification requests
    assert.deepEqual(await score('shift_chief'), [[90, 'A']]); // 25 + 75 × 40 % + 35
    assert.deepEqual(await score('dispatcher'), [[70, 'C']]); // 0 + 40 + 75 × 40 %
  });

  test('indicators of a node with its children, of a department, and — for nothing due', async () => {
    const res = await get(`/api/indicators?period=2026-10&territory=${FIXTURE.street}&breakdown=children`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    const rate = (list: { code: string; text: string }[], code: string) => list.find((i) => i.code === code)!.text;
    assert.deepEqual([body.measures.registered, rate(body.indicators, 'closing_rate'), rate(body.indicators, 'rectification_rate')], [4, '80.00%', '—']);
    assert.deepEqual(body.children.map((c: { unit: { code: string } }) => c.unit.code), [FIXTURE.community]);
    const szc = (await get(`/api/indicators?period=2026-10&department=${world.w.departments.szc}`)).json();
    assert.deepEqual([szc.measures.returned, rate(szc.indicators, 'on_time_handling_rate')], [1, '—']);
    const half = (await get(`/api/indicators?period=2026-10-H2&territory=${FIXTURE.city}`)).json();
    // 16–31 October: D registered and overdue (G was registered on the 15th); nothing closed.
    assert.deepEqual([half.measures.registered, half.measures.closed, half.measures.overdue, half.measures.due_to_close], [1, 0, 1, 1]);
  });

  test('scope: a street sees its own area and the ranking it takes part in, not another subtree or persons', async () => {
    assert.equal((await get(`/api/indicators?period=2026-10&territory=${FIXTURE.street}`, streetGov)).statusCode, 200);
    assert.equal((await get(`/api/indicators?period=2026-10&territory=${FIXTURE.city}`, streetGov)).statusCode, 403);
    assert.equal((await get(`/api/performance/region?period=2026-10&parent=${FIXTURE.district}`, streetGov)).statusCode, 200);
    assert.equal((await get(`/api/performance/region?period=2026-10`, streetGov)).statusCode, 403);
    assert.equal((await get('/api/performance/inspector?period=2026-10', streetGov)).statusCode, 403);
    assert.equal((await get('/api/performance/department?period=2026-10', world.w.tokens.hwc)).statusCode, 200);
    assert.equal((await get('/api/performance/department?period=2026-10', world.w.tokens.public)).statusCode, 403);
    const bad = await get('/api/performance/department?period=2026-13');
    assert.deepEqual([bad.statusCode, bad.json().error.issues[0].field], [400, 'period']);
  });

  test('cityops evaluate prints the same results as JSON or as a table', async () => {
    const now = Date.parse('2026-12-15T02:00:00Z');
    const json = JSON.parse(await runEvaluate(client.database.db, { period: '2026-10', subject: 'department', format: 'json' }, now));
    const api = (await get('/api/performance/department?period=2026-10')).json();
    assert.deepEqual(json[0].items.map((i: { unit: { code: string }; score: number | null; rank: number | null }) => [i.unit.code, i.score, i.rank]),
      api.items.map((i: { unit: { code: string }; score: number | null; rank: number | null }) => [i.unit.code, i.score, i.rank]));
    const table = (await runEvaluate(client.database.db, { period: '2026-10', subject: 'department' }, now)).split('\n');
    assert.match(table[0]!, /^部门评价 2026年10月/);
    assert.deepEqual(table[1]!.split(/\s{2,}/), ['排名', '单位', '得分', '等级', '立案数', '结案率', '按期处置率', '返工率', '得分变化', '名次变化']);
    assert.deepEqual(table[2]!.trim().split(/\s{2,}/), ['1', '市环境卫生管理处', '75.43', 'B', '100.00', '80.00', '71.43', '66.67', '—', '—']);
    // Columns line up: '得分' ends where '75.43' ends (CJK counts two columns).
    const end = (line: string, text: string) => { const i = line.indexOf(text); return [...line.slice(0, i)].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0) + text.length * (/[\u4e00-\u9fff]/.test(text) ? 2 : 1); };
    assert.equal(end(table[1]!, '得分'), end(table[2]!, '75.43'));
    const all = JSON.parse(await runEvaluate(client.database.db, { period: '2026-10', format: 'json' }, now));
    assert.deepEqual(all.map((e: { subject: string; parent: { code: string } | null }) => [e.subject, e.parent?.code ?? null]), [
      ['region', FIXTURE.city], ['region', FIXTURE.district], ['department', null], ['inspector', null], ['acceptor', null], ['shift_chief', null], ['dispatcher', null],
    ]);
    await assert.rejects(runEvaluate(client.database.db, { period: '2026-10', subject: 'mayor' }, now), /subject/);
  });

  test('a scheme is validated on save, versioned, and the next evaluation uses it', async () => {
    const put = (scheme: unknown, token = office) => client.request('PUT', '/api/performance-schemes/department', { token, body: { scheme, reason: '调整权重' } });
    const base = DEFAULT_PERFORMANCE_SCHEMES.department;
    const bad = await put({ ...base, components: base.components.map((c, i) => (i === 0 ? { ...c, weight: 40 } : c)) });
    assert.deepEqual([bad.statusCode, bad.json().error.issues.map((i: { field: string }) => i.field)], [400, ['scheme.components']]);
    assert.equal((await put(base, world.w.tokens.hwc)).statusCode, 403);
    assert.equal((await client.request('GET', '/api/performance-schemes/department', { token: office })).json().version, 0);
    // 结案率 and 按期处置率 only, 50/50: HWC (80 + 71.43) / 2 = 75.71.
    const onlyRates = { ...base, name: '部门评价(试行)', components: [{ ...base.components[1]!, weight: 50 }, { ...base.components[2]!, weight: 50 }] };
    const saved = await put(onlyRates);
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 1);
    const body = (await get('/api/performance/department?period=2026-10')).json();
    assert.deepEqual([body.scheme.version, body.scheme.name], [1, '部门评价(试行)']);
    assert.equal(body.items.find((i: { unit: { code: string } }) => i.unit.code === 'HWC').score, 75.71);
    const history = (await client.request('GET', '/api/performance-schemes/department', { token: office })).json();
    assert.deepEqual(history.versions.map((v: { version: number; reason: string }) => [v.version, v.reason]), [[1, '调整权重']]);
    // Who saved it, by name (the versions list shows it): the office user's own display name.
    const me = (await client.request('GET', '/api/auth/me', { token: office })).json();
    assert.deepEqual([history.savedByName, history.versions[0].savedByName, saved.json().savedByName], [me.displayName, me.displayName, me.displayName]);
    assert.ok(typeof me.displayName === 'string' && me.displayName.length > 0);
  });
});
