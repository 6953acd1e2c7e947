import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { describeOnBothDatabases } from '../../test/databases.ts';
import { buildTestApp, type TestClient } from '../../test/http.ts';
import { setUpCaseWorld, type CaseWorld } from '../cases.test-support.ts';
import { parseHistoryCsv, parseHistoryJsonl } from './history-records.ts';

type Issue = { field: string; row?: number; message: string };
const wall = (ms: number | null) => (ms === null ? null : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));

describeOnBothDatabases('history import (event log replay)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  let who: Record<string, string>;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    who = Object.fromEntries(await Promise.all(Object.entries(w.tokens).map(async ([k, t]) => [k, (await w.actor(t)).name] as const)));
  });
  after(() => client.close());

  const db = () => client.database.db;
  const jsonl = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).join('\n');
  const upload = (body: string, contentType = 'application/x-ndjson') => client.request('POST', '/api/cases/import/history', { token: w.tokens.admin, body, contentType });
  const caseCount = async () => Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const byRef = (ref: string) => db().selectFrom('cases').selectAll().where('external_ref', '=', ref).executeTakeFirstOrThrow();
  const inspectorReport = (ref: string, at: string, lon: number, lat: number, cls = '06010') =>
    ({ case: ref, at, action: 'report', actor: who.inspector, source: 'inspector', class: cls, lon, lat, description: '人行道暴露垃圾' });

  test('three cases replay to closed, closed after rework with a callback, and merged; clocks and codes as live intake would set them', async () => {
    const log = jsonl([
      inspectorReport('H-A', '2026-03-10 09:00', 118.8005, 32.0005),
      { case: 'H-A', at: '2026-03-10 09:05', action: 'accept', actor: who.acceptor },
      { case: 'H-A', at: '2026-03-10 09:10', action: 'register', actor: who.shiftChief },
      { case: 'H-A', at: '2026-03-10 09:20', action: 'dispatch', actor: who.dispatcher, department: 'HWC' },
      { case: 'H-B', at: '2026-03-10 10:00', action: 'report', source: 'public_web', class: '01001', lon: 118.8015, lat: 32.0005, description: '井盖不见了', reporter_name: '李四', reporter_phone: '13900000002' },
      { case: 'H-A', at: '2026-03-10 10:00', action: 'sign', actor: who.hwc },
      { case: 'H-B', at: '2026-03-10 10:30', action: 'verify_confirm', actor: who.inspector },
      { case: 'H-B', at: '2026-03-10 10:40', action: 'register', actor: who.shiftChief },
      { case: 'H-B', at: '2026-03-10 10:45', action: 'dispatch', actor: who.dispatcher, department: 'SZC' },
      { case: 'H-B', at: '2026-03-10 10:50', action: 'sign', actor: who.szc },
      inspectorReport('H-C', '2026-03-10 11:00', 118.8006, 32.0006),
      { case: 'H-B', at: '2026-03-10 11:00', action: 'request_extension', actor: who.szc, reason: '需协调供水公司' },
      { case: 'H-C', at: '2026-03-10 11:05', action: 'merge', actor: who.acceptor, merge_into: 'H-A' },
      { case: 'H-B', at: '2026-03-10 11:05', action: 'approve_extension', actor: who.dispatcher },
      { case: 'H-B', at: '2026-03-10 12:30', action: 'feedback', actor: who.szc, photos: 1 },
      { case: 'H-B', at: '2026-03-10 13:00', action: 'check_fail', actor: who.inspector, reason: '井盖未安装平稳' },
      { case: 'H-B', at: '2026-03-10 13:10', action: 'sign', actor: who.szc },
      { case: 'H-B', at: '2026-03-10 13:40', action: 'feedback', actor: who.szc, photos: 1 },
      { case: 'H-B', at: '2026-03-10 13:50', action: 'check_pass', actor: who.inspector },
      { case: 'H-B', at: '2026-03-10 14:00', action: 'close', actor: who.shiftChief },
      { case: 'H-A', at: '2026-03-10 14:50', action: 'feedback', actor: who.hwc, photos: 2, note: '已清运' },
      { case: 'H-A', at: '2026-03-10 15:30', action: 'check_pass', actor: who.inspector },
      { case: 'H-A', at: '2026-03-10 15:40', action: 'close', actor: who.shiftChief },
      { case: 'H-B', at: '2026-03-11 09:00', action: 'rate', actor: who.acceptor, satisfaction: 'satisfied' },
    ]);
    const res = await upload(log);
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json(), { cases: 3, events: 24, byState: { closed: 2, merged: 1 }, from: '2026-03-10T01:00:00.000Z', to: '2026-03-11T01:00:00.000Z' });

    const a = await byRef('H-A');
    // Numbered in report order on the report's Beijing day.
    assert.equal(a.code, '2026031000001');
    // 4 working hours from 09:20: 09:20–12:00 (2 h 40) and 14:00–15:20; 80 % (3 h 12) → 14:32.
    assert.deepEqual([wall(a.handling_due_at), wall(a.handling_warn_at), wall(a.handling_stopped_at)], ['2026-03-10 15:20', '2026-03-10 14:32', '2026-03-10 14:50']);
    assert.deepEqual([a.state, wall(a.registered_at), wall(a.first_dispatched_at), wall(a.handled_at), wall(a.closed_at), a.version], ['closed', '2026-03-10 09:10', '2026-03-10 09:20', '2026-03-10 14:50', '2026-03-10 15:40', 8]);
    const timeline = (await client.request('GET', `/api/cases/${a.id}/events`, { token: w.tokens.admin })).json().items as { action: string; actor: { kind: string; id: number | null; name: string; role: string | null }; data: Record<string, unknown> | null }[];
    assert.deepEqual(timeline.map((e) => e.action), ['report', 'accept', 'register', 'dispatch', 'sign', 'feedback', 'check_pass', 'close']);
    assert.deepEqual([timeline[5]!.actor.kind, timeline[5]!.actor.name, timeline[5]!.actor.role], ['user', who.hwc, 'department']);
    assert.deepEqual([timeline[5]!.data?.sourcePhotos, timeline[5]!.data?.note], [2, '已清运']);

    const b = await byRef('H-B');
    // Urgent hours run around the clock: the rework at 13:00 restarts the 1-hour limit → 14:00.
    assert.deepEqual([b.code, b.state, b.reworks_count, b.extensions_count, b.satisfaction, wall(b.handling_due_at)], ['2026031000002', 'closed', 1, 1, 'satisfied', '2026-03-10 14:00']);
    const reporter = await db().selectFrom('case_reporters').selectAll().where('case_id', '=', b.id).executeTakeFirstOrThrow();
    assert.deepEqual([reporter.name, reporter.phone, reporter.user_id], ['李四', '13900000002', null]);
    assert.equal(b.reported_by_kind, 'anonymous');

    const c = await byRef('H-C');
    assert.deepEqual([c.code, c.state, c.merged_into_id, c.duplicate_flag, wall(c.ended_at)], ['2026031000003', 'merged', a.id, 1, '2026-03-10 11:05']);
    const candidate = await db().selectFrom('case_duplicate_candidates').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    // 0.0001° north and east at 32° N: 11.1 m and 9.4 m, about 14.6 m apart.
    assert.equal(candidate.candidate_id, a.id);
    assert.ok(candidate.distance_m > 14 && candidate.distance_m < 15.2, String(candidate.distance_m));

    // The same log again: every case is stored already, and nothing more is kept.
    const again = await upload(log);
    assert.equal(again.statusCode, 400);
    assert.deepEqual((again.json().error.issues as Issue[]).map((i) => [i.row, i.field]), [[1, 'case'], [5, 'case'], [11, 'case']]);
    assert.equal(await caseCount(), 3);
  });

  test('a line that breaks a rule is named with its line number, and nothing of the import is kept', async () => {
    const before = await caseCount();
    const log = jsonl([
      inspectorReport('E-1', '2026-03-12 09:00', 118.8005, 32.0005),
      { case: 'E-1', at: '2026-03-12 09:10', action: 'close', actor: who.shiftChief },
      inspectorReport('E-2', '2026-03-12 09:20', 118.8005, 32.0005),
      { case: 'E-2', at: '2026-03-12 09:25', action: 'accept', actor: who.acceptor },
      { case: 'E-2', at: '2026-03-12 09:30', action: 'register', actor: who.shiftChief },
      { case: 'E-2', at: '2026-03-12 09:35', action: 'dispatch', actor: who.inspector, department: 'HWC' },
      { case: 'E-3', at: '2026-03-12 09:40', action: 'report', actor: 'nobody', source: 'inspector', class: '06010', lon: 118.8005, lat: 32.0005, description: 'x' },
      inspectorReport('E-4', '2026-03-12 09:50', 118.8005, 32.0005),
      { case: 'E-4', at: '2026-03-12 09:55', action: 'accept', actor: who.acceptor },
      { case: 'E-4', at: '2026-03-12 10:00', action: 'register', actor: who.shiftChief },
      { case: 'E-4', at: '2026-03-12 10:05', action: 'dispatch', actor: who.dispatcher },
      inspectorReport('E-5', '2026-03-12 10:10', 100, 20),
      { case: 'E-6', at: '2026-03-12 10:20', action: 'report', source: 'superior', class: '06010', lon: 118.8005, lat: 32.0005, description: '上级交办' },
      inspectorReport('E-7', '2026-03-12 10:30', 118.8005, 32.0005),
      { case: 'E-7', at: '2026-03-12 10:31', action: 'void', actor: who.shiftChief, reason: '重复' },
      inspectorReport('E-8', '2026-03-12 10:40', 118.8005, 32.0005, '99999'),
    ]);
    const res = await upload(log);
    assert.equal(res.statusCode, 400, res.body);
    const issues = res.json().error.issues as Issue[];
    assert.deepEqual(issues.map((i) => [i.row, i.field]), [[2, 'action'], [6, 'action'], [7, 'actor'], [11, 'department'], [12, 'lon'], [13, 'actor'], [15, 'action'], [16, 'class']]);
    assert.match(issues[0]!.message, /not possible in state pending_accept/);
    assert.match(issues[1]!.message, /is for dispatcher/);
    assert.match(issues[4]!.message, /outside every grid/);
    assert.equal(await caseCount(), before);

    const order = await upload(jsonl([
      { case: 'O-1', at: '2026-03-12 09:00', action: 'accept', actor: who.acceptor },
      inspectorReport('O-2', '2026-03-12 09:00', 118.8005, 32.0005),
      { case: 'O-2', at: '2026-03-12 08:00', action: 'accept', actor: who.acceptor },
      inspectorReport('O-2', '2026-03-12 10:00', 118.8005, 32.0005),
      inspectorReport('O-3', '2099-03-12 10:00', 118.8005, 32.0005),
    ]));
    assert.deepEqual((order.json().error.issues as Issue[]).map((i) => [i.row, i.field]), [[1, 'action'], [3, 'at'], [4, 'action'], [5, 'at']]);
    assert.equal(await caseCount(), before);
  });

  test('CSV: the same columns, quoted commas and line breaks, report fields refused on other actions', async () => {
    const header = 'case,at,action,actor,source,class,lon,lat,description,address,component,reporter_name,reporter_phone,reason,department,merge_into,satisfaction,photos,note';
    const ok = [header,
      `C-1,2026-03-13 09:00,report,${who.inspector},inspector,06010,118.8005,32.0005,"垃圾堆放, 约2立方米\r\n需清运",测试路1号,,,,,,,,,`,
      `C-1,2026-03-13 09:05,accept,${who.acceptor},,,,,,,,,,,,,,,`,
      `C-1,2026-03-13 09:06,register,${who.shiftChief},,,,,,,,,,,,,,,`,
    ].join('\r\n');
    const res = await upload(ok, 'text/csv');
    assert.equal(res.statusCode, 201, res.body);
    const c = await byRef('C-1');
    assert.deepEqual([c.state, c.description, c.address], ['pending_dispatch', '垃圾堆放, 约2立方米\r\n需清运', '测试路1号']);

    const bad = [header,
      `C-2,2026-03-13 10:00,report,${who.inspector},inspector,06010,118.8005,,x,,,,,,,,,,`,
      `C-2,2026-03-13 10:05,accept,${who.acceptor},,06010,,,,,,,,,,,,abc,`,
    ].join('\n');
    const refused = await upload(bad, 'text/csv');
    assert.equal(refused.statusCode, 400);
    assert.deepEqual((refused.json().error.issues as Issue[]).map((i) => [i.row, i.field]), [[2, 'lat'], [3, 'photos'], [3, 'class']]);
  });

  test('only the importer role may import; other bodies are refused', async () => {
    const res = await client.request('POST', '/api/cases/import/history', { token: w.tokens.dispatcher, body: '{}', contentType: 'application/x-ndjson' });
    assert.equal(res.statusCode, 403);
  });
});

test('JSONL: line numbers count blank lines, unknown keys and non-objects are named', () => {
  assert.throws(() => parseHistoryJsonl('{"case":"x","at":"2026-03-10 09:00","action":"accept","actor":"a"}\n\n[1]\n{"case":"y","at":"2026-03-10 09:00","action":"accept","colour":"red"}\nnot json'), (e: { issues: Issue[] }) => {
    assert.deepEqual(e.issues.map((i) => [i.row, i.field]), [[3, 'line'], [4, 'colour'], [5, 'line']]);
    return true;
  });
  const [r] = parseHistoryJsonl('{"case":"x","at":"2026-03-10T09:00:00+08:00","action":"report","source":"inspector","class":"06010","lon":118.8,"lat":"32.0","description":"d"}');
  assert.deepEqual([r!.at, r!.report?.lon, r!.report?.lat], [bj('2026-03-10 09:00'), 118.8, 32]);
  assert.throws(() => parseHistoryCsv('case,at\nx,2026-03-10 09:00'), /action/);
});
