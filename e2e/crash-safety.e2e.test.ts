import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRandom } from '@cityops/domain/random';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../server/src/test/databases.ts';
import { keptRows } from '../server/src/indicators/kept-cells.test-support.ts';
import { rebuildKeptCounts } from '../server/src/indicators/kept-counts-version.ts';
import { apiClient, inParallel, openServerDatabase, type Answer } from './support/api-client.ts';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { auditCases, keptCountsAgree } from './support/workflow-audit.ts';

/**
 * Crash safety (issue 9): the server process is killed with SIGKILL at a random moment while clients send
 * reports (each with its own Idempotency-Key, as the inspector's phone does) and move earlier reports on
 * (受理, 立案), then started again on the same database. Every report that was answered 201 must be there
 * exactly once, every step answered 200 must have its one event; what was in flight may be there or not, but
 * once at most; sending everything again with its key gives one case per report and replays the first
 * answers; every case still obeys the workflow table, and the kept counts still equal the records.
 * CITYOPS_LONG_TESTS=1 runs more kill cycles under more load; CITYOPS_CRASH_SEED repeats a run's kill moments.
 */
const LONG = process.env.CITYOPS_LONG_TESTS === '1';
const PLAN = LONG
  ? { cycles: 10, reporters: 24, inspectors: 8, killAfterMs: [1_000, 8_000] as const }
  : { cycles: 3, reporters: 12, inspectors: 4, killAfterMs: [300, 1_500] as const };
const SEED = Number(process.env.CITYOPS_CRASH_SEED ?? Date.now() % 1_000_000);

interface SentReport {
  key: string;
  body: { source: 'inspector'; classCode: string; description: string; location: { lon: number; lat: number } };
  token: string;
  /** The 201 answer, when it came. */
  answer: { caseId: number; code: string } | null;
}

interface SentStep {
  key: string;
  caseId: number;
  action: 'accept' | 'register';
  body: { expectedVersion: number };
  token: string;
  answer: unknown;
}

interface CycleFigures {
  cycle: number;
  killAfterMs: number;
  reportsAcknowledged: number;
  reportsInFlight: number;
  inFlightKept: number;
  stepsAcknowledged: number;
  stepsInFlight: number;
  restartMs: number;
  lost: number;
  duplicated: number;
  verifyMs: number;
}

for (const [index, dialect] of TEST_DIALECTS.entries()) {
  describe(`SIGKILL during sustained intake, restart on the same database [${dialect}]`, () => {
    let pg: TestDatabase | undefined;
    let server: RunningServer;
    const api = () => apiClient(server.base);
    const random = createRandom(SEED + index);
    const tag = `${Date.now().toString(36)}${index}`;
    const figures: CycleFigures[] = [];
    let firstCaseId = 0;
    let started = Date.now();

    before(async () => {
      started = Date.now();
      pg = dialect === 'postgres' ? await createTestDatabase('postgres') : undefined;
      server = await startDemoServer(11 + index, 200, pg ? { databaseUrl: pg.url } : {});
    });
    after(async () => {
      await server?.stop();
      await pg?.dispose();
    });

    test(`every acknowledged report and step survives each kill exactly once (${PLAN.cycles} cycles, ${PLAN.reporters} reporting clients, seed ${SEED})`, async (t) => {
      // A clean stop and start first, as the yardstick for the restarts after a kill.
      const cleanStart = performance.now();
      await server.restart();
      const cleanRestartMs = Math.round(performance.now() - cleanStart);
      const client = api();
      const admin = await client.login('admin');
      const inspectors = await client.inspectors(admin, PLAN.inspectors);
      assert.equal(inspectors.length, PLAN.inspectors);
      const handle = openServerDatabase(server.databaseUrl);
      try {
        firstCaseId = Number((await handle.db.selectFrom('cases').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0) + 1;
      } finally {
        await handle.close();
      }
      /** What the test knows each of its cases has been through: the state it expects after the retries. */
      const expected = new Map<number, 'pending_accept' | 'pending_register' | 'pending_dispatch'>();
      const toAccept: number[] = [];
      const toRegister: number[] = [];

      for (let cycle = 1; cycle <= PLAN.cycles; cycle++) {
        // Sessions live in the database: the tokens of before the crash still work after it, but each cycle signs in anew.
        const tokens = await Promise.all(inspectors.map((i) => client.login(i.username)));
        const [acceptor, shiftChief] = [await client.login('shouli1'), await client.login('zhibanzhang1')];
        const reports: SentReport[] = [];
        const steps: SentStep[] = [];
        const unexpected: string[] = [];
        let acked = 0;
        let killing = false;
        let down = false;
        /** A request that failed: the kill's doing once it has begun, a failure of the test otherwise. */
        const failed = (what: string, error: unknown) => { if (!killing) unexpected.push(`${what}: ${(error as Error).message}`); };

        const reporter = async (c: number) => {
          const who = c % inspectors.length;
          for (let n = 0; !down; n++) {
            const [lon, lat] = inspectors[who]!.points[Math.floor(random() * inspectors[who]!.points.length)]!;
            const marker = `${tag}-${cycle}-${c}-${n}`;
            const sent: SentReport = {
              key: `crash-${marker}`, token: tokens[who]!, answer: null,
              body: { source: 'inspector', classCode: '06010', description: `崩溃测试 ${marker}`, location: { lon, lat } },
            };
            reports.push(sent);
            let answer: Answer;
            try {
              answer = await client.post(sent.token, '/api/cases', sent.body, sent.key);
            } catch (error) {
              failed(`report ${marker}`, error);
              return; // the server is gone: this report's fate is unknown
            }
            if (answer.status !== 201) { unexpected.push(`report ${marker}: ${answer.status} ${JSON.stringify(answer.body)}`); continue; }
            sent.answer = { caseId: answer.body.caseId, code: answer.body.code };
            acked++;
            toAccept.push(sent.answer.caseId);
            expected.set(sent.answer.caseId, 'pending_accept');
          }
        };
        // The acceptor and the shift chief take the reports on as they come in, each step keyed as the phone's outbox keys it.
        const mover = async (action: 'accept' | 'register', queue: number[], token: string) => {
          while (!down) {
            const caseId = queue.shift();
            if (caseId === undefined) { await new Promise((r) => setTimeout(r, 5)); continue; }
            const sent: SentStep = { key: `${action}-${tag}-${caseId}`, caseId, action, body: { expectedVersion: action === 'accept' ? 1 : 2 }, token, answer: null };
            steps.push(sent);
            let answer: Answer;
            try {
              answer = await client.act(token, caseId, action, sent.body, sent.key);
            } catch (error) {
              failed(`${action} ${caseId}`, error);
              return;
            }
            if (answer.status !== 200) { unexpected.push(`${action} ${caseId}: ${answer.status} ${JSON.stringify(answer.body)}`); continue; }
            sent.answer = answer.body;
            expected.set(caseId, action === 'accept' ? 'pending_register' : 'pending_dispatch');
            if (action === 'accept') toRegister.push(caseId);
          }
        };

        const killAfterMs = Math.round(PLAN.killAfterMs[0] + random() * (PLAN.killAfterMs[1] - PLAN.killAfterMs[0]));
        const load = Promise.all([
          ...Array.from({ length: PLAN.reporters }, (_, c) => reporter(c)),
          mover('accept', toAccept, acceptor), mover('register', toRegister, shiftChief),
        ]);
        const loadStart = Date.now();
        while (Date.now() - loadStart < killAfterMs || acked === 0) await new Promise((r) => setTimeout(r, 10));
        const pid = server.pid;
        killing = true;
        await server.crash();
        down = true;
        await load;
        assert.deepEqual(unexpected, [], 'every request before the kill was answered with success');
        const restartStart = performance.now();
        await server.restart();
        const restartMs = Math.round(performance.now() - restartStart);
        assert.notEqual(server.pid, pid, 'a new server process');

        const verifyStart = performance.now();
        const handle = openServerDatabase(server.databaseUrl);
        try {
          const db = handle.db;
          const rowsOf = async () => {
            const rows = await db.selectFrom('cases').select(['id', 'code', 'description']).where('description', 'like', `崩溃测试 ${tag}-${cycle}-%`).execute();
            const by = new Map<string, { id: number; code: string }[]>();
            for (const r of rows) by.set(r.description, [...(by.get(r.description) ?? []), { id: Number(r.id), code: r.code }]);
            return by;
          };
          const kept = await rowsOf();
          const inFlight = reports.filter((r) => !r.answer);
          const lost = reports.filter((r) => r.answer && (kept.get(r.body.description) ?? []).length === 0).map((r) => r.body.description);
          const duplicated = [...kept].filter(([, rows]) => rows.length > 1).map(([d]) => d);
          assert.deepEqual(lost, [], 'no acknowledged report is lost');
          assert.deepEqual(duplicated, [], 'no report is kept twice');
          for (const r of reports.filter((x) => x.answer)) {
            assert.deepEqual(kept.get(r.body.description), [{ id: r.answer!.caseId, code: r.answer!.code }], `${r.body.description}: the case acknowledged`);
          }
          const inFlightKept = inFlight.filter((r) => kept.has(r.body.description)).length;

          // Every step answered 200 has its one event; a step in flight has at most one.
          const stepEvents = async () => {
            const ids = [...new Set(steps.map((s) => s.caseId))];
            const rows = ids.length ? await db.selectFrom('case_events').select(['case_id', 'action']).where('case_id', 'in', ids).where('action', 'in', ['accept', 'register']).execute() : [];
            const count = new Map<string, number>();
            for (const r of rows) count.set(`${r.case_id}:${r.action}`, (count.get(`${r.case_id}:${r.action}`) ?? 0) + 1);
            return count;
          };
          const events = await stepEvents();
          for (const s of steps) {
            const n = events.get(`${s.caseId}:${s.action}`) ?? 0;
            if (s.answer) assert.equal(n, 1, `${s.action} of case ${s.caseId} was acknowledged: one event`);
            else assert.ok(n <= 1, `${s.action} of case ${s.caseId} in flight: at most one event`);
          }
          const stepsDoneInFlight = new Set(steps.filter((s) => !s.answer && events.get(`${s.caseId}:${s.action}`) === 1).map((s) => s.key));

          // The phones send everything again with the same keys (reports first, then the steps in order).
          const retried = await inParallel(reports, 16, (r) => client.post(r.token, '/api/cases', r.body, r.key));
          reports.forEach((r, i) => {
            const again = retried[i]!;
            const before = kept.get(r.body.description)?.[0];
            assert.equal(again.status, 201, `${r.body.description}: ${JSON.stringify(again.body)}`);
            assert.equal(again.replayed, before !== undefined, `${r.body.description}: replayed exactly when the first attempt was kept`);
            if (before) assert.deepEqual([again.body.caseId, again.body.code], [before.id, before.code], 'the replayed answer names the same case');
            if (r.answer) assert.deepEqual({ caseId: again.body.caseId, code: again.body.code }, r.answer);
            if (!r.answer) {
              toAccept.push(again.body.caseId);
              expected.set(again.body.caseId, 'pending_accept');
            }
          });
          for (const action of ['accept', 'register'] as const) {
            const mine = steps.filter((s) => s.action === action);
            const again = await inParallel(mine, 8, (s) => client.act(s.token, s.caseId, s.action, s.body, s.key));
            mine.forEach((s, i) => {
              assert.equal(again[i]!.status, 200, `${action} ${s.caseId} again: ${JSON.stringify(again[i]!.body)}`);
              assert.equal(again[i]!.replayed, s.answer !== null || stepsDoneInFlight.has(s.key), `${action} ${s.caseId}: replayed exactly when it was taken before`);
              if (s.answer) assert.deepEqual(again[i]!.body, s.answer, 'the same answer replayed');
              if (!s.answer) {
                expected.set(s.caseId, action === 'accept' ? 'pending_register' : 'pending_dispatch');
                const at = toAccept.indexOf(s.caseId);
                if (action === 'accept' && at >= 0) toAccept.splice(at, 1);
                if (action === 'accept') toRegister.push(s.caseId);
                const rt = toRegister.indexOf(s.caseId);
                if (action === 'register' && rt >= 0) toRegister.splice(rt, 1);
              }
            });
          }
          const after = await rowsOf();
          assert.equal(after.size, reports.length, 'every report sent is now kept');
          assert.ok([...after.values()].every((rows) => rows.length === 1), 'each once');
          const taken = await stepEvents();
          for (const s of steps) assert.equal(taken.get(`${s.caseId}:${s.action}`), 1, `${s.action} of case ${s.caseId} is now taken, once`);

          // Each case of the run is where its acknowledged steps put it, and obeys the table.
          const states = await db.selectFrom('cases').select(['id', 'state']).where('id', '>=', firstCaseId).where('description', 'like', `崩溃测试 ${tag}-%`).execute();
          assert.deepEqual(new Map(states.map((s) => [Number(s.id), s.state])), expected, 'each case in the state its steps lead to');
          const audit = await auditCases(db, { fromId: firstCaseId });
          assert.deepEqual(audit.problems, []);
          await keptCountsAgree(db, started);
          figures.push({
            cycle, killAfterMs, reportsAcknowledged: acked, reportsInFlight: inFlight.length, inFlightKept,
            stepsAcknowledged: steps.filter((s) => s.answer).length, stepsInFlight: steps.filter((s) => !s.answer).length,
            restartMs, lost: lost.length, duplicated: duplicated.length, verifyMs: Math.round(performance.now() - verifyStart),
          });
        } finally {
          await handle.close();
        }
        t.diagnostic(JSON.stringify(figures.at(-1)));
      }
      const sum = (k: keyof CycleFigures) => figures.reduce((a, f) => a + f[k], 0);
      t.diagnostic(`${dialect}: ${figures.length} kills, ${sum('reportsAcknowledged')} reports and ${sum('stepsAcknowledged')} steps acknowledged, ${sum('reportsInFlight')} reports in flight (${sum('inFlightKept')} of them kept), lost ${sum('lost')}, duplicated ${sum('duplicated')}, restart after a kill ${Math.min(...figures.map((f) => f.restartMs))}–${Math.max(...figures.map((f) => f.restartMs))} ms (after a clean stop ${cleanRestartMs} ms)`);
    });

    test('afterwards every case of the database obeys the workflow table and the kept counts equal a rebuild from the records', async (t) => {
      const handle = openServerDatabase(server.databaseUrl);
      try {
        const audit = await auditCases(handle.db);
        assert.deepEqual(audit.problems, []);
        assert.ok(audit.cases > 1000, `the demo city's history and the run's reports: ${audit.cases}`);
        const kept = await keptRows(handle.db);
        assert.deepEqual(await rebuildKeptCounts(handle.db), ['post_steps', 'cells', 'grid_reports']);
        assert.deepEqual(await keptRows(handle.db), kept, 'the counts kept step by step, through the kills, equal those rebuilt from the records');
        t.diagnostic(`${dialect}: ${audit.cases} cases and ${audit.events} events audited; run ${Math.round((Date.now() - started) / 1000)} s`);
      } finally {
        await handle.close();
      }
    });
  });
}
