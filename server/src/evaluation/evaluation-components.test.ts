import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultComprehensiveScheme } from '@cityops/domain/evaluation/scheme';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildOctober } from '../indicators/indicators.test-support.ts';

// The same engine one level down, with the components that come from the case record: the grids of
// the fixture's community ranked on their GB/T 30428.4 region score and their public satisfaction, in
// the hand-computed October of indicators.test-support.ts (every case is in the first grid).
describeOnBothDatabases('comprehensive evaluation components from the case record, one level down', (database) => {
  let client: TestClient;
  let office: string;
  before(async () => {
    client = await buildTestApp(database());
    await buildOctober(client);
    office = await client.tokenFor([{ role: 'evaluation_office', territoryCode: FIXTURE.city }]);
  });
  after(() => client.close());

  test('case_performance is the region score of /api/performance; an indicator component is its rate × 100; no value, no weight', async () => {
    const scheme = {
      ...defaultComprehensiveScheme(FIXTURE.community, 2026),
      components: [
        { code: 'case_performance', zh: '数字城管案件指标', en: 'Digital case indicators', kind: 'case_performance', weight: 50 },
        { code: 'satisfaction', zh: '群众满意率', en: 'Public satisfaction', kind: 'indicator', indicator: 'satisfaction_rate', weight: 30 },
        { code: 'rectification', zh: '按时整改率', en: 'On-time rectification', kind: 'indicator', indicator: 'rectification_rate', weight: 20 },
      ],
      minScoredWeight: 50, ties: { breakBy: [], money: 'split' }, ladder: { rewards: [], penalties: [] },
    };
    const saved = await client.request('PUT', '/api/evaluation/schemes/grids', { token: office, body: { scheme } });
    assert.equal(saved.statusCode, 200, saved.body);
    const run = await client.request('POST', '/api/evaluation/runs', { token: office, body: { schemeCode: 'grids', period: '2026-10' } });
    assert.equal(run.statusCode, 201, run.body);
    const perf = (await client.request('GET', `/api/performance/region?period=2026-10&parent=${FIXTURE.community}`, { token: office })).json();
    const regionScore = new Map(perf.items.map((i: { unit: { code: string }; score: number | null }) => [i.unit.code, i.score]));
    const first = run.json().ranking.find((r: { unit: { code: string } }) => r.unit.code === FIXTURE.grids[0]);
    const cp = regionScore.get(FIXTURE.grids[0]) as number;
    assert.equal(typeof cp, 'number');
    // 1 callback, satisfied: 100; no rectification due: no score, and its 20 points of weight drop out.
    assert.deepEqual(first.components.map((c: { code: string; score: number | null }) => [c.code, c.score]), [['case_performance', cp], ['satisfaction', 100], ['rectification', null]]);
    assert.equal(first.total, Math.round(((50 * cp + 30 * 100) / 80) * 100) / 100);
    assert.deepEqual(first.rectification, { rectifiedOnTime: 0, due: 0, rate: null });
    // The empty grids: whatever the region score gives them, satisfaction has nothing to rate.
    for (const code of FIXTURE.grids.slice(1)) {
      const row = run.json().ranking.find((r: { unit: { code: string } }) => r.unit.code === code);
      assert.equal(row.components[1].score, null);
      assert.equal(row.components[0].score, regionScore.get(code) ?? null);
    }
  });
});
