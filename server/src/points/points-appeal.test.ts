// An evaluation appeal upheld against an inspection finding (appeals.service.ts voids the finding) reverses the
// accumulated-points entry that finding produced: once, with the appeal as its reference and reason, and the
// totals move back; a rejected appeal changes nothing; sweeping again adds nothing. The month by hand is
// points.test-support.ts: fA (F1, A01 × 2) deducted −2 from F1 and from HWC, which answers for F1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildPointsWorld, TEST_RULES, type PointsWorld, sweepCounts } from './points.test-support.ts';

interface Entry { id: number; event: string; points: number; source: string | null; reason: string | null; reverses: number | null; reversed: boolean }

describeOnBothDatabases('an upheld evaluation appeal reverses the finding\'s points (累计加减分)', (database) => {
  let client: TestClient;
  let w: PointsWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    w = await buildPointsWorld(client);
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: w.tokens.office, body });
  const ok = async (res: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Record<string, unknown>;
  };
  const totalsOf = async (path: string) => Object.fromEntries(((await ok(await office('GET', `${path}?year=2025`))).items as { code: string; total: number; entries: number }[]).map((i) => [i.code, [i.total, i.entries]]));
  const f1 = async () => (await ok(await office('GET', '/api/points/entries?year=2025&area=F1'))).items as Entry[];

  test('upheld: the finding\'s entry is reversed once, citing the appeal; rejected: kept; a second sweep changes nothing', async () => {
    await ok(await office('PUT', '/api/points/rules/responsibility', { rules: TEST_RULES, reason: '测试阈值' }));
    await ok(await office('POST', '/api/points/sweep', { year: 2025 }));
    // F1: fA −2, cA overdue −2, fE −1, cE repeated −1 = −6; HWC answers for F1 alone.
    assert.deepEqual((await totalsOf('/api/points/areas')).F1, [-6, 4]);
    assert.deepEqual((await totalsOf('/api/points/units')).HWC, [-6, 4]);
    const fA = (await f1()).find((e) => e.source === `finding ${w.findings.fA.id}`)!;
    const fE = (await f1()).find((e) => e.source === `finding ${w.findings.fE.id}`)!;
    assert.deepEqual([fA.points, fE.points], [-2, -1]);

    // The month's evaluation, issued; district 990101 appeals two findings; the office upholds one, rejects the other.
    const run = await ok(await office('POST', '/api/evaluation/runs', { schemeCode: 'city-2025', period: '2025-10' }), 201);
    await ok(await office('POST', `/api/evaluation/runs/${run.id as number}/actions/issue`, {}));
    const appeal = async (findingId: number, text: string) =>
      (await ok(await client.request('POST', `/api/evaluation/runs/${run.id as number}/appeals`, { token: w.tokens.gov[0], body: { unitCode: '990101', findingId, text } }), 201)).id as number;
    const upheld = await appeal(w.findings.fA.id, '该处为在建工地围挡内,不属门前三包范围');
    const rejected = await appeal(w.findings.fE.id, '已及时清理');
    await ok(await office('POST', `/api/evaluation/appeals/${upheld}/ruling`, { outcome: 'upheld', ruling: '经核实属施工单位责任' }));
    await ok(await office('POST', `/api/evaluation/appeals/${rejected}/ruling`, { outcome: 'rejected', ruling: '暗访时问题存在' }));
    const voided = await client.database.db.selectFrom('inspection_findings').select('voided_by_appeal_id').where('id', '=', w.findings.fA.id).executeTakeFirstOrThrow();
    assert.equal(Number(voided.voided_by_appeal_id), upheld, 'the ruling voided the finding');

    const swept = await ok(await office('POST', '/api/points/sweep', { year: 2025 }));
    assert.deepEqual(sweepCounts(swept.responsibility), { years: [2025], finding: 0, case_overdue: 0, case_repeated: 0, reversed: 1, alerts: 0 });
    const entries = await f1();
    const reversals = entries.filter((e) => e.reverses === fA.id);
    assert.equal(reversals.length, 1);
    assert.deepEqual([reversals[0]!.event, reversals[0]!.points, reversals[0]!.source], ['correction', 2, `appeal ${upheld}`]);
    assert.match(reversals[0]!.reason!, new RegExp(`申诉 ${upheld}`));
    assert.equal(entries.find((e) => e.id === fA.id)!.reversed, true);
    assert.equal(entries.find((e) => e.id === fE.id)!.reversed, false, 'a rejected appeal leaves the deduction');
    // −6 + 2: the totals move back; the alerts already reached stay (a later dip does not repeat them).
    assert.deepEqual((await totalsOf('/api/points/areas')).F1, [-4, 5]);
    assert.deepEqual((await totalsOf('/api/points/units')).HWC, [-4, 5]);
    const audit = await client.database.db.selectFrom('audit_log').select('detail').where('action', '=', 'points_entry.reverse').execute();
    assert.equal(audit.length, 1, 'the reversal is in the audit log');
    assert.match(String(audit[0]!.detail), new RegExp(`申诉 ${upheld}`));

    const db = client.database.db;
    const count = async () => (await db.selectFrom('points_entries').select('id').execute()).length;
    const before = await count();
    const again = await ok(await office('POST', '/api/points/sweep', { year: 2025 }));
    assert.deepEqual(sweepCounts(again.responsibility), { years: [2025], finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 });
    assert.equal(await count(), before, 'a second sweep records nothing');
    assert.deepEqual((await totalsOf('/api/points/areas')).F1, [-4, 5]);
  });
});
