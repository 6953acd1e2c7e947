import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE, fixtureTerritory, square } from '../test/fixtures.ts';

describeOnBothDatabases('territory', (database) => {
  let client: TestClient;
  let admin: string;
  let inspector: string;
  before(async () => {
    client = await buildTestApp(database());
    admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    inspector = await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.street }]);
  });
  after(() => client.close());

  test('the imported tree has codes, paths, inherited area classes and areas', async () => {
    const res = await client.request('GET', `/api/territory/nodes?parent=${FIXTURE.community}`, { token: inspector });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 4);
    assert.deepEqual(body.items.map((n: { code: string }) => n.code), [...FIXTURE.grids]);
    const [sw, , nw] = body.items;
    assert.equal(sw.path, `/${FIXTURE.city}/${FIXTURE.district}/${FIXTURE.street}/${FIXTURE.community}/${FIXTURE.grids[0]}/`);
    assert.equal(sw.areaClass, 1, 'a grid without area_class inherits its community’s class 1');
    assert.equal(nw.areaClass, 3);
    // 0.001° × 0.001° at 32.0005° N: 111,320 × cos(32.0005°) × 0.001 ≈ 94.40 m by 110.95 m ≈ 10,474 m².
    assert.ok(Math.abs(sw.areaM2 - 10_474) / 10_474 < 0.01, `area ${sw.areaM2}`);
    assert.deepEqual(sw.bbox, [118.8, 32.0, 118.801, 32.001]);
  });

  test('a point is located in its grid and that grid’s ancestors', async () => {
    const res = await client.request('GET', '/api/territory/locate?lon=118.8015&lat=32.0015', { token: inspector });
    const body = res.json();
    assert.equal(body.found, true);
    assert.equal(body.grid.code, FIXTURE.grids[3]);
    assert.equal(body.community.code, FIXTURE.community);
    assert.equal(body.street.code, FIXTURE.street);
    assert.equal(body.district.code, FIXTURE.district);
    const outside = await client.request('GET', '/api/territory/locate?lon=118.9&lat=32.0015', { token: inspector });
    assert.equal(outside.json().found, false);
  });

  test('a bad import names the feature and field and changes nothing', async () => {
    const before = await database().db.selectFrom('territory_nodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const file = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '990102001001005', name: '新网格', level: 'grid', parent_code: FIXTURE.community }, geometry: square(118.802, 32.0, 0.001) },
        { type: 'Feature', properties: { code: '990102001002001', name: '错码网格', level: 'grid', parent_code: FIXTURE.community }, geometry: square(118.803, 32.0, 0.001) },
        { type: 'Feature', properties: { code: '990102009', name: '无父街道', level: 'street', parent_code: '990199' }, geometry: square(118.9, 32.0, 0.001) },
        { type: 'Feature', properties: { code: '990102001001006', name: '坏多边形', level: 'grid', parent_code: FIXTURE.community }, geometry: { type: 'Polygon', coordinates: [[[118.8, 32.0], [118.801, 32.0], [118.8, 32.001]]] } },
      ],
    };
    const res = await client.request('POST', '/api/territory/import', { token: admin, body: file });
    assert.equal(res.statusCode, 400);
    const issues = res.json().error.issues as { row: number; field: string }[];
    assert.ok(issues.some((i) => i.row === 4 && i.field.startsWith('geometry')), JSON.stringify(issues));
    // The geometry error is found while reading; code and parent errors are reported once the file reads cleanly.
    const fixed = structuredClone(file);
    fixed.features[3]!.geometry = square(118.804, 32.0, 0.001);
    const second = await client.request('POST', '/api/territory/import', { token: admin, body: fixed });
    assert.equal(second.statusCode, 400);
    const issues2 = second.json().error.issues as { row: number; field: string; message: string }[];
    assert.deepEqual(issues2.map((i) => [i.row, i.field]), [[3, 'properties.parent_code'], [2, 'properties.code']]);
    assert.match(issues2[1]!.message, /must start with its parent's code 990102001001/);
    const afterCount = await database().db.selectFrom('territory_nodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });

  test('export → re-import updates every node and creates none', async () => {
    const exported = await client.request('GET', `/api/territory/export?root=${FIXTURE.district}`, { token: inspector });
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-type']), /geo\+json/);
    const collection = exported.json();
    assert.equal(collection.features.length, 7, 'district, street, community and four grids');
    const res = await client.request('POST', '/api/territory/import', { token: admin, body: collection });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { created: 0, updated: 7, byLevel: { district: 1, street: 1, community: 1, grid: 4 } });
  });

  test('only an admin in scope may write; readers may not import', async () => {
    const res = await client.request('POST', '/api/territory/import', { token: inspector, body: fixtureTerritory() });
    assert.equal(res.statusCode, 403);
    const anonymous = await client.request('GET', '/api/territory/nodes');
    assert.equal(anonymous.statusCode, 401);
    const otherAdmin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.grids[0] }]);
    const rename = await client.request('PATCH', `/api/territory/nodes/${FIXTURE.grids[1]}`, { token: otherAdmin, body: { name: '越权' } });
    assert.equal(rename.statusCode, 403);
    const ok = await client.request('PATCH', `/api/territory/nodes/${FIXTURE.grids[1]}`, { token: admin, body: { name: '网格二（改）', areaClass: 2 } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().name, '网格二（改）');
    const audit = await database().db.selectFrom('audit_log').selectAll().where('action', '=', 'territory.update').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.entity_ref, FIXTURE.grids[1]);
  });

  test('a moved grid is found after re-import by the locator', async () => {
    const moved = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: FIXTURE.grids[0], name: '网格一', level: 'grid', parent_code: FIXTURE.community }, geometry: square(118.8, 31.999, 0.001) }] };
    const res = await client.request('POST', '/api/territory/import', { token: admin, body: moved });
    assert.equal(res.statusCode, 200, res.body);
    const hit = await client.request('GET', '/api/territory/locate?lon=118.8005&lat=31.9995', { token: inspector });
    assert.equal(hit.json().grid?.code, FIXTURE.grids[0]);
  });
});
