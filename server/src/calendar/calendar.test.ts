import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';

describeOnBothDatabases('work calendar', (database) => {
  let client: TestClient;
  let admin: string;
  let reader: string;
  before(async () => {
    client = await buildTestApp(database(), { territory: true });
    admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    reader = await client.tokenFor([{ role: 'acceptor', territoryCode: FIXTURE.city }]);
  });
  after(() => client.close());

  const deadline = (body: unknown) => client.request('POST', '/api/calendars/cn-mainland/deadline', { token: reader, body });

  test('the seeded calendar has 2023–2027, with 2027 provisional', async () => {
    const res = await client.request('GET', '/api/calendars', { token: reader });
    const [cal] = res.json().items;
    assert.deepEqual(cal.years.map((y: { year: number; status: string }) => [y.year, y.status]), [[2023, 'official'], [2024, 'official'], [2025, 'official'], [2026, 'official'], [2027, 'provisional']]);
    const days = (await client.request('GET', '/api/calendars/cn-mainland/days?year=2026', { token: reader })).json().items;
    assert.deepEqual(days.find((d: { date: string }) => d.date === '2026-02-14'), { date: '2026-02-14', kind: 'workday', name: days.find((d: { date: string }) => d.date === '2026-02-14').name });
  });

  test('4 working hours from 17:00 on the eve of National Day end at 11:00 on 8 October', async () => {
    // 17:00–18:00 on 30 Sep is 1 h; 1–7 Oct are holidays; 08:00 + 3 h on Thursday 8 Oct = 11:00.
    const res = await deadline({ start: '2026-09-30T17:00:00+08:00', limit: { value: 4, unit: 'working_hours' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().dueAt, '2026-10-08T03:00:00.000Z');
  });

  test('a suspension pauses the clock and the traffic light follows elapsed working time', async () => {
    // Monday 2026-06-15 09:00 + 8 working hours = Tuesday 09:00; a pause from Mon 10:00 to Tue 10:00
    // (8 working hours) moves it to Wednesday 09:00.
    const res = await deadline({
      start: '2026-06-15T09:00:00+08:00', limit: { value: 1, unit: 'working_days' },
      pauses: [{ from: '2026-06-15T10:00:00+08:00', to: '2026-06-16T10:00:00+08:00' }], now: '2026-06-17T08:00:00+08:00',
    });
    assert.equal(res.json().dueAt, '2026-06-17T01:00:00.000Z');
    // elapsed by Wed 08:00: Mon 09–10 (1 h) + Tue 10–12, 14–18 (6 h) = 7 of 8 h = 0.875 → yellow
    assert.equal(res.json().elapsedFraction, 0.875);
    assert.equal(res.json().trafficLight, 'yellow');
  });

  test('a date past the last loaded year is an error, not a guess', async () => {
    const res = await deadline({ start: '2027-12-31T17:00:00+08:00', limit: { value: 2, unit: 'working_hours' } });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.code, 'calendar_out_of_range');
    assert.match(res.json().error.message, /2028-01-0\d/);
    const noZone = await deadline({ start: '2026-06-15T09:00:00', limit: { value: 1, unit: 'working_hours' } });
    assert.equal(noZone.statusCode, 400);
  });

  test('loading a year is validated and then moves deadlines', async () => {
    const bad = await client.request('PUT', '/api/calendars/cn-mainland/years/2028', { token: admin, body: { status: 'official', source: 'test', days: [{ date: '2028-02-30', kind: 'holiday', name: 'x' }] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.issues[0].field, 'days[0].date');
    const ok = await client.request('PUT', '/api/calendars/cn-mainland/years/2028', { token: admin, body: { status: 'provisional', source: 'test: statutory 元旦 only', days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] } });
    assert.equal(ok.statusCode, 200, ok.body);
    // 2027-12-31 is a Friday: 17:00–18:00 (1 h); 2028-01-01/02 weekend; Monday 3 Jan 08:00 + 1 h = 09:00.
    const res = await deadline({ start: '2027-12-31T17:00:00+08:00', limit: { value: 2, unit: 'working_hours' } });
    assert.equal(res.json().dueAt, '2028-01-03T01:00:00.000Z');
    assert.equal((await client.request('PUT', '/api/calendars/cn-mainland/years/2029', { token: reader, body: { status: 'official', source: 'x', days: [] } })).statusCode, 403);
  });

  test('two administrators editing the same calendar: the second, working on what it loaded before the first saved, is refused', async () => {
    const loaded = (await client.request('GET', '/api/calendars/cn-mainland/days?year=2028', { token: admin })).json() as { updatedAt: number; items: unknown[] };
    const first = await client.request('PUT', '/api/calendars/cn-mainland/years/2028', { token: admin, body: { status: 'provisional', source: 'first editor', days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }, { date: '2028-05-01', kind: 'holiday', name: '劳动节' }], expectedUpdatedAt: loaded.updatedAt } });
    assert.equal(first.statusCode, 200, first.body);
    const second = await client.request('PUT', '/api/calendars/cn-mainland/years/2028', { token: admin, body: { status: 'provisional', source: 'second editor', days: [], expectedUpdatedAt: loaded.updatedAt } });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'stale_version');
    assert.equal(second.json().error.issues[0].field, 'expectedUpdatedAt');
    const now = (await client.request('GET', '/api/calendars/cn-mainland/days?year=2028', { token: admin })).json() as { updatedAt: number; items: { date: string }[] };
    assert.deepEqual(now.items.map((d) => d.date), ['2028-01-01', '2028-05-01'], 'the first editor\'s year stands');
    assert.ok(now.updatedAt > loaded.updatedAt);
  });
});
