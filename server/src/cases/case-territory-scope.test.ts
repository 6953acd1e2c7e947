import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE, square } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { listCases } from './cases.queries.ts';
import { setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';

// A second district beside the fixture's, with its own street, community and grid (0.001° east of grid 002).
const EAST = { district: '990103', street: '990103001', community: '990103001001', grid: '990103001001001' };

describeOnBothDatabases('the cases under a territory node, found by its id at its level (case-territory-scope.ts)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  const cases: { id: number; path: string }[] = [];
  const nodes: { code: string; path: string }[] = [];
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    const place = square(118.802, 32.0, 0.001);
    const feature = (code: string, level: string, parent: string) => ({ type: 'Feature', properties: { code, name: `东 ${level}`, level, parent_code: parent }, geometry: place });
    const imported = await client.request('POST', '/api/territory/import', { token: w.tokens.admin, body: { type: 'FeatureCollection', features: [
      feature(EAST.district, 'district', FIXTURE.city), feature(EAST.street, 'street', EAST.district),
      feature(EAST.community, 'community', EAST.street), feature(EAST.grid, 'grid', EAST.community),
    ] } });
    assert.equal(imported.statusCode, 200, imported.body);
    // One report in the middle of each of the five grids, two in grid 003.
    const points = [[118.8005, 32.0005], [118.8015, 32.0005], [118.8005, 32.0015], [118.8006, 32.0016], [118.8015, 32.0015], [118.8025, 32.0005]];
    for (const [lon, lat] of points) {
      const res = await client.request('POST', '/api/cases', { token: w.tokens.admin, body: { source: 'hotline_12345', classCode: '06010', description: '辖区测试', location: { lon, lat } } });
      assert.equal(res.statusCode, 201, res.body);
    }
    cases.push(...(await client.database.db.selectFrom('cases').select(['id', 'territory_path as path']).execute()));
    nodes.push(...(await client.database.db.selectFrom('territory_nodes').select(['code', 'path']).orderBy('path').execute()));
  });
  after(() => client.close());

  const under = (path: string) => cases.filter((c) => c.path.startsWith(path)).map((c) => c.id).sort((a, b) => a - b);
  const listed = async (actor: Parameters<typeof listCases>[1], territoryPath?: string) =>
    (await listCases(client.database.db, actor, { sort: 'reported_desc', limit: 100, offset: 0, ...(territoryPath ? { territoryPath } : {}) }, Date.now())).items.map((c) => c.id).sort((a, b) => a - b);

  test('a territory filter at every level lists exactly the cases whose path lies under the node', async () => {
    assert.equal(nodes.length, 12, 'city, two districts, two streets, two communities, five grids');
    const admin = await w.actor(w.tokens.admin);
    for (const node of nodes) assert.deepEqual(await listed(admin, node.path), under(node.path), node.code);
    assert.equal(under(`/${FIXTURE.city}/${EAST.district}/`).length, 1);
    assert.equal(under(`/${FIXTURE.city}/`).length, cases.length);
  });

  test('a grant at every level reads exactly those cases', async () => {
    for (const node of nodes) {
      const inspector = await w.actor(await client.tokenFor([{ role: 'inspector', territoryCode: node.code }]));
      assert.deepEqual(await listed(inspector), under(node.path), node.code);
    }
  });

  test('a path no node has matches nothing', async () => {
    assert.deepEqual(await listed(await w.actor(w.tokens.admin), `/${FIXTURE.city}/990199/`), []);
  });
});
