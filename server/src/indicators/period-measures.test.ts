import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatRate, indicatorValue, type IndicatorCode } from '@cityops/domain/indicators/indicators';
import type { Measures } from '@cityops/domain/indicators/measures';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { bj, buildOctober, type OctoberWorld } from './indicators.test-support.ts';
import { loadDepartmentMeasures, loadPeriodMeasures, type PeriodMeasures } from './period-measures.ts';
import { postStepsFromEvents, postStepsInWindow, type PostStepCount } from './kept-post-steps.ts';
import { keptAgreesWithRecords, keptRows, latestFact } from './kept-cells.test-support.ts';
import { rebuildKeptCounts } from './kept-counts-version.ts';

const OCTOBER = (() => { const p = parsePeriod('2026-10'); if (!p.ok) throw new Error(); return p.period; })();

/** The counts worked out by hand from indicators.test-support.ts (cases A–G). */
const CITY_OCTOBER: Partial<Measures> = {
  reported: 5, // B, D, E, F, G (A and C were reported in September)
  registered: 4, registered_inspector: 3, registered_public: 1, // B (public); D, E, G
  closed: 4, closed_on_time: 3, // A, B, C, E; B had an overdue round
  due_to_close: 5, // + D: unclosed and overdue since 30 Oct 18:00
  dispatched: 4, // B, E to SZC, E to HWC, D
  handled: 6, handled_on_time: 5, // A, C, E, B ×3 (B's first round was overdue)
  due_to_handle: 7, overdue: 2, // + D; B's first round (15:30 on 12 Oct) and D's
  reworked: 2, extended: 1, returned: 1, suspended: 0, // C's suspension was in September
  callbacks: 1, satisfied: 1, complaints_received: 2, complaints_routed: 1, // B and F; F rejected
  rectification_due: 0, rectified_on_time: 0,
};

describeOnBothDatabases('indicator counts for a period, as of its end', (database) => {
  let client: TestClient;
  let world: OctoberWorld;
  let onFirstNovember: PeriodMeasures;
  before(async () => {
    client = await buildTestApp(database());
    world = await buildOctober(client);
    onFirstNovember = await loadPeriodMeasures(client.database.db, OCTOBER, bj('2026-11-01 00:00'));
  });
  after(() => client.close());

  const nodeId = (m: PeriodMeasures, code: string) => [...m.nodes.values()].find((n) => n.code === code)!.id;
  const pick = (m: Measures, keys: Partial<Measures>) => Object.fromEntries(Object.keys(keys).map((k) => [k, m[k as keyof Measures]]));

  test('the city, its district, street and grid: every count by hand', () => {
    for (const code of [FIXTURE.city, FIXTURE.district, FIXTURE.street, FIXTURE.grids[0]]) {
      assert.deepEqual(pick(onFirstNovember.territory.get(nodeId(onFirstNovember, code))!, CITY_OCTOBER), CITY_OCTOBER, code);
    }
    const empty = onFirstNovember.territory.get(nodeId(onFirstNovember, FIXTURE.grids[1]))!;
    assert.equal(Object.values(empty).every((v) => v === 0), true);
  });

  test('the indicators, and — where nothing was due', () => {
    const city = onFirstNovember.territory.get(nodeId(onFirstNovember, FIXTURE.city))!;
    const rates: [IndicatorCode, string][] = [
      ['closing_rate', '80.00%'], ['on_time_closing_rate', '60.00%'], ['handling_rate', '85.71%'], ['on_time_handling_rate', '71.43%'],
      ['rework_rate', '33.33%'], ['extension_rate', '14.29%'], ['proactive_rate', '75.00%'], ['public_report_rate', '25.00%'],
      ['satisfaction_rate', '100.00%'], ['complaint_routing_rate', '50.00%'], ['rectification_rate', '—'],
    ];
    assert.deepEqual(rates.map(([code]) => [code, formatRate(indicatorValue(code, city))]), rates);
    const szc = onFirstNovember.departments.get(world.w.departments.szc)!.measures;
    assert.deepEqual(pick(szc, { dispatched: 1, returned: 1, handled: 0, due_to_handle: 0, due_to_close: 0 }), { dispatched: 1, returned: 1, handled: 0, due_to_handle: 0, due_to_close: 0 });
    assert.equal(formatRate(indicatorValue('on_time_handling_rate', szc)), '—');
    assert.equal(formatRate(indicatorValue('closing_rate', szc)), '—');
  });

  test('departments: the rounds they held and the cases they closed', () => {
    const hwc = onFirstNovember.departments.get(world.w.departments.hwc)!.measures;
    assert.deepEqual(pick(hwc, { closed: 4, closed_on_time: 3, due_to_close: 5, dispatched: 3, handled: 6, handled_on_time: 5, due_to_handle: 7, overdue: 2, reworked: 2, extended: 1, returned: 0, callbacks: 1 }),
      { closed: 4, closed_on_time: 3, due_to_close: 5, dispatched: 3, handled: 6, handled_on_time: 5, due_to_handle: 7, overdue: 2, reworked: 2, extended: 1, returned: 0, callbacks: 1 });
  });

  test('the departments alone (the department report\'s read) count as in the whole period\'s measures', async () => {
    const alone = await loadDepartmentMeasures(client.database.db, OCTOBER, bj('2026-11-01 00:00'));
    const hwc = alone.departments.get(world.w.departments.hwc)!.measures;
    assert.deepEqual(pick(hwc, { closed: 4, closed_on_time: 3, due_to_close: 5, dispatched: 3, handled: 6, handled_on_time: 5, due_to_handle: 7, overdue: 2, reworked: 2, extended: 1, returned: 0, callbacks: 1 }),
      { closed: 4, closed_on_time: 3, due_to_close: 5, dispatched: 3, handled: 6, handled_on_time: 5, due_to_handle: 7, overdue: 2, reworked: 2, extended: 1, returned: 0, callbacks: 1 });
    assert.equal(alone.asOf, onFirstNovember.asOf);
    assert.deepEqual([...alone.departments].map(([id, d]) => [id, d.measures]), [...onFirstNovember.departments].map(([id, d]) => [id, d.measures]));
  });

  test('posts: each person\'s steps, on time, and their accuracy', () => {
    const person = (key: string) => onFirstNovember.persons.get(world.actors[key]!.id!)!.measures;
    assert.deepEqual(pick(person('acceptor'), { acceptances: 4, acceptances_on_time: 4, verify_requests: 0 }), { acceptances: 4, acceptances_on_time: 4, verify_requests: 0 });
    assert.deepEqual(pick(person('inspector'), { reports_made: 3, reports_valid: 3, verifications: 1, verifications_on_time: 1, checks: 6, checks_on_time: 6, area_registered: 4, area_registered_public: 1 }),
      { reports_made: 3, reports_valid: 3, verifications: 1, verifications_on_time: 1, checks: 6, checks_on_time: 6, area_registered: 4, area_registered_public: 1 });
    assert.deepEqual(pick(person('shiftChief'), { registrations: 4, registrations_on_time: 4, registrations_accurate: 3, closings: 4, closings_on_time: 4 }),
      { registrations: 4, registrations_on_time: 4, registrations_accurate: 3, closings: 4, closings_on_time: 4 });
    assert.deepEqual(pick(person('dispatcher'), { dispatches: 4, dispatches_on_time: 4, dispatches_accurate: 3 }), { dispatches: 4, dispatches_on_time: 4, dispatches_accurate: 3 });
  });

  test('October run in December, after November\'s steps, reads as it did on 1 November', async () => {
    await world.november();
    // Counted again from the records (not from the counts stored on 1 November).
    const inDecember = await loadPeriodMeasures(client.database.db, OCTOBER, bj('2026-12-15 10:00'), { useStore: false });
    assert.deepEqual([...inDecember.territory.entries()], [...onFirstNovember.territory.entries()]);
    assert.deepEqual([...inDecember.departments.entries()].map(([k, v]) => [k, v.measures]), [...onFirstNovember.departments.entries()].map(([k, v]) => [k, v.measures]));
    assert.deepEqual([...inDecember.persons.entries()].map(([k, v]) => [k, v.measures]), [...onFirstNovember.persons.entries()].map(([k, v]) => [k, v.measures]));
    // November itself sees D handled late (its overdue instant was in October) and closed.
    const nov = parsePeriod('2026-11');
    assert.ok(nov.ok);
    const november = await loadPeriodMeasures(client.database.db, nov.period, bj('2026-12-15 10:00'));
    const city = november.territory.get(nodeId(november, FIXTURE.city))!;
    assert.deepEqual(pick(city, { closed: 1, closed_on_time: 0, handled: 1, handled_on_time: 0, overdue: 0, due_to_handle: 1, due_to_close: 1 }), { closed: 1, closed_on_time: 0, handled: 1, handled_on_time: 0, overdue: 0, due_to_handle: 1, due_to_close: 1 });
  });

  test('the post steps kept per day equal the step events, over whole days and a day not over yet', async () => {
    const db = client.database.db;
    const sorted = (rows: PostStepCount[]) => [...rows].sort((a, b) => a.actor_id - b.actor_id || a.action.localeCompare(b.action));
    for (const [from, asOf] of [[OCTOBER.fromMs, OCTOBER.toMs], [OCTOBER.fromMs, bj('2026-10-13 10:15')], [bj('2026-09-01 00:00'), bj('2026-12-31 00:00')]] as const) {
      assert.deepEqual(sorted(await postStepsInWindow(db, { from, asOf })), sorted(await postStepsFromEvents(db, from, asOf)));
    }
    // 13 October up to 10:15: B's check_fail at 09:30 and register … are in the partial day.
    const partial = await postStepsInWindow(db, { from: bj('2026-10-13 00:00'), asOf: bj('2026-10-13 10:15') });
    assert.deepEqual(partial.filter((r) => r.action === 'check_fail').map((r) => [r.n, r.on_time]), [[1, 1]]);
  });

  test('the kept counts equal the records: whole half-months, a window running to now, a partial day, a custom range', async () => {
    const db = client.database.db;
    const now = await latestFact(db) + 1;
    const windows: [number, number, boolean][] = [
      [OCTOBER.fromMs, OCTOBER.toMs, false], [bj('2026-10-16 00:00'), bj('2026-11-01 00:00'), false], [bj('2026-09-16 00:00'), bj('2026-12-01 00:00'), false],
      [bj('2026-11-01 00:00'), bj('2026-11-16 00:00'), false], [OCTOBER.fromMs, bj('2026-10-13 10:15'), false], [bj('2026-10-08 00:00'), bj('2026-10-14 00:00'), false],
      [OCTOBER.fromMs, now, true], [bj('2026-09-01 00:00'), now, true],
    ];
    for (const [from, asOf, live] of windows) await keptAgreesWithRecords(db, { from, asOf, live });
    const kept = await db.selectFrom('kept_cells').select((eb) => eb.fn.sum<number>('handled').as('h')).executeTakeFirstOrThrow();
    assert.ok(Number(kept.h) >= 7, 'the October rounds were kept as they were handled');
  });

  test('a rebuild from the records gives the counts the steps kept', async () => {
    const db = client.database.db;
    const before = await keptRows(db);
    assert.deepEqual([before.cells.length > 0, before.persons.length > 0, before.steps.length > 0], [true, true, true]);
    assert.deepEqual(await rebuildKeptCounts(db), ['post_steps', 'cells', 'grid_reports']);
    assert.deepEqual(await keptRows(db), before);
  });

  test('an ended period is stored once counted; a report dated inside it, entered later, makes it count again', async () => {
    const db = client.database.db;
    const stored = await db.selectFrom('period_cells').select(['period_code']).execute();
    assert.ok(stored.some((r) => r.period_code === '2026-10'), 'October was stored when counted on 1 November');
    const fromStore = await loadPeriodMeasures(db, OCTOBER, bj('2026-12-15 10:00'));
    assert.deepEqual([...fromStore.territory.entries()], [...onFirstNovember.territory.entries()]);
    // A 12345 call of 20 October entered now: October is counted again and includes it.
    const res = await client.request('POST', '/api/cases', { token: world.w.tokens.acceptor, body: {
      source: 'hotline_12345', classCode: '06010', description: '热线反映垃圾', location: { lon: 118.8005, lat: 32.0005 }, reportedAt: '2026-10-20T10:00:00+08:00', reporter: { name: '赵六', phone: '13600000000' },
    } });
    assert.equal(res.statusCode, 201, res.body);
    const storedAt = async () => Number((await db.selectFrom('period_cells').select('computed_at').where('period_code', '=', '2026-10').executeTakeFirstOrThrow()).computed_at);
    assert.equal(await storedAt(), bj('2026-11-01 00:00'));
    const recountAt = Date.now();
    const again = await loadPeriodMeasures(db, OCTOBER, recountAt);
    const city = again.territory.get(nodeId(again, FIXTURE.city))!;
    assert.deepEqual([city.reported, city.complaints_received], [6, 3]);
    assert.equal(await storedAt(), recountAt, 'the stored October was replaced by the new count');
    // Stored again, and no newer record dated in October: the next read uses it.
    const fromNewStore = await loadPeriodMeasures(db, OCTOBER, recountAt + 1000);
    assert.deepEqual([...fromNewStore.territory.entries()], [...again.territory.entries()]);
    assert.equal(await storedAt(), recountAt);
  });
});
