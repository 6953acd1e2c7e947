// The incremental sweep (sweep-window.ts) on the month by hand (points.test-support.ts), at explicit instants
// (Beijing time): cA due 13 Oct 16:00 and cC due 15 Oct 16:00 (both HWC, not handled when due). A first sweep
// reads from the start of last year in week slices; later ones read from the mark less ten minutes. A deadline
// passing between two sweeps is priced on its date; a round found late and sent back before any sweep saw it is
// priced from the round; records written with past timestamps are not seen from the mark but are by the year's
// re-read; and the repeats come out the same whether read pair by pair or in one read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { loadAreaIndex } from './area-index.ts';
import { repeatedCases } from './responsibility-repeats.ts';
import { sweepResponsibility } from './responsibility-sweep.ts';
import { currentRules } from './rule-sets.service.ts';
import { buildPointsWorld, sweepCounts, TEST_RULES, type PointsWorld } from './points.test-support.ts';
import { sweepMark } from './sweep-window.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

describeOnBothDatabases('the points sweep reads from its mark (incremental)', (database) => {
  let client: TestClient;
  let w: PointsWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    w = await buildPointsWorld(client);
    const saved = await client.request('PUT', '/api/points/rules/responsibility', { token: w.tokens.office, body: { rules: TEST_RULES, reason: '测试阈值' } });
    assert.equal(saved.statusCode, 200, saved.body);
  });
  after(() => client.close());
  const db = () => client.database.db;
  const sweep = (now: number, years: number[] | null = null) => sweepResponsibility(db(), SYSTEM_ACTOR, years, now);
  const overdueEntries = async () => (await db().selectFrom('points_entries as e').innerJoin('responsibility_areas as a', 'a.id', 'e.subject_id')
    .select(['e.source_ref', 'e.points', 'e.occurred_at', 'a.code']).where('e.event', '=', 'case_overdue').orderBy('e.occurred_at').execute())
    .map((e) => [e.source_ref, e.code, e.points / 10, Number(e.occurred_at)]);

  test('deadlines passed since the mark are priced on their dates, a round found late from the round, and nothing twice', async () => {
    // 13 Oct 09:50: cA is registered, not yet due; the first sweep reads 1 Jan 2024 (Beijing) to now in 94 week slices.
    const now1 = bj('2025-10-13 09:50');
    const first = await sweep(now1);
    assert.deepEqual(sweepCounts(first), { years: [2024, 2025], finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 });
    assert.deepEqual(first.window, { from: '2023-12-31T16:00:00.000Z', to: new Date(now1).toISOString(), slices: 94 });
    assert.equal(await sweepMark(db(), 'responsibility'), now1);

    // cC is signed for after its deadline, reported back, and sent back for rework, all before the next sweep.
    const cC = w.findings.fC.caseId;
    await w.act('department', cC, 'sign', '2025-10-15 17:00');
    await w.act('department', cC, 'feedback', '2025-10-15 17:30', { attachmentIds: [await uploadPhoto(client, w.hwc.token)] });
    await w.act('inspector', cC, 'check_fail', '2025-10-15 18:00', { reason: '现场仍有暴露垃圾' });
    const now2 = bj('2025-10-15 19:00');
    const reworked = await db().selectFrom('cases').select('handling_due_at').where('id', '=', cC).executeTakeFirstOrThrow();
    assert.ok(Number(reworked.handling_due_at) > now2, 'the rework round is due after the sweep: only its late first round shows it');

    const second = await sweep(now2);
    assert.deepEqual(sweepCounts(second), { years: [2024, 2025], finding: 0, case_overdue: 2, case_repeated: 0, reversed: 0, alerts: 1 });
    assert.deepEqual(second.window, { from: new Date(now1 - 10 * MINUTE).toISOString(), to: new Date(now2).toISOString(), slices: 1 });
    // cA (held past 13 Oct 16:00) −2 on F1; cC (its first round ended late, 15 Oct 16:00) −1 on the duty area D2A.
    assert.deepEqual(await overdueEntries(), [
      ['2025101300001', 'F1', -2, w.dueAt.cA],
      ['2025101500001', 'D2A', -1, w.dueAt.cC],
    ]);

    const third = await sweep(bj('2025-10-15 20:00'));
    assert.deepEqual(sweepCounts(third), { years: [2024, 2025], finding: 0, case_overdue: 0, case_repeated: 0, reversed: 0, alerts: 0 });
    assert.equal(third.window.from, new Date(now2 - 10 * MINUTE).toISOString());
  });

  test('a case written with past timestamps is not read from the mark; the year\'s re-read prices it', async () => {
    const cB = w.findings.fB.caseId;
    await w.act('acceptor', cB, 'accept', '2025-10-14 09:10');
    await w.act('shiftChief', cB, 'register', '2025-10-14 09:20');
    await w.act('dispatcher', cB, 'dispatch', '2025-10-14 09:30', { departmentId: w.hwc.id });
    const due = Number((await db().selectFrom('cases').select('handling_due_at').where('id', '=', cB).executeTakeFirstOrThrow()).handling_due_at);
    const now = bj('2025-10-15 21:00');
    assert.ok(due < (await sweepMark(db(), 'responsibility'))! - 10 * MINUTE, 'cB was due before the last sweep\'s window');

    assert.equal((await sweep(now)).case_overdue, 0, 'from the mark: not seen');
    const year = await sweep(now, [2025]);
    // R1 −2; the street answering for R1 and D2A reaches −3, its warning.
    assert.deepEqual(sweepCounts(year), { years: [2025], finding: 0, case_overdue: 1, case_repeated: 0, reversed: 0, alerts: 1 });
    assert.equal(year.window.from, '2024-12-31T16:00:00.000Z');
    assert.deepEqual((await overdueEntries()).find((e) => e[0] === '2025101400001'), ['2025101400001', 'R1', -2, due]);
    assert.equal(await sweepMark(db(), 'responsibility'), now, 'the year\'s re-read leaves the mark where the last sweep put it');
  });

  test('repeats come out the same read overlay by overlay (an hour of a large city) or in one read (a small one)', async () => {
    const { rules } = await currentRules(db(), 'responsibility');
    const areas = await loadAreaIndex(db());
    const from = bj('2025-10-01 00:00');
    const to = from + 31 * DAY;
    // The cost rule picks one read here (3 overlays × 50 rows against a span of 5 reports); force each way.
    const byOverlay = await repeatedCases(db(), rules, areas, from, to, 0);
    const inOneRead = await repeatedCases(db(), rules, areas, from, to, Infinity);
    // cE (F1, 06010, 21 Oct) repeats cA (F1, 06010, 13 Oct): 8 days apart, within the 30-day window.
    assert.deepEqual(byOverlay.map((r) => [r.code, r.area.code, r.reportedAt]), [['2025102100001', 'F1', bj('2025-10-21 09:00')]]);
    assert.deepEqual(inOneRead, byOverlay);
    assert.deepEqual(await repeatedCases(db(), rules, areas, from, to), byOverlay);
    // Registered cases of the same class in another overlay are not repeats of each other: cC (D2A) has none.
    assert.deepEqual(await repeatedCases(db(), rules, areas, bj('2025-10-15 00:00'), bj('2025-10-16 00:00')), []);
  });

  test('two sweeps at once (the hourly job and the office\'s button) both succeed and record each source once', async () => {
    // Since the last mark (15 Oct 21:00): cE, registered 21 Oct, repeats cA in F1. Both sweeps read it.
    const now = bj('2025-11-30 00:00');
    const [one, two] = await Promise.all([sweep(now), sweep(now)]);
    assert.equal(one.case_repeated + two.case_repeated, 1, 'recorded once between them');
    const repeats = await db().selectFrom('points_entries').select('source_ref').where('event', '=', 'case_repeated').execute();
    assert.deepEqual(repeats.map((r) => r.source_ref), ['2025102100001']);
    assert.equal(await sweepMark(db(), 'responsibility'), now);
  });
});
