import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';
import { cellDegrees, MAX_CELLS } from './case-aggregate.queries.ts';

type Answer = { zoom: number; cellDegrees: number; total: number; cells: [number, number, number, number, number][] };

describeOnBothDatabases('the map of a viewport (GET /api/cases/aggregate)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  // Four reports in the fixture's 0.002° square; A's acceptance is overdue.
  const points = { A: [118.8005, 32.0005], B: [118.8006, 32.0004], C: [118.8015, 32.0015], D: [118.8012, 32.0003] } as const;
  const BOX = '118.799,31.999,118.803,32.003';
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    for (const [name, [lon, lat]] of Object.entries(points)) {
      const res = await client.request('POST', '/api/cases', { token: w.tokens.inspector, body: { source: 'inspector', classCode: '06010', description: `点 ${name}`, location: { lon, lat } } });
      assert.equal(res.statusCode, 201, res.body);
      if (name === 'A') await client.database.db.updateTable('cases').set({ stage_due_at: Date.now() - 1000, stage_warn_at: Date.now() - 2000 }).where('id', '=', res.json().caseId).execute();
    }
  });
  after(() => client.close());

  const get = async (query: string, token = w.tokens.admin) => client.request('GET', `/api/cases/aggregate?${query}`, { token });

  test('cases are summed into cells of the zoom, drawn at their mean position, with the red among them', async () => {
    const zoom = 18;
    const cell = 90 / 2 ** 18;
    const res = await get(`bbox=${BOX}&zoom=${zoom}`);
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json() as Answer;
    assert.equal(a.zoom, 18);
    assert.equal(a.cellDegrees, cell);
    assert.equal(a.total, 4);
    // The expected cells: the points grouped by the cell they fall in.
    const groups = new Map<string, (typeof points)[keyof typeof points][]>();
    for (const p of Object.values(points)) {
      const key = `${Math.floor(p[0] / cell)}:${Math.floor(p[1] / cell)}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const expected = [...groups.values()].map((ps) => [
      Math.round((ps.reduce((s, p) => s + p[0], 0) / ps.length) * 1e6) / 1e6,
      Math.round((ps.reduce((s, p) => s + p[1], 0) / ps.length) * 1e6) / 1e6,
      ps.length, ps.includes(points.A) ? 1 : 0, 0,
    ]);
    const sort = (xs: number[][]) => [...xs].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    assert.deepEqual(sort(a.cells), sort(expected));
    // At a city-wide zoom the four are one cell.
    const wide = (await get(`bbox=${BOX}&zoom=10`)).json() as Answer;
    assert.deepEqual(wide.cells.map((c) => [c[2], c[3]]), [[4, 1]]);
  });

  test('the viewport, the filters and the reader\'s scope narrow it; a bad box is refused naming the field', async () => {
    assert.equal(((await get('bbox=118.799,31.999,118.801,32.003&zoom=18')).json() as Answer).total, 2, 'A and B west of 118.801');
    assert.equal(((await get(`bbox=${BOX}&zoom=18&state=pending_register`)).json() as Answer).total, 0);
    assert.equal(((await get(`bbox=${BOX}&zoom=18`, w.tokens.hwc)).json() as Answer).total, 0, 'a department sees only what it holds');
    const bad = await get('bbox=118.803,31.999,118.799,32.003&zoom=18');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /"field":"bbox"/);
  });

  test('a view too large for its zoom is answered at a coarser cell, within the cell limit', async () => {
    const a = (await get('bbox=70,15,140,55&zoom=22')).json() as Answer;
    assert.ok(a.zoom < 22);
    assert.ok((70 / cellDegrees(a.zoom)) * (40 / cellDegrees(a.zoom)) <= MAX_CELLS);
    assert.ok((70 / cellDegrees(a.zoom + 1)) * (40 / cellDegrees(a.zoom + 1)) > MAX_CELLS, 'the finest zoom that fits');
    assert.equal(a.total, 4);
  });
});
