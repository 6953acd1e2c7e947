import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildOctober, type OctoberWorld } from '../indicators/indicators.test-support.ts';

describeOnBothDatabases('department reports (半月通报 and monthly)', (database) => {
  let client: TestClient;
  let world: OctoberWorld;
  let office: string;
  before(async () => {
    client = await buildTestApp(database());
    world = await buildOctober(client);
    await world.november();
    office = await client.tokenFor([{ role: 'evaluation_office', territoryCode: FIXTURE.city }]);
  });
  after(() => client.close());

  test('October: the rows, totals, rank and the overdue cases, by hand', async () => {
    const res = await client.request('GET', '/api/reports/departments?period=2026-10', { token: office });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.title, '2026年10月专业部门案件处置情况月度通报');
    assert.deepEqual(r.rows.map((row: { department: { code: string }; rank: number | null }) => [row.department.code, row.rank]), [['HWC', 1], ['SZC', null]]);
    const hwc = r.rows[0];
    assert.deepEqual([hwc.dispatched, hwc.dueToHandle, hwc.handled, hwc.handledOnTime, hwc.overdue, hwc.reworked, hwc.extended, hwc.returned, hwc.dueToClose, hwc.closed],
      [3, 7, 6, 5, 2, 2, 1, 0, 5, 4]);
    assert.deepEqual([hwc.onTimeHandlingRate.text, hwc.handlingRate.text, hwc.reworkRate.text, hwc.closingRate.text, hwc.rankChange], ['71.43%', '85.71%', '33.33%', '80.00%', null]);
    assert.deepEqual([r.rows[1].returned, r.rows[1].onTimeHandlingRate.text], [1, '—']);
    assert.deepEqual([r.totals.dispatched, r.totals.returned, r.totals.onTimeHandlingRate.text], [4, 1, '71.43%']);
    // B's first round: due 12 Oct 15:30, reported back 13 Oct 09:00 → 2.5 h + 1 h late.
    // D: due Fri 30 Oct 18:00, not reported back by 1 Nov (a weekend followed): 0 working hours yet.
    assert.deepEqual(r.overdueCases.map((c: { code: string; dueAt: string; handledAt: string | null; hoursLate: number }) => [c.code, c.dueAt, c.handledAt, c.hoursLate]), [
      [r.overdueCases[0].code, '2026-10-12T07:30:00.000Z', '2026-10-13T01:00:00.000Z', 3.5],
      [r.overdueCases[1].code, '2026-10-30T10:00:00.000Z', null, 0],
    ]);
    const codes = await client.database.db.selectFrom('cases').select(['id', 'code']).where('id', 'in', [world.ids.B, world.ids.D]).orderBy('id').execute();
    assert.deepEqual(r.overdueCases.map((c: { code: string }) => c.code), [codes.find((c) => c.id === world.ids.B)!.code, codes.find((c) => c.id === world.ids.D)!.code]);
  });

  test('the JSON report pages the overdue cases and picks out departments; the total counts them all', async () => {
    const get = async (query: string) => {
      const res = await client.request('GET', `/api/reports/departments?period=2026-10${query}`, { token: office });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const whole = await get('');
    assert.equal(whole.overdueTotal, 2);
    const [b, d] = whole.overdueCases.map((c: { code: string }) => c.code);
    const first = await get('&overdueLimit=1');
    assert.deepEqual([first.overdueTotal, first.overdueOffset, first.overdueCases.map((c: { code: string }) => c.code)], [2, 0, [b]]);
    const second = await get('&overdueLimit=1&overdueOffset=1');
    assert.deepEqual([second.overdueTotal, second.overdueOffset, second.overdueCases.map((c: { code: string }) => c.code)], [2, 1, [d]]);
    const ids = Object.fromEntries(whole.rows.map((row: { department: { code: string; id: number } }) => [row.department.code, row.department.id]));
    const szc = await get(`&overdueDepartments=${ids.SZC}`);
    assert.deepEqual([szc.overdueTotal, szc.overdueCases], [0, []]);
    assert.equal((await get(`&overdueDepartments=${ids.SZC},${ids.HWC}`)).overdueTotal, 2);
    // The ranking is the whole city's whatever page is asked for.
    assert.deepEqual(szc.rows.map((row: { department: { code: string } }) => row.department.code), ['HWC', 'SZC']);
    const bad = await client.request('GET', '/api/reports/departments?period=2026-10&overdueDepartments=hwc', { token: office });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /overdueDepartments/);
  });

  test('half-monthly: the second half of October has only D', async () => {
    const r = (await client.request('GET', '/api/reports/departments?period=2026-10-H2', { token: office })).json();
    assert.equal(r.title, '2026年10月下半月专业部门案件处置情况半月通报');
    assert.deepEqual(r.rows.map((row: { department: { code: string }; dueToHandle: number; handled: number; onTimeHandlingRate: { text: string } }) => [row.department.code, row.dueToHandle, row.handled, row.onTimeHandlingRate.text]), [['HWC', 1, 0, '0.00%']]);
    assert.equal(r.overdueCases.length, 1);
  });

  test('XLSX and PDF downloads', async () => {
    const xlsx = await client.request('GET', '/api/reports/departments?period=2026-10&format=xlsx', { token: office });
    assert.equal(xlsx.statusCode, 200);
    assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
    assert.match(String(xlsx.headers['content-disposition']), /department-report-2026-10\.xlsx/);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
    const pdf = await client.request('GET', '/api/reports/departments?period=2026-10&format=pdf', { token: office });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await client.request('GET', '/api/reports/departments?period=2026-10', { token: world.w.tokens.public })).statusCode, 403);
  });

  test('the ranking is on the department scheme\'s report indicator: 按期处置率 by default, another once the office saves one', async () => {
    const report = async () => (await client.request('GET', '/api/reports/departments?period=2026-10', { token: office })).json();
    const before = await report();
    assert.deepEqual(before.ranking, { indicator: 'on_time_handling_rate', zh: '按期处置率', en: 'On-time handling rate', better: 'higher', schemeVersion: 0 });
    assert.equal(before.notes.at(-1), '排名按按期处置率（保留两位小数）由高到低，相同者并列；名次变化与上一同类周期比较（部门评价方案默认）。');

    const put = (subject: string, scheme: unknown) => client.request('PUT', `/api/performance-schemes/${subject}`, { token: office, body: { scheme, reason: '通报按返工率排名' } });
    const current = (await client.request('GET', '/api/performance-schemes/department', { token: office })).json().scheme;
    // Only the department scheme ranks a report, and only on an indicator a department has.
    const region = (await client.request('GET', '/api/performance-schemes/region', { token: office })).json().scheme;
    const wrongSubject = await put('region', { ...region, reportRanking: { indicator: 'closing_rate' } });
    assert.equal(wrongSubject.statusCode, 400, wrongSubject.body);
    assert.deepEqual(wrongSubject.json().error.issues.map((i: { field: string }) => i.field), ['scheme.reportRanking']);
    const notDepartments = await put('department', { ...current, reportRanking: { indicator: 'valid_report_rate' } });
    assert.equal(notDepartments.statusCode, 400, notDepartments.body);
    assert.deepEqual(notDepartments.json().error.issues.map((i: { field: string }) => i.field), ['scheme.reportRanking.indicator']);

    const saved = await put('department', { ...current, reportRanking: { indicator: 'rework_rate' } });
    assert.equal(saved.statusCode, 200, saved.body);
    const after = await report();
    assert.deepEqual([after.ranking.indicator, after.ranking.better, after.ranking.schemeVersion], ['rework_rate', 'lower', 1]);
    assert.equal(after.notes.at(-1), '排名按返工率（保留两位小数）由低到高，相同者并列；名次变化与上一同类周期比较（部门评价方案第1版）。');
    // HWC reworked 2 of 6 handled (33.33 %: ranked on 66.67); SZC handled nothing, has no 返工率 and stays unranked.
    assert.deepEqual(after.rows.map((r: { department: { code: string }; rank: number | null }) => [r.department.code, r.rank]), [['HWC', 1], ['SZC', null]]);
  });
});
