import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { after, before, test } from 'node:test';
import { drawInspection } from '@cityops/domain/evaluation/sampling';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import { actOnRun } from './runs.service.ts';
import { DISTRICTS, TEST_CHECKLIST, TEST_SCHEME, buildEvaluationCity, type EvaluationWorld } from './evaluation.test-support.ts';

interface Point { id: number; unit: { code: string }; seq: number; grid: { code: string; lon: number; lat: number }; evaluator: { id: number } }
const [D1, D2, D3, D4] = DISTRICTS;

describeOnBothDatabases('comprehensive evaluation (综合考评): a month by hand', (database) => {
  let client: TestClient;
  let world: EvaluationWorld;
  let points: Point[] = [];
  let roundId = 0;
  let runId = 0;
  const findingIds: Record<string, number> = {};
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    world = await buildEvaluationCity(client);
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.office, body });
  const ranking = async (id = runId) => (await office('GET', `/api/evaluation/runs/${id}`)).json() as { state: string; ranking: { unit: { code: string }; total: number; rank: number; place: number; amountYuan: number; warnings: string[] }[]; appealDeadline: string };
  const table = (r: Awaited<ReturnType<typeof ranking>>) => r.ranking.map((x) => [x.unit.code, x.total, x.rank, x.amountYuan]);

  test('invalid standards and schemes are refused with each field named, and nothing is saved', async () => {
    const badChecklist = await office('PUT', '/api/evaluation/checklists/test', { standard: { ...TEST_CHECKLIST, items: [{ ...TEST_CHECKLIST.items[0], deduction: 0, classCode: '99999' }] } });
    assert.equal(badChecklist.statusCode, 400);
    assert.deepEqual(badChecklist.json().error.issues.map((i: { field: string }) => i.field), ['standard.items[0].deduction', 'standard.items[0].classCode']);
    const badScheme = await office('PUT', '/api/evaluation/schemes/city-2026', { scheme: { ...TEST_SCHEME, components: TEST_SCHEME.components.slice(0, 2), handicaps: [{ unitCode: '990199', points: -1, reason: 'x' }], ladder: { rewards: [1, 2], penalties: [] } } });
    assert.equal(badScheme.statusCode, 400);
    assert.deepEqual(badScheme.json().error.issues.map((i: { field: string }) => i.field).sort(), ['scheme.components', 'scheme.handicaps[0].unitCode', 'scheme.inspection.checklistCode', 'scheme.ladder.rewards[1]']);
    const stored = await client.database.db.selectFrom('evaluation_schemes').select('id').execute();
    assert.equal(stored.length, 0);
    const evaluatorTries = await client.request('PUT', '/api/evaluation/schemes/city-2026', { token: world.tokens.evaluator1, body: { scheme: TEST_SCHEME } });
    assert.equal(evaluatorTries.statusCode, 403);
  });

  test('the office saves the standard and the scheme; a round draws four points per district and its evaluators from a recorded seed', async () => {
    assert.equal((await office('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST, reason: '2026 标准' })).statusCode, 200);
    const saved = await office('PUT', '/api/evaluation/schemes/city-2026', { scheme: TEST_SCHEME, reason: '2026 方案' });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 1);
    const round = await office('POST', '/api/evaluation/rounds', { schemeCode: 'city-2026', period: '2026-10', seed: 7 });
    assert.equal(round.statusCode, 201, round.body);
    roundId = round.json().id;
    points = round.json().points;
    assert.equal(round.json().seed, 7);
    assert.deepEqual(DISTRICTS.map((d) => points.filter((p) => p.unit.code === d).length), [4, 4, 4, 4]);
    // Anyone can repeat the draw from the recorded seed: the same grids and evaluators.
    const units = DISTRICTS.map((d) => ({ unitCode: d, grids: [1, 2].map((g) => ({ id: 0, code: `${d}00100100${g}` })) }));
    const redraw = drawInspection(7, units, 4, [world.userIds.evaluator1!, world.userIds.evaluator2!]);
    assert.deepEqual(points.map((p) => [p.unit.code, p.seq, p.grid.code, p.evaluator.id]), redraw.map((p) => [p.unitCode, p.seq, p.gridCode, p.evaluatorId]));
    const load = [world.userIds.evaluator1, world.userIds.evaluator2].map((e) => points.filter((p) => p.evaluator.id === e).length);
    assert.deepEqual(load, [8, 8]);
  });

  const tokenOf = (p: Point) => (p.evaluator.id === world.userIds.evaluator1 ? world.tokens.evaluator1 : world.tokens.evaluator2);
  const find = async (unit: string, itemCode: string, occurrences: number, extra: Record<string, unknown> = {}) => {
    const p = points.find((x) => x.unit.code === unit)!;
    const token = tokenOf(p);
    const attachmentId = await uploadPhoto(client, token);
    return client.request('POST', `/api/evaluation/rounds/${roundId}/findings`, { token, body: {
      pointId: p.id, itemCode, occurrences, location: { lon: p.grid.lon, lat: p.grid.lat }, foundAt: '2026-10-20 10:00', attachmentId, ...extra,
    } });
  };

  test('evaluators record findings with photo, GPS and time; each opens a rectification case; bad ones are refused', async () => {
    for (const [unit, item, n, key] of [[D1, 'A01', 2, 'd1a01'], [D1, 'A02', 1, 'd1a02'], [D2, 'A03', 10, 'd2a03'], [D3, 'A01', 1, 'd3a01']] as const) {
      const res = await find(unit, item, n, { clientRef: key });
      assert.equal(res.statusCode, 201, res.body);
      findingIds[key] = res.json().findingId;
      assert.ok(res.json().caseId > 0);
    }
    // The phone retries an upload it did not hear back from: the first finding, no second case.
    const retry = await find(D3, 'A01', 1, { clientRef: 'd3a01' });
    assert.deepEqual([retry.statusCode, retry.json().findingId, retry.json().replayed], [200, findingIds.d3a01, true]);
    const cases = await client.database.db.selectFrom('cases').select(['source', 'external_ref', 'class_code', 'reported_at']).orderBy('id').execute();
    assert.deepEqual(cases.map((c) => [c.source, c.class_code]), [['third_party', '06010'], ['third_party', '01023'], ['third_party', '07001'], ['third_party', '06010']]);
    assert.equal(cases[0]!.external_ref, `finding-${findingIds.d1a01}`);
    assert.equal(cases[0]!.reported_at, Date.parse('2026-10-20T10:00:00+08:00'));

    const p1 = points.find((x) => x.unit.code === D1)!;
    const other = tokenOf(p1) === world.tokens.evaluator1 ? world.tokens.evaluator2 : world.tokens.evaluator1;
    const wrongEvaluator = await client.request('POST', `/api/evaluation/rounds/${roundId}/findings`, { token: other, body: { pointId: p1.id, itemCode: 'A01', occurrences: 1, location: { lon: p1.grid.lon, lat: p1.grid.lat }, foundAt: '2026-10-20 10:00', attachmentId: await uploadPhoto(client, other) } });
    assert.equal(wrongEvaluator.statusCode, 403);
    const noPhoto = await client.request('POST', `/api/evaluation/rounds/${roundId}/findings`, { token: tokenOf(p1), body: { pointId: p1.id, itemCode: 'A01', occurrences: 1, location: { lon: p1.grid.lon, lat: p1.grid.lat }, foundAt: '2026-10-20 10:00' } });
    assert.deepEqual([noPhoto.statusCode, noPhoto.json().error.issues.map((i: { field: string }) => i.field)], [400, ['attachmentId']]);
    const elsewhere = await find(D1, 'A01', 1, { location: { lon: 118.8065, lat: 32.0005 } });
    assert.deepEqual([elsewhere.statusCode, elsewhere.json().error.issues.map((i: { field: string }) => i.field)], [400, ['location']]);
    const november = await find(D1, 'A01', 1, { foundAt: '2026-11-02 10:00' });
    assert.deepEqual([november.statusCode, november.json().error.issues.map((i: { field: string }) => i.field)], [400, ['foundAt']]);
    assert.equal((await client.database.db.selectFrom('inspection_findings').select('id').execute()).length, 4, 'nothing of the refused findings was kept');
  });

  test('the draft by hand: deductions × 2 (4 points against 8), entered scores with reasons, a penalty, a capped bonus, the handicap, the ladder', async () => {
    const opened = await office('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-10' });
    assert.equal(opened.statusCode, 201, opened.body);
    runId = opened.json().id;
    const entries: [string, string, number][] = [
      [D1, 'special_tasks', 90], [D1, 'survey', 80], [D2, 'special_tasks', 80], [D2, 'survey', 90],
      [D3, 'special_tasks', 85], [D3, 'survey', 77], [D4, 'special_tasks', 70], [D4, 'survey', 88],
      [D2, 'media_exposure', 2], [D4, 'major_event', 7],
    ];
    for (const [unitCode, code, value] of entries) {
      const res = await office('PUT', `/api/evaluation/runs/${runId}/entries`, { unitCode, code, value, reason: `${code} 依据台账` });
      assert.equal(res.statusCode, 200, res.body);
    }
    const computed = await office('PUT', `/api/evaluation/runs/${runId}/entries`, { unitCode: D1, code: 'inspection', value: 100, reason: 'x' });
    assert.deepEqual([computed.statusCode, computed.json().error.issues[0].field], [400, 'code']);
    // D1: inspection 100 − (2×0.5×2 + 1×2×2) = 94; (60×94 + 20×90 + 20×80)/100 = 90.40; −1 handicap = 89.40.
    // D2: 100 − min(3, 10×0.2×2) = 97; (5820 + 1600 + 1800)/100 = 92.20; −2 媒体曝光 = 90.20.
    // D3: 100 − 1×0.5×2 = 99; (5940 + 1700 + 1540)/100 = 91.80.
    // D4: 100; (6000 + 1400 + 1760)/100 = 91.60; +5 (7 entered, capped) = 96.60.
    const draft = await ranking();
    assert.equal(draft.state, 'draft');
    assert.deepEqual(table(draft), [[D4, 96.6, 1, 1_000_000], [D3, 91.8, 2, 500_000], [D2, 90.2, 3, -300_000], [D1, 89.4, 4, -1_000_000]]);
    assert.deepEqual(draft.ranking.find((r) => r.unit.code === D1)!.warnings, ['A01 暴露垃圾: −2 of 5 (40%)', 'A02 井盖缺失: −4 of 6 (66.7%)']);
    assert.deepEqual(draft.ranking.find((r) => r.unit.code === D2)!.warnings, ['A03 非法小广告: −3 of 3 (100%)']);
    // A unit's government does not see a draft at all.
    assert.equal((await client.request('GET', `/api/evaluation/runs/${runId}`, { token: world.tokens.gov[0] })).statusCode, 404);
  });

  test('issued: units read it and appeal within the window; the office rules; the final result moves D1 up a place', async () => {
    const issued = await office('POST', `/api/evaluation/runs/${runId}/actions/issue`, {});
    assert.equal(issued.statusCode, 200, issued.body);
    const deadline = Date.parse(issued.json().appealDeadline);
    assert.equal((await client.request('GET', `/api/evaluation/runs/${runId}`, { token: world.tokens.gov[0] })).statusCode, 200);
    const appeal = (gov: number, body: Record<string, unknown>) => client.request('POST', `/api/evaluation/runs/${runId}/appeals`, { token: world.tokens.gov[gov], body });
    assert.equal((await appeal(0, { unitCode: D2, entryCode: 'media_exposure', text: '代为申诉' })).statusCode, 403, 'a district appeals for itself only');
    const evidence = await uploadPhoto(client, world.tokens.gov[0]!);
    const a1 = await appeal(0, { unitCode: D1, findingId: findingIds.d1a02, text: '该井盖位于在建工地红线内,不属本区管养范围', attachmentIds: [evidence] });
    // The evidence goes with the appeal: the office that rules reads it, another district does not.
    assert.deepEqual((await ranking() as unknown as { appeals: { evidence: number[] }[] }).appeals.map((a) => a.evidence), [[evidence]]);
    assert.equal((await office('GET', `/api/attachments/${evidence}`)).statusCode, 200);
    assert.equal((await client.request('GET', `/api/attachments/${evidence}`, { token: world.tokens.gov[1] })).statusCode, 404);
    assert.equal(a1.statusCode, 201, a1.body);
    const a2 = await appeal(1, { unitCode: D2, entryCode: 'media_exposure', text: '曝光问题已于当日整改' });
    assert.equal(a2.statusCode, 201);
    assert.equal((await office('POST', `/api/evaluation/runs/${runId}/actions/finalize`, {})).statusCode, 409, 'the window is open');
    const noReason = await office('POST', `/api/evaluation/appeals/${a1.json().id}/ruling`, { outcome: 'upheld', ruling: ' ' });
    assert.deepEqual([noReason.statusCode, noReason.json().error.issues[0].field], [400, 'ruling']);
    assert.equal((await office('POST', `/api/evaluation/appeals/${a1.json().id}/ruling`, { outcome: 'upheld', ruling: '经核实属施工单位责任' })).statusCode, 200);
    const db = client.database.db;
    await assert.rejects(actOnRun(db, world.actors.office, runId, 'finalize', {}, deadline + 1000), /appeal/, 'an appeal is pending');
    assert.equal((await office('POST', `/api/evaluation/appeals/${a2.json().id}/ruling`, { outcome: 'rejected', ruling: '曝光时问题存在,扣分成立' })).statusCode, 200);
    await actOnRun(db, world.actors.office, runId, 'finalize', {}, deadline + 1000);
    // D1 without A02: 100 − 2 = 98; (5880 + 1800 + 1600)/100 = 92.80; −1 = 91.80: level with D3, behind it on inspection (99 > 98).
    const final = await ranking();
    assert.equal(final.state, 'final');
    assert.deepEqual(table(final), [[D4, 96.6, 1, 1_000_000], [D3, 91.8, 2, 500_000], [D1, 91.8, 3, -300_000], [D2, 90.2, 4, -1_000_000]]);
    const issuedRows = await db.selectFrom('evaluation_results').innerJoin('territory_nodes as u', 'u.id', 'evaluation_results.unit_node_id').select(['u.code', 'total']).where('run_id', '=', runId).where('stage', '=', 'preliminary').orderBy('u.code').execute();
    assert.deepEqual(issuedRows.map((r) => [r.code, Number(r.total)]), [[D1, 89.4], [D2, 90.2], [D3, 91.8], [D4, 96.6]], 'the preliminary result stays as it was issued');
  });

  test('every point of D1\'s score traces to its findings, cases, entries and the ruling', async () => {
    const trace = (await client.request('GET', `/api/evaluation/runs/${runId}/units/${D1}/trace`, { token: world.tokens.gov[0] })).json();
    assert.equal(trace.total, 91.8);
    assert.deepEqual(trace.score.inspection.items.map((i: { itemCode: string; deduction: number }) => [i.itemCode, i.deduction]), [['A01', 2]]);
    assert.deepEqual(trace.findings.map((f: { itemCode: string; voidedByAppealId: number | null; case: { code: string } | null }) => [f.itemCode, f.voidedByAppealId !== null, f.case !== null]), [['A01', false, true], ['A02', true, true]]);
    assert.ok(trace.findings.every((f: { photoId: number | null }) => f.photoId !== null));
    assert.deepEqual(trace.entries.map((e: { code: string; value: number; reason: string }) => [e.code, e.value, e.reason]), [['special_tasks', 90, 'special_tasks 依据台账'], ['survey', 80, 'survey 依据台账']]);
    assert.deepEqual(trace.appeals.map((a: { outcome: string; ruling: string }) => [a.outcome, a.ruling]), [['upheld', '经核实属施工单位责任']]);
    // The parts add up to the total: Σ weight × score / 100 + adjustments + handicap.
    const s = trace.score;
    const parts = s.components.reduce((sum: number, c: { weight: number; score: number }) => sum + c.weight * c.score, 0) / 100 + s.adjustments.reduce((a: number, x: { points: number }) => a + x.points, 0) + s.handicap;
    assert.equal(Math.round(parts * 100) / 100, trace.total);
    assert.equal((await client.request('GET', `/api/evaluation/runs/${runId}/units/${D2}/trace`, { token: world.tokens.gov[0] })).statusCode, 200, 'a district sees how its neighbours were scored');
  });

  test('published: on the public page, never changed in place; a correction is a new version with its reason', async () => {
    assert.equal((await office('POST', `/api/evaluation/runs/${runId}/actions/publish`, {})).statusCode, 200);
    const db = client.database.db;
    const snapshot = async () => db.selectFrom('evaluation_results').selectAll().where('run_id', '=', runId).orderBy('stage').orderBy('unit_node_id').execute();
    const before = await snapshot();
    assert.equal((await office('PUT', `/api/evaluation/runs/${runId}/entries`, { unitCode: D2, code: 'survey', value: 95, reason: 'x' })).statusCode, 409);
    assert.equal((await office('POST', `/api/evaluation/runs/${runId}/actions/recompute`, {})).statusCode, 409);
    assert.deepEqual(await snapshot(), before);
    const pub = await client.request('GET', '/api/public/rankings');
    assert.equal(pub.statusCode, 200);
    assert.deepEqual(pub.json().items[0].ranking.map((r: { unit: { code: string }; total: number; amountYuan: number }) => [r.unit.code, r.total, r.amountYuan]), [[D4, 96.6, 1_000_000], [D3, 91.8, 500_000], [D1, 91.8, -300_000], [D2, 90.2, -1_000_000]]);
    assert.ok(!/evaluator|reporter|phone/i.test(pub.body), 'no persons on the public page');

    assert.deepEqual((await office('POST', `/api/evaluation/runs/${runId}/actions/correct`, {})).json().error.issues.map((i: { field: string }) => i.field), ['reason']);
    const corrected = await office('POST', `/api/evaluation/runs/${runId}/actions/correct`, { reason: '第2区群众满意度调查数据录入错误' });
    assert.equal(corrected.statusCode, 200, corrected.body);
    const v2 = corrected.json().id as number;
    assert.deepEqual([corrected.json().version, corrected.json().state, corrected.json().supersedesId], [2, 'draft', runId]);
    assert.equal((await office('PUT', `/api/evaluation/runs/${v2}/entries`, { unitCode: D2, code: 'survey', value: 95, reason: '更正:调查报告第3页' })).statusCode, 200);
    assert.equal((await client.request('GET', '/api/public/rankings')).json().items[0].version, 1, 'the published version stands until the correction is published');
    const issued = await office('POST', `/api/evaluation/runs/${v2}/actions/issue`, {});
    await actOnRun(db, world.actors.office, v2, 'finalize', {}, Date.parse(issued.json().appealDeadline) + 1);
    assert.equal((await office('POST', `/api/evaluation/runs/${v2}/actions/publish`, {})).statusCode, 200);
    // D2: (5820 + 1600 + 20 × 95)/100 = 93.20; −2 = 91.20, still last.
    const latest = (await client.request('GET', '/api/public/rankings')).json().items;
    assert.equal(latest.length, 1);
    assert.deepEqual([latest[0].version, latest[0].correction], [2, '第2区群众满意度调查数据录入错误']);
    assert.deepEqual(latest[0].ranking.map((r: { unit: { code: string }; total: number }) => [r.unit.code, r.total]), [[D4, 96.6], [D3, 91.8], [D1, 91.8], [D2, 91.2]]);
    assert.equal((await ranking(runId)).state, 'superseded');
    assert.deepEqual(await snapshot(), before, 'version 1 is kept as it was published');
  });

  test('the quarter ranks by the mean of its published months', async () => {
    const q = await client.request('GET', '/api/evaluation/rankings?scheme=city-2026&period=2026-Q4', { token: world.tokens.leader });
    assert.equal(q.statusCode, 200, q.body);
    assert.deepEqual(q.json().months, ['2026-10']);
    assert.deepEqual(q.json().ranking.map((r: { unit: { code: string }; average: number; rank: number; amountYuan: number }) => [r.unit.code, r.average, r.rank, r.amountYuan]),
      [[D4, 96.6, 1, 1_000_000], [D1, 91.8, 2, -300_000], [D3, 91.8, 2, 500_000], [D2, 91.2, 4, -1_000_000]]);
    const xlsx = await client.app.inject({ method: 'GET', url: '/api/evaluation/rankings?scheme=city-2026&period=2026-Q4&format=xlsx', headers: { authorization: `Bearer ${world.tokens.gov[1]}` } });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('排名')!;
    assert.equal(ws.getCell('A1').value, '2026年第四季度考评市城市管理综合考评季度排名');
    assert.deepEqual((ws.getRow(4).values as unknown[]).slice(1), ['2（并列）', '第1区', 1, '91.80', '−300,000.00']);
    const pdf = await client.app.inject({ method: 'GET', url: '/api/evaluation/rankings?scheme=city-2026&period=2026&format=pdf', headers: { authorization: `Bearer ${world.tokens.leader}` } });
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await client.request('GET', '/api/evaluation/rankings?scheme=city-2026&period=2026-Q4', { token: world.tokens.evaluator1 })).statusCode, 403);
    assert.equal((await client.request('GET', '/api/evaluation/rankings?scheme=city-2026&period=2026-10', { token: world.tokens.leader })).statusCode, 400);
  });

  test('who may do what: evaluators record findings only, units appeal only, nobody but the office moves a result', async () => {
    const asGov = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.gov[0], body });
    assert.equal((await asGov('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-11' })).statusCode, 403);
    assert.equal((await asGov('POST', `/api/evaluation/runs/${runId}/actions/correct`, { reason: 'x' })).statusCode, 403);
    assert.equal((await asGov('POST', '/api/evaluation/rounds', { schemeCode: 'city-2026', period: '2026-11' })).statusCode, 403);
    assert.equal((await client.request('GET', `/api/evaluation/runs/${runId}`, { token: world.tokens.evaluator1 })).statusCode, 403);
    assert.equal((await client.request('POST', `/api/evaluation/runs/${runId}/appeals`, { token: world.tokens.office, body: { unitCode: D1, entryCode: 'survey', text: 'x' } })).statusCode, 403);
    assert.equal((await client.request('GET', `/api/evaluation/runs/${runId}`)).statusCode, 401);
  });

  test('the printed results: the ranking and the settlement list in XLSX and PDF', async () => {
    const runs = (await office('GET', '/api/evaluation/runs?scheme=city-2026&period=2026-10')).json().items as { id: number; version: number }[];
    const v2 = runs.find((r) => r.version === 2)!.id;
    const xlsx = await client.app.inject({ method: 'GET', url: `/api/evaluation/runs/${v2}/report?format=xlsx`, headers: { authorization: `Bearer ${world.tokens.leader}` } });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const ranking = wb.getWorksheet('排名')!;
    assert.equal(ranking.getCell('A1').value, '2026年10月考评市城市管理综合考评结果(第2版)');
    assert.deepEqual((ranking.getRow(2).values as unknown[]).slice(1), ['名次', '单位', '综合得分', '较上月', '名次变化', '第三方暗访(60%)', '专项工作(20%)', '群众满意度调查(20%)', '加减分', '调整', '奖惩金额(元)', '预警']);
    assert.deepEqual((ranking.getRow(3).values as unknown[]).slice(1), ['1', '第4区', '96.60', '—', '—', '100.00', '70.00', '88.00', '+5.00', '', '+1,000,000.00', '']);
    assert.deepEqual((ranking.getRow(6).values as unknown[]).slice(1, 4), ['4', '第2区', '91.20']);
    const settlement = wb.getWorksheet('奖惩兑现清单')!;
    assert.deepEqual([3, 4, 5, 6].map((r) => (settlement.getRow(r).values as unknown[]).slice(2)), [
      ['第4区', '1', '奖励', '+1,000,000.00'], ['第3区', '2', '奖励', '+500,000.00'], ['第1区', '3', '处罚', '−300,000.00'], ['第2区', '4', '处罚', '−1,000,000.00'],
    ]);
    const pdf = await client.app.inject({ method: 'GET', url: `/api/evaluation/runs/${v2}/report?format=pdf`, headers: { authorization: `Bearer ${world.tokens.leader}` } });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    if (spawnSync('pdftotext', ['-v']).error) return;
    const dir = mkdtempSync(join(tmpdir(), 'cityops-eval-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf.rawPayload);
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
      for (const expected of ['考评市城市管理综合考评结果', '第4区', '96.60', '奖惩兑现清单', '+1,000,000.00', '更正说明:第2区群众满意度调查数据录入错误']) assert.ok(text.includes(expected), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
