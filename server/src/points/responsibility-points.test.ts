// Accumulated points (累计加减分) of responsibility areas and units from a month worked out by hand
// (points.test-support.ts): the sweep's entries and totals, each threshold crossed exactly once, a bonus, a
// correction that reverses, scope, the year's close that freezes the totals, the report, bad rules refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildPointsWorld, TEST_RULES, type PointsWorld, sweepCounts } from './points.test-support.ts';

interface Totals { items: { code: string; total: number; entries: number; level: { code: string } | null }[]; closedAt: string | null }

describeOnBothDatabases('accumulated points of responsibility areas and units (累计加减分)', (database) => {
  let client: TestClient;
  let w: PointsWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    w = await buildPointsWorld(client);
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: w.tokens.office, body });
  const totals = async (url: string, token = w.tokens.office) => {
    const res = await client.request('GET', url, { token });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as Totals;
    return { closedAt: body.closedAt, map: Object.fromEntries(body.items.map((i) => [i.code, [i.total, i.entries, i.level?.code ?? null]])) };
  };

  test('bad rules are refused naming each field, and nothing is saved', async () => {
    const bad = await office('PUT', '/api/points/rules/responsibility', { rules: { ...TEST_RULES, events: { ...TEST_RULES.events, case_overdue: { frontage: 2 } }, thresholds: { frontage: { warning: -4, yellow_card: -2 } }, repeatWindowDays: 0 } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.issues.map((i: { field: string }) => i.field), ['rules.events.case_overdue.frontage', 'rules.repeatWindowDays', 'rules.thresholds.frontage.yellow_card']);
    assert.equal((await office('GET', '/api/points/rules/responsibility')).json().current.version, 0, 'still the shipped rules');
    assert.equal((await office('PUT', '/api/points/rules/nonsense', { rules: TEST_RULES })).statusCode, 404);
    assert.equal((await client.request('PUT', '/api/points/rules/responsibility', { token: w.tokens.gov[0], body: { rules: TEST_RULES } })).statusCode, 403);
    const saved = await office('PUT', '/api/points/rules/responsibility', { rules: TEST_RULES, reason: '测试阈值' });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 1);
  });

  test('a sweep records each finding and case event once, against the overlay it falls in, and each threshold once', async () => {
    const res = await office('POST', '/api/points/sweep', { year: 2025 });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(sweepCounts(res.json().responsibility), { years: [2025], finding: 4, case_overdue: 2, case_repeated: 1, reversed: 0, alerts: 5 });
    // F1: fA −1×2, cA overdue −2, fE −1, cE repeated −1 = −6; R1: fB −1; D2A: fC −0.5×3, cC overdue −1 = −2.5.
    const areas = await totals('/api/points/areas?year=2025');
    assert.deepEqual(areas.map, { F1: [-6, 4, 'yellow_card'], D2A: [-2.5, 2, 'warning'], R1: [-1, 1, null] });
    // HWC answers for F1; the street for R1 and D2A.
    const units = await totals('/api/points/units?year=2025');
    assert.deepEqual(units.map, { HWC: [-6, 4, 'warning'], '990101001': [-3.5, 3, 'warning'] });
    const alerts = (await office('GET', '/api/points/alerts?year=2025')).json().items as { subject: { code: string }; level: { code: string }; crossedAt: string; total: number; threshold: number }[];
    assert.deepEqual(alerts.map((a) => [a.subject.code, a.level.code, Date.parse(a.crossedAt), a.total, a.threshold]).sort((x, y) => Number(x[2]) - Number(y[2]) || String(x[0]).localeCompare(String(y[0]))), [
      // The findings are recorded at the wall clock, after the October cases were swept (the sweep reads by
      // recording time): cA's overdue (13 Oct 16:00) had raised F1's warning at −2 before fA (found 09:00)
      // was recorded; fA then takes its place in date order, and the yellow card is reached at cA, −4.
      ['F1', 'warning', w.dueAt.cA, -2, -2],
      ['F1', 'yellow_card', w.dueAt.cA, -4, -4],
      ['990101001', 'warning', w.dueAt.cC, -3.5, -3],
      ['D2A', 'warning', w.dueAt.cC, -2.5, -2],
      ['HWC', 'warning', bj('2025-10-21 09:00'), -5, -5],
    ].sort((x, y) => Number(x[2]) - Number(y[2]) || String(x[0]).localeCompare(String(y[0]))));

    const again = await office('POST', '/api/points/sweep', { year: 2025 });
    assert.deepEqual(sweepCounts(again.json().responsibility), { years: [2025], finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 }, 'a second sweep adds nothing');
    assert.equal((await client.database.db.selectFrom('points_alerts').select('id').execute()).length, 5);
  });

  test('bonuses within the rules, with reason; a correction reverses an entry once; no threshold is crossed twice', async () => {
    const bad = await office('POST', '/api/points/entries', { areaCode: 'F1', departmentCode: 'HWC', points: 6, reason: '' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.issues.map((i: { field: string }) => i.field), ['target', 'points', 'reason']);
    const bonus = await office('POST', '/api/points/entries', { areaCode: 'F1', points: 2, reason: '门前三包示范街创建', date: '2025-12-01' });
    assert.equal(bonus.statusCode, 201, bonus.body);
    const entries = (await office('GET', '/api/points/entries?year=2025&area=R1')).json().items as { id: number; event: string; points: number }[];
    assert.deepEqual(entries.map((e) => [e.event, e.points]), [['finding', -1]]);
    const fix = await office('POST', `/api/points/entries/${entries[0]!.id}/correction`, { reason: '点位不在该路段' });
    assert.equal(fix.statusCode, 201, fix.body);
    assert.equal(fix.json().points, 1);
    assert.equal((await office('POST', `/api/points/entries/${entries[0]!.id}/correction`, { reason: 'again' })).statusCode, 409);
    assert.equal((await office('POST', `/api/points/entries/${fix.json().id as number}/correction`, { reason: 'undo' })).statusCode, 409, 'a reversal is not reversed');
    assert.deepEqual((await totals('/api/points/areas?year=2025')).map, { F1: [-4, 5, 'yellow_card'], D2A: [-2.5, 2, 'warning'], R1: [0, 2, null] });
    assert.deepEqual((await totals('/api/points/units?year=2025')).map, { HWC: [-4, 5, 'warning'], '990101001': [-2.5, 4, 'warning'] });
    // The bonus took F1 above its thresholds: another deduction takes it below again, and no alert is recorded twice.
    const db = client.database.db;
    const before = (await db.selectFrom('points_alerts').select('id').execute()).length;
    const undo = await office('POST', `/api/points/entries/${bonus.json().id as number}/correction`, { reason: '加分依据不足' });
    assert.equal(undo.statusCode, 201);
    assert.equal((await db.selectFrom('points_alerts').select('id').execute()).length, before);
    const audit = await db.selectFrom('audit_log').select('action').where('action', 'like', 'points%').execute();
    assert.deepEqual([...new Set(audit.map((a) => a.action))].sort(), ['points.sweep', 'points_entry.bonus', 'points_entry.reverse', 'points_rules.save']);
  });

  test('each reads within its scope: the street\'s government its overlays and units, a department what it answers for', async () => {
    assert.deepEqual(Object.keys((await totals('/api/points/areas?year=2025', w.tokens.gov[0])).map).sort(), ['D2A', 'F1', 'R1']);
    assert.deepEqual((await totals('/api/points/areas?year=2025', w.tokens.gov[1])).map, {});
    assert.deepEqual(Object.keys((await totals('/api/points/areas?year=2025', w.hwc.token)).map), ['F1']);
    assert.deepEqual(Object.keys((await totals('/api/points/units?year=2025', w.hwc.token)).map), ['HWC']);
    const hwcEntries = (await client.request('GET', '/api/points/entries?year=2025', { token: w.hwc.token })).json();
    assert.ok(hwcEntries.items.every((e: { area: { code: string } | null }) => e.area?.code === 'F1'), 'HWC reads only F1\'s entries');
    assert.equal((await client.request('GET', '/api/points/alerts?year=2025', { token: w.tokens.gov[1] })).json().items.length, 0);
  });

  test('a unit\'s own ledger: the entries that make its total, and only its own for a unit', async () => {
    type Entry = { event: string; points: number; area: { code: string } | null };
    const ledger = async (query: string, token = w.tokens.office) => {
      const res = await client.request('GET', `/api/points/entries?year=2025&${query}`, { token });
      return { status: res.statusCode, body: res.json() as { total: number; items: Entry[]; error?: { code: string; message: string } } };
    };
    const sum = (items: Entry[]) => items.reduce((s, e) => s + e.points * 10, 0) / 10;
    // HWC answers for F1: fA −2, cA overdue −2, fE −1, cE repeated −1, the bonus +2 and its reversal −2 = −6 in 6 entries.
    const hwc = await ledger('unit=HWC');
    assert.equal(hwc.status, 200);
    assert.deepEqual(hwc.body.items.map((e) => [e.area?.code, e.event, e.points]).sort(), [
      ['F1', 'bonus', 2], ['F1', 'case_overdue', -2], ['F1', 'case_repeated', -1], ['F1', 'correction', -2], ['F1', 'finding', -1], ['F1', 'finding', -2],
    ]);
    // The street answers for R1 and D2A: fB −1 and its correction +1, fC −1.5, cC overdue −1 = −2.5 in 4 entries.
    const street = await ledger('unit=990101001');
    assert.deepEqual(street.body.items.map((e) => [e.area?.code, e.event, e.points]).sort(), [['D2A', 'case_overdue', -1], ['D2A', 'finding', -1.5], ['R1', 'correction', 1], ['R1', 'finding', -1]]);
    const units = (await totals('/api/points/units?year=2025')).map;
    assert.deepEqual([sum(hwc.body.items), hwc.body.total], units.HWC!.slice(0, 2), 'the ledger adds up to the unit\'s total');
    assert.deepEqual([sum(street.body.items), street.body.total], units['990101001']!.slice(0, 2));
    assert.deepEqual((await ledger('unit=HWC&event=finding')).body.items.map((e) => e.points).sort((a, b) => a - b), [-2, -1]);
    // A unit reads its own ledger only; a government the units of its territory; an unknown unit is refused alike.
    assert.equal((await ledger('unit=HWC', w.hwc.token)).body.total, 6);
    const notHers = await ledger('unit=990101001', w.hwc.token);
    assert.deepEqual([notHers.status, notHers.body.error?.code], [404, 'not_found']);
    assert.match(notHers.body.error!.message, /^unit: /);
    assert.equal((await ledger('unit=990101001', w.tokens.gov[0])).body.total, 4);
    assert.equal((await ledger('unit=990101001', w.tokens.gov[1])).status, 404);
    assert.equal((await ledger('unit=HWC', w.tokens.gov[0])).status, 404, 'a city department is not the district\'s');
    assert.equal((await ledger('unit=NOPE')).status, 404);
    assert.equal((await ledger('unit=990101001&unitKind=department')).status, 404, 'the kind narrows the lookup');
    assert.equal((await ledger('unit=990101001&unitKind=nonsense')).status, 400);
  });

  test('a year closes once it has ended: totals frozen, no entry taken any more; the report prints them', async () => {
    assert.equal((await office('POST', `/api/points/years/${new Date().getUTCFullYear() + 1}/close`, { ledger: 'responsibility' })).statusCode, 409);
    const closed = await office('POST', '/api/points/years/2025/close', { ledger: 'responsibility' });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().sweep.finding, 0, 'the last sweep found nothing new');
    assert.equal((await office('POST', '/api/points/years/2025/close', { ledger: 'responsibility' })).json().error.code, 'year_closed');
    const late = await office('POST', '/api/points/entries', { areaCode: 'R1', points: 1, reason: '补录', date: '2025-12-30' });
    assert.deepEqual([late.statusCode, late.json().error.code], [409, 'year_closed']);
    const entry = (await office('GET', '/api/points/entries?year=2025&area=D2A')).json().items[0] as { id: number };
    assert.equal((await office('POST', `/api/points/entries/${entry.id}/correction`, { reason: 'x' })).statusCode, 409);
    // Entries written into the closed year behind the app's back do not move the frozen totals.
    const frozen = await totals('/api/points/areas?year=2025');
    assert.ok(frozen.closedAt);
    assert.deepEqual(frozen.map, { F1: [-6, 6, 'yellow_card'], D2A: [-2.5, 2, 'warning'], R1: [0, 2, null] });
    await client.database.db.insertInto('points_entries').values({ ledger: 'responsibility', year: 2025, subject_kind: 'area', subject_id: (await client.database.db.selectFrom('responsibility_areas').select('id').where('code', '=', 'R1').executeTakeFirstOrThrow()).id, unit_kind: null, unit_id: null, event: 'bonus', points: 50, occurred_at: bj('2025-12-30 10:00'), source_key: null, source_ref: null, reason: 'x', evidence: null, reverses_id: null, rule_version: 1, recorded_at: Date.now(), recorded_by: null, recorded_by_name: 'test' }).execute();
    assert.deepEqual((await totals('/api/points/areas?year=2025')).map.R1, [0, 2, null]);

    const xlsx = await office('GET', '/api/points/report?year=2025&format=xlsx');
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('责任区')!;
    const rows = [3, 4, 5].map((r) => [2, 6, 7, 8].map((c) => String(sheet.getRow(r).getCell(c).value)));
    assert.deepEqual(rows, [['F1', '6', '−6.0', '黄牌'], ['D2A', '2', '−2.5', '预警'], ['R1', '2', '0', '']]);
    assert.equal(wb.getWorksheet('预警记录')!.rowCount, 2 + 5 + 2, 'title, header, five alerts, a blank line and the note');
    const pdf = await office('GET', '/api/points/report?year=2025&format=pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });
});
