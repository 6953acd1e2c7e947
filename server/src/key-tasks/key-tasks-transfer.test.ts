// The month's special-task scores transferred into a draft evaluation run in one step (the trace as each entry's
// reason), refused for the wrong month and for a published run; and the printed progress and scores (XLSX, PDF).
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { TEST_CHECKLIST, TEST_SCHEME, buildEvaluationCity, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { actOnRun } from '../evaluation/runs.service.ts';
import { markOverdueMilestones } from './progress.service.ts';
import { at, playMarch, setUpPlan, type KeyTaskWorld } from './key-tasks.test-support.ts';

const DAY = 86_400_000;

describeOnBothDatabases('key tasks → the evaluation\'s special-task component, and the printed progress', (database) => {
  let client: TestClient;
  let world: EvaluationWorld;
  let k: KeyTaskWorld;
  let runId = 0;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    world = await buildEvaluationCity(client);
    k = await setUpPlan(client, world);
    await playMarch(client, world, k);
    await markOverdueMilestones(client.database.db, at('2026-04-02T00:00:00Z'));
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.office, body });
  const entries = async () => (await client.database.db.selectFrom('evaluation_entries as e').innerJoin('territory_nodes as n', 'n.id', 'e.unit_node_id')
    .select(['n.code', 'e.code as component', 'e.value', 'e.reason']).where('e.run_id', '=', runId).orderBy('n.code').execute()).map((e) => [e.code, e.component, e.value, e.reason.split('（')[0]]);

  test('the office transfers March into the draft run: the districts scored, the others listed as skipped, the trace as the reason', async () => {
    assert.equal((await office('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST, reason: '标准' })).statusCode, 200);
    assert.equal((await office('PUT', '/api/evaluation/schemes/city-2026', { scheme: TEST_SCHEME, reason: '方案' })).statusCode, 200);
    const run = await office('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-03' });
    assert.equal(run.statusCode, 201, run.body);
    runId = run.json().id;
    const wrong = await office('POST', `/api/key-tasks/plans/${k.planId}/transfer`, { runId, month: '2026-04' });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(wrong.json().error.issues.map((i: { field: string }) => i.field), ['month']);
    const notEntered = await office('POST', `/api/key-tasks/plans/${k.planId}/transfer`, { runId, month: '2026-03', componentCode: 'inspection' });
    assert.deepEqual(notEntered.json().error.issues.map((i: { field: string }) => i.field), ['componentCode']);
    const gov = await client.request('POST', `/api/key-tasks/plans/${k.planId}/transfer`, { token: k.tokens.gov['990101']!, body: { runId, month: '2026-03' } });
    assert.equal(gov.statusCode, 403);
    assert.deepEqual(await entries(), []);

    const res = await office('POST', `/api/key-tasks/plans/${k.planId}/transfer`, { runId, month: '2026-03' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.written.map((w: { unitCode: string; value: number }) => [w.unitCode, w.value]), [['990101', 93], ['990102', 96], ['990103', 98.5]]);
    assert.deepEqual(body.skipped.map((s: { unitCode: string }) => s.unitCode), ['CGJ', 'SZJ', '990104']);
    assert.deepEqual(await entries(), [
      ['990101', 'special_tasks', 93, '重点任务「2026年“双十”专项行动」2026-03 专项工作 93 分'],
      ['990102', 'special_tasks', 96, '重点任务「2026年“双十”专项行动」2026-03 专项工作 96 分'],
      ['990103', 'special_tasks', 98.5, '重点任务「2026年“双十”专项行动」2026-03 专项工作 98.5 分'],
    ]);
    const full = await client.database.db.selectFrom('evaluation_entries').select('reason').where('run_id', '=', runId).where('value', '=', 93).executeTakeFirstOrThrow();
    assert.equal(full.reason, body.written[0].reason);
    assert.match(full.reason, /-5 节点逾期 1 摸底调查（牵头单位，到期 2026-03-15）；-2 验收退回 1 方案编制（牵头单位）$/);
    // The draft's results were recomputed with the entries: the run shows them per unit.
    const view = (await office('GET', `/api/evaluation/runs/${runId}`)).json();
    const special = (code: string) => view.ranking.find((r: { unit: { code: string } }) => r.unit.code === code).components.find((c: { code: string }) => c.code === 'special_tasks').score;
    assert.deepEqual(['990101', '990102', '990103'].map(special), [93, 96, 98.5]);
    const audit = await client.database.db.selectFrom('audit_log').select(['action', 'entity_ref']).where('action', '=', 'key_task.transfer').execute();
    assert.deepEqual(audit.map((a) => [a.action, a.entity_ref]), [['key_task.transfer', String(runId)]]);
  });

  test('a published run is refused (409) and its entries stay as they were', async () => {
    const now = Date.now();
    await actOnRun(client.database.db, world.actors.office, runId, 'issue', {}, now);
    await actOnRun(client.database.db, world.actors.office, runId, 'finalize', {}, now + 6 * DAY);
    await actOnRun(client.database.db, world.actors.office, runId, 'publish', {}, now + 6 * DAY);
    const before = await entries();
    const res = await office('POST', `/api/key-tasks/plans/${k.planId}/transfer`, { runId, month: '2026-03' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'invalid_state');
    assert.deepEqual(await entries(), before);
  });

  test('the printed progress and March\'s scores: XLSX rows by milestone and unit, and a PDF', async () => {
    const xlsx = await office('GET', `/api/key-tasks/plans/${k.planId}/report?format=xlsx&month=2026-03`);
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const progress = wb.getWorksheet('推进情况')!;
    const rows = (ws: ExcelJS.Worksheet, from: number, n: number) => Array.from({ length: n }, (_, i) => (ws.getRow(from + i).values as unknown[]).slice(1));
    const cells = rows(progress, 3, 6).map((r) => [r[0], r[2], r[4], r[6], r[7]]);
    assert.deepEqual(cells, [
      ['1', '第1区', '摸底调查', '2026-03-15', '已逾期'],
      ['1', '第1区', '方案编制', '2026-03-31', '按时完成'],
      ['2', '第2区', '开工', '2026-03-29(周)', '按时完成'],
      ['2', '第2区', '完工', '2026-04-30', '已逾期'],
      ['2.1', '第2区', '电梯选型', '2026-03-20', '逾期完成'],
      ['3', '市城市管理局', '专项整治', '2026-03-31', '已逾期'],
    ]);
    const scores = wb.getWorksheet('专项工作得分')!;
    assert.deepEqual(rows(scores, 3, 5).map((r) => [r[0], r[1], r[2], r[3]]), [
      ['第1区', '93', '7', ''], ['第2区', '96', '5', '1'], ['第3区', '98.5', '2', '0.5'], ['市城市管理局', '95', '5', ''], ['市住房和城乡建设局', '98', '2', ''],
    ]);
    const pdf = await office('GET', `/api/key-tasks/plans/${k.planId}/report?format=pdf&month=2026-03`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const foreign = await client.request('GET', `/api/key-tasks/plans/${k.planId}/report?format=xlsx`, { token: k.tokens.gov['990104']! });
    assert.equal(foreign.statusCode, 404);
  });
});
