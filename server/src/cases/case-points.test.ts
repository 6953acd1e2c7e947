import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { POINT_GRID1, setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';

// The map's points: the list's filter and scope, in a compact form.
describeOnBothDatabases('case map points', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    for (let i = 0; i < 3; i++) {
      const res = await client.request('POST', '/api/cases', { token: w.tokens.inspector, body: { source: 'inspector', classCode: '06010', description: `垃圾 ${i}`, location: { lon: POINT_GRID1.lon + i * 0.0001, lat: POINT_GRID1.lat } } });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(() => client.close());

  test('the same cases as the list, newest first, with their light; a limit says it cut', async () => {
    const list = (await client.request('GET', '/api/cases?state=pending_accept&limit=500', { token: w.tokens.admin })).json();
    const res = await client.request('GET', '/api/cases/points?state=pending_accept', { token: w.tokens.admin });
    assert.equal(res.statusCode, 200, res.body);
    const { points, truncated } = res.json() as { points: [number, number, number, number][]; truncated: boolean };
    assert.equal(truncated, false);
    assert.deepEqual(points.map((p) => p[3]), list.items.map((c: { id: number }) => c.id).sort((a: number, b: number) => b - a));
    assert.deepEqual(points.map((p) => [p[0], p[1]]), [[POINT_GRID1.lon + 0.0002, POINT_GRID1.lat], [POINT_GRID1.lon + 0.0001, POINT_GRID1.lat], [POINT_GRID1.lon, POINT_GRID1.lat]]);
    // A fresh report is well within its 15-minute acceptance stage: green.
    assert.ok(points.every((p) => p[2] === 1), JSON.stringify(points));
    const cut = (await client.request('GET', '/api/cases/points?limit=2', { token: w.tokens.admin })).json();
    assert.deepEqual([cut.points.length, cut.truncated], [2, true]);
    assert.equal((await client.request('GET', '/api/cases/points?state=nonsense', { token: w.tokens.admin })).statusCode, 400);
    assert.equal((await client.request('GET', '/api/cases/points', { token: w.tokens.public })).statusCode, 403);
  });
});
