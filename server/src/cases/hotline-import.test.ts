import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';
import { parseCallTime, parseHotlineCsv, XLSX_CONTENT_TYPE } from './hotline-import.ts';

const HEADER = '工单编号,来电时间,诉求内容,小类代码,经度,纬度,地址,联系人,联系电话';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
type Issue = { field: string; row?: number; message: string };

// 2025-03-15 is 73 days after 2025-01-01 (1 735 689 600 s): 00:00 UTC = 1 741 996 800 s.
// 09:30 in Beijing (UTC+8) is 01:30 UTC, 5 400 s later.
const MAR15_0930_BEIJING = 1_742_002_200_000;

describeOnBothDatabases('12345 hotline import', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
  });
  after(() => client.close());

  const upload = (token: string, body: string | Uint8Array, contentType = 'text/csv; charset=utf-8', headers: Record<string, string> = {}) =>
    client.request('POST', '/api/cases/import/hotline', { token, body, contentType, headers });
  const caseCount = async () => Number((await client.database.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const get = async (id: number, token = w.tokens.acceptor) => (await client.request('GET', `/api/cases/${id}`, { token })).json();

  test('a valid CSV creates one pending_verify case per row; uploading it again creates none and skips every row', async () => {
    const file = csv(
      'RX-A1,2025-03-15 09:30,小区门口暴露垃圾,06010,118.8005,32.0005,测试路1号,张三,13800000001',
      'RX-A2,2025-03-15T10:00:00+08:00,井盖丢失,01001,118.8015,32.0005,,,',
      'RX-A3,2025/3/15 9:05,路边又有垃圾,06010,118.8005,32.0015,,,',
    );
    const res = await upload(w.tokens.acceptor, file);
    assert.equal(res.statusCode, 201, res.body);
    const result = res.json();
    assert.deepEqual([result.created, result.skipped, result.skippedTickets], [3, 0, []]);
    assert.deepEqual(result.cases.map((c: { row: number; ticket: string }) => [c.row, c.ticket]), [[2, 'RX-A1'], [3, 'RX-A2'], [4, 'RX-A3']]);

    const first = await get(result.cases[0].caseId);
    assert.deepEqual([first.state, first.source, first.externalRef], ['pending_verify', 'hotline_12345', 'RX-A1']);
    assert.equal(first.reportedAt, new Date(MAR15_0930_BEIJING).toISOString());
    assert.match(first.code, /^20250315\d{5}$/, 'numbered by the call day');
    assert.deepEqual([first.reporter.name, first.reporter.phone], ['张三', '13800000001']);
    assert.equal(first.address, '测试路1号');
    // Reported through the hotline, entered by the acceptor: not the acceptor's own report, and the caller's
    // contact data are not tied to the acceptor's account. The acceptor took the intake step on the timeline.
    const stored = await client.database.db.selectFrom('cases').select(['reported_by_kind', 'reported_by_id']).where('id', '=', result.cases[0].caseId).executeTakeFirstOrThrow();
    assert.deepEqual([stored.reported_by_kind, stored.reported_by_id], ['import', null]);
    assert.equal(first.reporter.userId ?? null, null);
    const reporterRows = await client.database.db.selectFrom('case_reporters').select('user_id').where('case_id', 'in', result.cases.map((c: { caseId: number }) => c.caseId)).execute();
    assert.deepEqual(reporterRows.map((r) => r.user_id), [null], 'one row, the caller with contact data; none for the rows without');
    const acceptorId = (await client.database.db.selectFrom('case_events').select(['actor_kind', 'actor_id']).where('case_id', '=', result.cases[0].caseId).where('seq', '=', 1).executeTakeFirstOrThrow());
    assert.equal(acceptorId.actor_kind, 'user');
    assert.equal((await client.request('GET', '/api/cases?mine=true', { token: w.tokens.acceptor })).json().total, 0, 'not in the acceptor\'s own reports');
    assert.equal((await get(result.cases[1].caseId)).reportedAt, new Date(MAR15_0930_BEIJING + 30 * 60_000).toISOString());
    assert.equal((await get(result.cases[2].caseId)).reportedAt, new Date(MAR15_0930_BEIJING - 25 * 60_000).toISOString());
    assert.equal((await get(result.cases[1].caseId)).class.code, '01001');

    const before = await caseCount();
    const again = await upload(w.tokens.acceptor, file);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual([again.json().created, again.json().skipped, again.json().skippedTickets], [0, 3, ['RX-A1', 'RX-A2', 'RX-A3']]);
    assert.equal(await caseCount(), before);
  });

  test('bad rows 3 (outside the city) and 4 (unknown class) are both reported, and nothing is created', async () => {
    const before = await caseCount();
    const res = await upload(w.tokens.acceptor, csv(
      'RX-B1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,',
      'RX-B2,2025-03-15 09:31,暴露垃圾,06010,120.5,32.0005,,,',
      'RX-B3,2025-03-15 09:32,某事,99999,118.8005,32.0005,,,',
    ));
    assert.equal(res.statusCode, 400, res.body);
    const issues: Issue[] = res.json().error.issues;
    assert.deepEqual(issues.map((i) => [i.row, i.field]), [[3, 'location'], [4, 'class_code']]);
    assert.equal(await caseCount(), before);
  });

  test('format problems of every row come back in one answer: time, future, number, missing value, repeated ticket', async () => {
    const future = new Date(Date.now() + 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const res = await upload(w.tokens.acceptor, csv(
      'RX-C1,2025-02-30 09:30,暴露垃圾,06010,118.8005,32.0005,,,',
      `RX-C2,${future},暴露垃圾,06010,118.8005,32.0005,,,`,
      'RX-C3,2025-03-15 09:30,暴露垃圾,06010,东经118度,32.0005,,,',
      'RX-C4,2025-03-15 09:30,,06010,118.8005,32.0005,,,',
      'RX-C1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,',
    ));
    assert.equal(res.statusCode, 400, res.body);
    const issues: Issue[] = res.json().error.issues;
    assert.deepEqual(issues.map((i) => [i.row, i.field]), [[2, 'reported_at'], [3, 'reported_at'], [4, 'lon'], [5, 'description'], [6, 'ticket']]);
    assert.match(issues[1]!.message, /future/);
  });

  test('a file of more than 5,000 work orders is refused as a whole', async () => {
    const before = await caseCount();
    const rows = Array.from({ length: 5001 }, (_, i) => `RX-M${i},2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,`);
    const res = await upload(w.tokens.acceptor, csv(...rows));
    assert.deepEqual([res.statusCode, res.json().error.issues.map((i: Issue) => i.field)], [400, ['file']]);
    assert.equal(await caseCount(), before);
  });

  test('an unknown column is refused by name, at row 1', async () => {
    const res = await upload(w.tokens.acceptor, `${HEADER},备注\nRX-D1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,,x`);
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().error.issues.map((i: Issue) => [i.field, i.row]), [['备注', 1]]);
  });

  test('English column names are accepted, in any order', async () => {
    const res = await upload(w.tokens.admin, 'lat,lon,ticket,class_code,description,reported_at\n32.0005,118.8005,RX-E1,06010,暴露垃圾,2025-03-15T01:30:00Z');
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await get(res.json().cases[0].caseId)).reportedAt, new Date(MAR15_0930_BEIJING).toISOString());
  });

  test('an XLSX workbook imports the same way: Date cells are Beijing wall-clock times, numbers and rich text become text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('12345工单');
    sheet.addRow(HEADER.split(','));
    // Typed in Excel as 2025-03-15 09:30, which exceljs hands over as a Date with those UTC fields.
    sheet.addRow(['RX-F1', new Date(Date.UTC(2025, 2, 15, 9, 30)), '小区门口暴露垃圾', '06010', 118.8005, 32.0005, '测试路2号', '李四', 13800000002]);
    sheet.addRow(['RX-F2', '2025-03-15 10:00', { richText: [{ text: '井盖' }, { text: '丢失', font: { bold: true } }] }, 1001, 118.8015, 32.0005]);
    sheet.addRow([]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const res = await upload(w.tokens.acceptor, bytes, XLSX_CONTENT_TYPE);
    assert.equal(res.statusCode, 201, res.body);
    const result = res.json();
    assert.deepEqual([result.created, result.cases.map((c: { row: number }) => c.row)], [2, [2, 3]]);
    const first = await get(result.cases[0].caseId);
    assert.deepEqual([first.state, first.source, first.reportedAt], ['pending_verify', 'hotline_12345', new Date(MAR15_0930_BEIJING).toISOString()]);
    assert.equal(first.reporter.phone, '13800000002');
    const second = await get(result.cases[1].caseId);
    assert.deepEqual([second.description, second.class.code], ['井盖丢失', '01001']);
    assert.equal((await upload(w.tokens.acceptor, bytes, XLSX_CONTENT_TYPE)).json().skipped, 2);
    const broken = await upload(w.tokens.acceptor, new Uint8Array([1, 2, 3]), XLSX_CONTENT_TYPE);
    assert.deepEqual([broken.statusCode, broken.json().error.issues[0].field], [400, 'file']);
  });

  test('a retried upload with the same Idempotency-Key replays the first answer', async () => {
    const file = csv('RX-G1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,');
    const headers = { 'idempotency-key': `hotline-${Date.now()}` };
    const first = await upload(w.tokens.acceptor, file, 'text/csv', headers);
    const second = await upload(w.tokens.acceptor, file, 'text/csv', headers);
    assert.deepEqual([first.statusCode, second.statusCode, second.headers['idempotent-replayed']], [201, 201, 'true']);
    assert.deepEqual(second.json(), first.json());
  });

  test('only acceptors and administrators may import (a department user gets 403)', async () => {
    const res = await upload(w.tokens.hwc, csv('RX-H1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,'));
    assert.equal(res.statusCode, 403);
    assert.equal((await upload(w.tokens.inspector, csv('RX-H1,2025-03-15 09:30,暴露垃圾,06010,118.8005,32.0005,,,'))).statusCode, 403);
  });
});

test('call times: Beijing wall clock, ISO with offset, and impossible dates', () => {
  assert.equal(parseCallTime('2025-03-15 09:30'), MAR15_0930_BEIJING);
  assert.equal(parseCallTime('2025-03-15 09:30:00'), MAR15_0930_BEIJING);
  assert.equal(parseCallTime('2025-03-15T09:30:00+08:00'), MAR15_0930_BEIJING);
  assert.equal(parseCallTime('2025-03-14T17:30:00-08:00'), MAR15_0930_BEIJING);
  assert.equal(parseCallTime('2025-03-15T01:30:00.000Z'), MAR15_0930_BEIJING);
  for (const bad of ['2025-02-29 09:30', '2025-03-15 24:00', '2025-03-15', '15/03/2025 09:30', '2025-03-15 09:30 +8']) assert.equal(parseCallTime(bad), null, bad);
});

test('a CSV row is numbered by the line it starts on, also after a value spanning lines with CRLF', () => {
  const rows = parseHotlineCsv(`\uFEFF${HEADER}\r\nA,2025-03-15 09:30,"第一行\r\n第二行",06010,118.8,32,,,\r\n\r\nB,2025-03-15 09:30,x,06010,118.8,32,,,\r\n`);
  assert.deepEqual(rows.map((r) => [r.line, r.values.ticket, r.values.description]), [[2, 'A', '第一行\r\n第二行'], [5, 'B', 'x']]);
});

test('the sample file in seed-data parses and passes the header check', () => {
  const rows = parseHotlineCsv(readFileSync(new URL('../../seed-data/samples/hotline-12345-sample.csv', import.meta.url), 'utf8'));
  assert.equal(rows.length, 5);
  for (const r of rows) for (const c of ['ticket', 'reported_at', 'description', 'class_code', 'lon', 'lat']) assert.ok(r.values[c], `row ${r.line} ${c}`);
  assert.ok(rows.every((r) => parseCallTime(r.values.reported_at!) !== null));
});
