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

  test('at city zoom every case is summed from the reports kept per grid, drawn at grid centres; a period on half-month bounds too; any other period from the cases', async () => {
    // E: a 12345 call of 20 October in grid 1, entered now.
    const e = await client.request('POST', '/api/cases', { token: w.tokens.acceptor, body: { source: 'hotline_12345', classCode: '06010', description: '点 E', location: { lon: 118.8002, lat: 32.0008 }, reportedAt: '2026-10-20T10:00:00+08:00' } });
    assert.equal(e.statusCode, 201, e.body);
    // Grid centres: A, B, E in grid 1 (118.8005, 32.0005); D in grid 2 (118.8015, 32.0005); C in grid 4 (118.8015, 32.0015).
    const all = (await get(`bbox=${BOX}&zoom=10`)).json() as Answer;
    assert.deepEqual(all.cells, [[118.8009, 32.0007, 5, 1, 0]]);
    const sinceMidNovember = (await get(`bbox=${BOX}&zoom=10&reportedFrom=${encodeURIComponent('2026-11-16T00:00:00+08:00')}`)).json() as Answer;
    const beforeNovember = (await get(`bbox=${BOX}&zoom=10&reportedTo=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`)).json() as Answer;
    const fromTheCall = (await get(`bbox=${BOX}&zoom=10&reportedFrom=${encodeURIComponent('2026-10-20T09:00:00+08:00')}`)).json() as Answer;
    const afterTheCall = (await get(`bbox=${BOX}&zoom=10&reportedFrom=${encodeURIComponent('2026-10-20T11:00:00+08:00')}&reportedTo=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`)).json() as Answer;
    const today = Date.now();
    // Run on 16 November or later, the four reports of today fall in the current half-month.
    if (today >= Date.parse('2026-11-16T00:00:00+08:00')) assert.deepEqual(sinceMidNovember.cells.map((c) => [c[2], c[3]]), [[4, 1]]);
    assert.deepEqual(beforeNovember.cells, [[118.8005, 32.0005, 1, 0, 0]], 'E alone, at its grid centre');
    // A whole year (2025, none) read from the year rows, then 2026's half-months to November from the half rows.
    const sinceLastYear = (await get(`bbox=${BOX}&zoom=10&reportedFrom=${encodeURIComponent('2025-01-01T00:00:00+08:00')}&reportedTo=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`)).json() as Answer;
    assert.deepEqual(sinceLastYear.cells, [[118.8005, 32.0005, 1, 0, 0]]);
    const years = await client.database.db.selectFrom('kept_grid_year_reports').select(['year', 'reported']).execute();
    assert.equal(years.filter((y) => y.year === 2026).reduce((n, y) => n + Number(y.reported), 0) >= 5, true, 'the year rows hold 2026\'s reports');
    assert.deepEqual(fromTheCall.cells.map((c) => c[2]), [5], 'a period off the half-month bounds is counted from the cases');
    assert.deepEqual(afterTheCall.cells, []);
    // The same view summed from the cases (a filter the kept counts cannot answer) counts the same cases.
    const states = Object.keys((await client.request('GET', '/api/workflow', { token: w.tokens.admin })).json().states.reduce((m: Record<string, 1>, s: { name: string }) => ({ ...m, [s.name]: 1 }), {}));
    const filtered = (await get(`bbox=${BOX}&zoom=10&state=${states.join(',')}`)).json() as Answer;
    assert.equal(filtered.total, all.total);
    assert.deepEqual(filtered.cells.map((c) => [c[2], c[3]]), [[5, 1]]);
  });
});
