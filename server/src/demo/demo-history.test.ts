import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { CASE_SOURCE_NAMES } from '@cityops/domain/workflow/case-sources';
import { describeOnBothDatabases } from '../test/databases.ts';
import { seedDemoCity } from './seed-demo.ts';
import { demoEvaluationMonths } from './seed-demo-evaluations.ts';
import { postStepsFromEvents, postStepsInWindow, type PostStepCount } from '../indicators/kept-post-steps.ts';
import { keptAgreesWithRecords, keptRows, latestFact } from '../indicators/kept-cells.test-support.ts';
import { rebuildKeptCounts } from '../indicators/kept-counts-version.ts';

// Noon on Monday 23 Nov 2026 in Beijing: the log covers 23 Nov 2025 – 23 Nov 2026.
const UNTIL = Date.parse('2026-11-23T12:00:00+08:00');
const digests: string[] = [];

describeOnBothDatabases('demo city case history', (database) => {
  before(async () => {
    await seedDemoCity(database().db, { seed: 7, targetGrids: 200, casesPerGridYear: 10, historyUntil: UNTIL });
  }, { timeout: 120_000 });
  const db = () => database().db;

  test('every source, the terminal outcomes and open cases; every flow the generator knows is in the events', async () => {
    const bySource = new Map((await db().selectFrom('cases').select(['source', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('source').execute()).map((r) => [r.source, Number(r.n)]));
    assert.deepEqual([...bySource.keys()].sort(), [...CASE_SOURCE_NAMES].filter((s) => s !== 'open311').sort());
    const states = new Set((await db().selectFrom('cases').select('state').distinct().execute()).map((r) => r.state));
    for (const s of ['closed', 'not_accepted', 'voided', 'merged']) assert.ok(states.has(s), s);
    assert.ok([...states].some((s) => ['handling', 'pending_handle', 'pending_check', 'pending_close', 'suspended'].includes(s)), [...states].join());
    const actions = new Set((await db().selectFrom('case_events').select('action').distinct().execute()).map((r) => r.action));
    for (const a of ['report', 'accept', 'reject', 'verify_confirm', 'verify_refute', 'register', 'void', 'dispatch', 'sign', 'feedback', 'request_return', 'approve_return',
      'request_extension', 'approve_extension', 'refuse_extension', 'request_suspension', 'approve_suspension', 'resume', 'check_pass', 'check_fail', 'close', 'self_handle', 'merge', 'rate']) {
      assert.ok(actions.has(a), a);
    }
  });

  test('each case is its event log: one event per version, the last event gives the state, closing stamps agree', async () => {
    const mismatched = await sql<{ n: number }>`
      select count(*) as n from cases c
      where c.version <> (select count(*) from case_events e where e.case_id = c.id)
         or c.state <> (select e.to_state from case_events e where e.case_id = c.id order by e.seq desc limit 1)
         or (c.state = 'closed' and c.closed_at <> (select max(e.at) from case_events e where e.case_id = c.id and e.action in ('close', 'self_handle')))`.execute(db());
    assert.equal(Number(mismatched.rows[0]!.n), 0);
    const firstAt = await db().selectFrom('cases').select((eb) => [eb.fn.min('reported_at').as('from'), eb.fn.max('reported_at').as('to')]).executeTakeFirstOrThrow();
    assert.ok(Number(firstAt.from) >= UNTIL - 365 * 86_400_000 - 8 * 3_600_000 && Number(firstAt.to) <= UNTIL);
  });

  test('summer is busier than the Spring Festival month, and departments differ in speed', async () => {
    const month = async (prefix: string) => Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('code', 'like', `${prefix}%`).executeTakeFirstOrThrow()).n);
    assert.ok(await month('202607') > 1.5 * await month('202602'));
    const rows = await sql<{ department_id: number; n: number; late: number }>`
      select department_id, count(*) as n, sum(case when handled_at > handling_due_at then 1 else 0 end) as late
      from cases where handled_at is not null and department_id is not null group by department_id having count(*) >= 40`.execute(db());
    const shares = rows.rows.map((r) => Number(r.late) / Number(r.n)).sort((a, b) => a - b);
    assert.ok(shares.length >= 4 && shares.at(-1)! > shares[0]! + 0.15, JSON.stringify(shares));
  });

  test('the imported history keeps its post steps per day exactly as the step events count them', async () => {
    const sorted = (rows: PostStepCount[]) => [...rows].sort((a, b) => a.actor_id - b.actor_id || a.action.localeCompare(b.action));
    const window = { from: 0, asOf: Date.parse('2030-01-01T00:00:00+08:00') };
    const kept = sorted(await postStepsInWindow(db(), window));
    assert.ok(kept.reduce((a, r) => a + r.n, 0) > 1000, 'the demo year has post steps');
    assert.deepEqual(kept, sorted(await postStepsFromEvents(db(), window.from, window.asOf)));
  });

  test('the imported history keeps its counts per half-month exactly as the records count them, and a rebuild finds the same', async () => {
    const bj = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
    const windows = [
      { from: bj('2025-12-01'), asOf: bj('2026-01-01') }, { from: bj('2026-06-16'), asOf: bj('2026-07-01') }, { from: bj('2026-01-01'), asOf: bj('2026-04-01') },
      { from: bj('2025-11-01'), asOf: bj('2027-01-01') }, { from: bj('2026-11-01'), asOf: (await latestFact(db())) + 1, live: true },
    ];
    for (const w of windows) {
      const totals = await keptAgreesWithRecords(db(), w);
      assert.ok(totals.grids.length > 0 && totals.departments.length > 0, `${new Date(w.from).toISOString()}: something was counted`);
    }
    const before = await keptRows(db());
    assert.ok(before.cells.length > 100);
    await rebuildKeptCounts(db());
    assert.deepEqual(await keptRows(db()), before);
  });

  test('twelve months of comprehensive evaluations are published over the history, each with its findings and ranking', async () => {
    const runs = await db().selectFrom('evaluation_runs').select(['id', 'period_code', 'state']).where('scheme_code', '=', 'city').orderBy('period_code').execute();
    assert.deepEqual(runs.map((r) => [r.period_code, r.state]), demoEvaluationMonths(UNTIL).map((m) => [m.code, 'published']));
    const streetRuns = await db().selectFrom('evaluation_runs').select(['id']).where('scheme_code', 'like', 'district-%').where('state', '=', 'published').execute();
    assert.equal(streetRuns.length, 12, 'a district ranks its streets every month under its own scheme');
    // A street with too few cases to score on the case indicators is left unranked (the first month has a week of history).
    const rankedStreetMonths = await db().selectFrom('evaluation_results').select('run_id').where('run_id', 'in', streetRuns.map((r) => r.id)).where('stage', '=', 'final')
      .where('rank', 'is not', null).groupBy('run_id').having((eb) => eb.fn.countAll(), '>=', 2).execute();
    assert.ok(rankedStreetMonths.length >= 11, `streets ranked in ${rankedStreetMonths.length} months`);
    const findings = await db().selectFrom('inspection_findings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(Number(findings.n) > 0, 'the third-party cases became findings');
    for (const run of runs) {
      const results = await db().selectFrom('evaluation_results').select(['rank', 'amount_fen', 'total']).where('run_id', '=', run.id).where('stage', '=', 'final').execute();
      assert.ok(results.length >= 2 && results.every((r) => r.total !== null), `${run.period_code}: every district scored`);
      assert.equal(results.filter((r) => r.rank === 1).length >= 1, true);
    }
  });

  test('the same seed and end give the same cases on either database', async () => {
    const rows = await db().selectFrom('cases as c').leftJoin('departments as d', 'd.id', 'c.department_id')
      .select(['c.code', 'c.external_ref', 'c.state', 'c.class_code', 'd.code as dept', 'c.handling_due_at']).orderBy('c.code').execute();
    digests.push(createHash('sha256').update(JSON.stringify(rows.map((r) => [r.code, r.external_ref, r.state, r.class_code, r.dept, r.handling_due_at === null ? null : Number(r.handling_due_at)]))).digest('hex'));
    if (digests.length === 2) assert.equal(digests[0], digests[1]);
  });
});
