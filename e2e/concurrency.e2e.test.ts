import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../server/src/test/databases.ts';
import type { DatabaseHandle } from '../server/src/db/database.ts';
import { apiClient, openServerDatabase, type Answer, type ApiClient } from './support/api-client.ts';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { auditCases, keptCountsAgree } from './support/workflow-audit.ts';

/**
 * Concurrency (issue 9): many clients act on the same cases at once through a real server process, on each
 * database. One step taken by twenty clients at once is taken once (the others are told 409 and why); different
 * steps at once leave one valid path; edits made from the version each client saw lose nothing and double
 * nothing (the case's counters and the kept counts); the offline inspector's outbox, which sends an item again
 * with the same Idempotency-Key whenever it did not hear back (and may send it while the first attempt is still
 * running), gets one effect and the first answer, and a key reused for another body is refused (422).
 */
const CLIENTS = 20;
/** What a client that lost a race may be told: the case is no longer where it acted (the table), or it moved under it. */
const LOST_RACE = new Set(['invalid_state', 'conflict', 'stale_version', 'precondition_failed']);

for (const [index, dialect] of TEST_DIALECTS.entries()) {
  describe(`many clients on the same cases [${dialect}]`, () => {
    let pg: TestDatabase | undefined;
    let server: RunningServer;
    let handle: DatabaseHandle;
    let api: ApiClient;
    const started = Date.now();
    /** Sessions per role: each of the twenty clients of a race uses one, round robin (several users, several sessions each). */
    const sessions: Record<'acceptor' | 'shiftChief' | 'dispatcher' | 'inspector' | 'department' | 'admin', string[]> = { acceptor: [], shiftChief: [], dispatcher: [], inspector: [], department: [], admin: [] };
    let point: { lon: number; lat: number };
    let departmentId = 0;
    /** The 409 codes the losers of the races were told, for the figures. */
    const lostWith = new Map<string, number>();

    const signIn = async (usernames: string[], perUser: number) => (await Promise.all(usernames.flatMap((u) => Array.from({ length: perUser }, () => api.login(u)))));
    const one = (role: keyof typeof sessions, i = 0) => sessions[role][i % sessions[role].length]!;
    const must = (answer: Answer, status: number, what: string) => {
      assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const report = async (description: string) => must(await api.post(one('inspector'), '/api/cases', { source: 'inspector', classCode: '06010', description, location: point }), 201, 'report').caseId as number;
    const step = async (caseId: number, role: keyof typeof sessions, action: string, body: Record<string, unknown> = {}) => must(await api.act(one(role), caseId, action, body), 200, `${action} ${caseId}`);
    const photo = (role: keyof typeof sessions, i = 0) => api.photo(one(role, i));
    /** A new case taken along the main path until it waits in `state`. */
    /** The main path as a table: the state a case waits in, and the step (who, what, with what) that takes it on. */
    const MAIN_PATH: { from: string; role: keyof typeof sessions; action: string; body: () => Promise<Record<string, unknown>> }[] = [
      { from: 'pending_accept', role: 'acceptor', action: 'accept', body: async () => ({}) },
      { from: 'pending_register', role: 'shiftChief', action: 'register', body: async () => ({}) },
      { from: 'pending_dispatch', role: 'dispatcher', action: 'dispatch', body: async () => ({ departmentId }) },
      { from: 'pending_handle', role: 'department', action: 'sign', body: async () => ({}) },
      { from: 'handling', role: 'department', action: 'feedback', body: async () => ({ attachmentIds: [await photo('department')] }) },
      { from: 'pending_check', role: 'inspector', action: 'check_pass', body: async () => ({}) },
    ];
    /** A new case taken along the main path until it waits in `state`. */
    const caseIn = async (state: 'pending_accept' | 'pending_register' | 'pending_dispatch' | 'pending_handle' | 'handling' | 'pending_check' | 'pending_close', label: string) => {
      const caseId = await report(`并发测试 ${label}`);
      // pending_close is where the whole path leads (no step of the table starts there).
      const stop = MAIN_PATH.findIndex((s) => s.from === state);
      const steps = stop === -1 ? MAIN_PATH : MAIN_PATH.slice(0, stop);
      for (const s of steps) await step(caseId, s.role, s.action, await s.body());
      return caseId;
    };
    const caseRow = (caseId: number) => handle.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const eventsOf = async (caseId: number) => (await handle.db.selectFrom('case_events').select(['seq', 'action', 'from_state', 'to_state', 'reason']).where('case_id', '=', caseId).orderBy('seq').execute());
    /** Exactly one winner; every other client got a 409 naming why. Returns the winner's index. */
    const oneWinner = (answers: Answer[], what: string) => {
      const won = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
      assert.equal(won.length, 1, `${what}: one success, got ${answers.map((a) => a.status).join(',')} ${JSON.stringify(won.map((i) => answers[i]!.body))}`);
      for (const a of answers.filter((x) => x.status !== 200)) {
        assert.equal(a.status, 409, `${what}: ${JSON.stringify(a.body)}`);
        assert.ok(LOST_RACE.has(a.body.error.code), `${what}: told ${a.body.error.code}`);
        assert.ok(a.body.error.message.length > 10, 'a message a person can act on');
        lostWith.set(a.body.error.code, (lostWith.get(a.body.error.code) ?? 0) + 1);
      }
      return won[0]!;
    };
    /**
     * Several different steps at once may each succeed when one still applies after another (accepted, then merged):
     * the successes, in the order of their events, must be the case's whole timeline after the report, each step
     * starting where the one before ended, every other client told 409. Returns the actions taken, in order.
     */
    const onePath = async (caseId: number, answers: Answer[], what: string) => {
      const won = answers.filter((a) => a.status === 200).map((a) => a.body).sort((a, b) => a.eventSeq - b.eventSeq);
      assert.ok(won.length >= 1, `${what}: someone succeeds`);
      for (const a of answers.filter((x) => x.status !== 200)) {
        assert.deepEqual([a.status, LOST_RACE.has(a.body.error.code)], [409, true], `${what}: ${JSON.stringify(a.body)}`);
        lostWith.set(a.body.error.code, (lostWith.get(a.body.error.code) ?? 0) + 1);
      }
      const events = (await eventsOf(caseId)).slice(1);
      assert.deepEqual(events.map((e) => [e.seq, e.action, e.from_state, e.to_state]), won.map((w) => [w.eventSeq, w.action, w.fromState, w.toState]), `${what}: each success is one event, nothing else happened`);
      won.forEach((w, i) => { if (i > 0) assert.equal(w.fromState, won[i - 1].toState, `${what}: ${w.action} took the case where ${won[i - 1].action} left it`); });
      assert.equal((await caseRow(caseId)).state, won.at(-1).toState);
      return won.map((w) => w.action as string);
    };

    before(async () => {
      pg = dialect === 'postgres' ? await createTestDatabase('postgres') : undefined;
      server = await startDemoServer(13 + index, 200, pg ? { databaseUrl: pg.url } : {});
      api = apiClient(server.base);
      handle = openServerDatabase(server.databaseUrl);
      sessions.admin = await signIn(['admin'], 1);
      const [inspector] = await api.inspectors(one('admin'), 1);
      const [lon, lat] = inspector!.points[0]!;
      point = { lon, lat };
      sessions.inspector = await signIn([inspector!.username], 5);
      sessions.acceptor = await signIn(['shouli1', 'shouli2', 'shouli3', 'shouli4'], 2);
      sessions.shiftChief = await signIn(['zhibanzhang1', 'zhibanzhang2'], 3);
      sessions.dispatcher = await signIn(['paiqian1', 'paiqian2', 'paiqian3'], 2);
      const probe = await report('并发测试 部门');
      const suggested = (await api.read(one('admin'), `/api/cases/${probe}`)).suggestedDepartment as { id: number; code: string };
      departmentId = suggested.id;
      sessions.department = await signIn([`bm-${suggested.code.toLowerCase()}`], 5);
    });
    after(async () => {
      await handle?.close();
      await server?.stop();
      await pg?.dispose();
    });

    test(`${CLIENTS} clients take the same step at once, at every step of a case's life: one succeeds, the others get 409, one event each`, async (t) => {
      const caseId = await report('并发测试 同一步骤');
      const path: [string, keyof typeof sessions, string, (i: number) => Promise<Record<string, unknown>>][] = [
        ['accept', 'acceptor', 'pending_register', async () => ({})],
        ['register', 'shiftChief', 'pending_dispatch', async () => ({})],
        ['dispatch', 'dispatcher', 'pending_handle', async () => ({ departmentId })],
        ['sign', 'department', 'handling', async () => ({})],
        ['feedback', 'department', 'pending_check', async (i) => ({ note: `已处理 ${i}`, attachmentIds: [await photo('department', i)] })],
        ['check_pass', 'inspector', 'pending_close', async () => ({})],
        ['close', 'shiftChief', 'closed', async () => ({})],
      ];
      for (const [action, role, to, bodyOf] of path) {
        const version = (await caseRow(caseId)).version;
        const bodies = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => bodyOf(i)));
        const answers = await Promise.all(bodies.map((body, i) => api.act(one(role, i), caseId, action, body)));
        const winner = oneWinner(answers, action);
        assert.equal(answers[winner]!.body.toState, to);
        const row = await caseRow(caseId);
        assert.deepEqual([row.state, row.version], [to, version + 1], `${action}: one step taken`);
        assert.equal((await eventsOf(caseId)).filter((e) => e.action === action).length, 1, `${action}: one event`);
        if (action === 'feedback') {
          // Only the winner's photo belongs to the case: the losers' transactions left nothing behind.
          const linked = await handle.db.selectFrom('attachments').select('id').where('case_id', '=', caseId).execute();
          assert.deepEqual(linked.map((r) => Number(r.id)), bodies[winner]!.attachmentIds, 'the winner\'s photo only');
        }
      }
      assert.deepEqual((await eventsOf(caseId)).map((e) => e.action), ['report', ...path.map(([a]) => a)]);
      t.diagnostic(`${dialect}: the losers were told ${JSON.stringify(Object.fromEntries(lostWith))}`);
    });

    test('different steps at once on one case: it follows one valid path of the table, each success one event, every other client told 409', async (t) => {
      const winners = new Map<string, number>();
      const target = await caseIn('pending_accept', '并案目标');
      // A new report: accepted, sent to verification, rejected, merged into another case or self-handled, all at once.
      // Some of these still apply after another (a case sent to verification can then be rejected or merged), so
      // more than one may succeed, one after the other; none twice, and the timeline is exactly the successes.
      for (let round = 0; round < 6; round++) {
        const caseId = await caseIn('pending_accept', `受理竞争 ${round}`);
        const tries: [string, keyof typeof sessions, Record<string, unknown>, string][] = [
          ['accept', 'acceptor', {}, 'pending_register'],
          ['send_verify', 'acceptor', {}, 'pending_verify'],
          ['reject', 'acceptor', { reason: '不属于城管范围' }, 'not_accepted'],
          ['merge', 'shiftChief', { mergeTargetId: target }, 'merged'],
          ['self_handle', 'inspector', { attachmentIds: [await photo('inspector', round)] }, 'closed'],
        ];
        const answers = await Promise.all(tries.flatMap(([action, role, body], k) => [0, 1, 2, 3].map((i) => api.act(one(role, k + i), caseId, action, body))));
        const taken = await onePath(caseId, answers, `round ${round}`);
        assert.equal(new Set(taken).size, taken.length, 'no step taken twice');
        const last = tries.find(([action]) => action === taken.at(-1))!;
        assert.equal((await caseRow(caseId)).state, last[3], 'where the table sends the last step taken');
        winners.set(taken.join('→'), (winners.get(taken.join('→')) ?? 0) + 1);
      }
      // A case being handled: the department asks to return, to extend, to suspend and reports back, all at once.
      for (let round = 0; round < 4; round++) {
        const caseId = await caseIn('handling', `处置竞争 ${round}`);
        const tries: [string, Record<string, unknown>][] = [
          ['request_return', { reason: '非本单位职责' }], ['request_extension', { reason: '需要协调' }],
          ['request_suspension', { reason: '疑难问题' }], ['feedback', { attachmentIds: [await photo('department', round)] }],
        ];
        const answers = await Promise.all(tries.flatMap(([action, body], k) => [0, 1, 2].map((i) => api.act(one('department', k + i), caseId, action, body))));
        const [action] = tries[Math.floor(oneWinner(answers, `handling round ${round}`) / 3)]!;
        winners.set(action, (winners.get(action) ?? 0) + 1);
        const row = await caseRow(caseId);
        const application = { request_return: 'return', request_extension: 'extension', request_suspension: 'suspension', feedback: null }[action];
        assert.deepEqual([row.state, row.application], [action === 'feedback' ? 'pending_check' : 'handling', application]);
        assert.deepEqual((await eventsOf(caseId)).map((e) => e.action).slice(-2), ['sign', action]);
      }
      // The dispatcher's ruling on an application: approved and refused by several dispatchers at once.
      for (let round = 0; round < 3; round++) {
        const caseId = await caseIn('handling', `裁定竞争 ${round}`);
        await step(caseId, 'department', 'request_extension', { reason: '材料未到' });
        const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => i % 2
          ? api.act(one('dispatcher', i), caseId, 'approve_extension', {})
          : api.act(one('dispatcher', i), caseId, 'refuse_extension', { reason: '理由不充分' })));
        const approved = oneWinner(answers, `ruling ${round}`) % 2 === 1;
        winners.set(approved ? 'approve_extension' : 'refuse_extension', (winners.get(approved ? 'approve_extension' : 'refuse_extension') ?? 0) + 1);
        const row = await caseRow(caseId);
        assert.deepEqual([row.application, row.extensions_count], [null, approved ? 1 : 0], 'the ruling counted once, or not at all');
      }
      const audit = await auditCases(handle.db, { fromId: target });
      assert.deepEqual(audit.problems, []);
      t.diagnostic(`${dialect}: winners ${JSON.stringify(Object.fromEntries(winners))}`);
    });

    test('edits from the version each client saw: one wins, the others are told the case moved; counters and kept counts lose nothing', async () => {
      const caseId = await caseIn('handling', '版本');
      for (const extension of [1, 2]) {
        // Ten department clients read the case, then each asks for an extension with its own reason and the version it saw.
        const seen = (await api.read(one('department'), `/api/cases/${caseId}`)).version as number;
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => api.act(one('department', i), caseId, 'request_extension', { reason: `第${extension}次延期 理由${i}`, expectedVersion: seen })));
        const won = oneWinner(answers, `request ${extension}`);
        const events = await eventsOf(caseId);
        assert.equal(events.at(-1)!.reason, `第${extension}次延期 理由${won}`, 'the application kept is the winner\'s, whole');
        // Three dispatchers approve from the version they saw: one approval counts.
        const ruling = (await api.read(one('dispatcher'), `/api/cases/${caseId}`)).version as number;
        oneWinner(await Promise.all([0, 1, 2].map((i) => api.act(one('dispatcher', i), caseId, 'approve_extension', { expectedVersion: ruling }))), `approve ${extension}`);
        assert.equal((await caseRow(caseId)).extensions_count, extension, 'each approval counted once');
      }
      const third = await Promise.all([0, 1, 2].map((i) => api.act(one('department', i), caseId, 'request_extension', { reason: '第三次' })));
      assert.deepEqual(third.map((a) => [a.status, a.body.error?.code]), [[409, 'precondition_failed'], [409, 'precondition_failed'], [409, 'precondition_failed']], 'at most two extensions: no third slipped through');

      // Shared counters: thirty cases of one grid taken through three steps at once by the same few people (the same
      // kept rows for each step), while thirty more reports of that grid come in: every additive count adds up.
      const cases = await Promise.all(Array.from({ length: 30 }, (_, i) => report(`并发测试 计数 ${i}`)));
      const stepAll = (action: string, role: keyof typeof sessions, body: Record<string, unknown> = {}) =>
        Promise.all(cases.map((id, i) => api.act(one(role, i), id, action, body)));
      const [accepted] = await Promise.all([stepAll('accept', 'acceptor'), Promise.all(Array.from({ length: 30 }, (_, i) => report(`并发测试 计数 新 ${i}`)))]);
      assert.ok(accepted.every((a) => a.status === 200));
      assert.ok((await stepAll('register', 'shiftChief')).every((a) => a.status === 200));
      assert.ok((await stepAll('dispatch', 'dispatcher', { departmentId })).every((a) => a.status === 200));
      const counted = await keptCountsAgree(handle.db, started);
      assert.ok(counted.steps >= 90, `the steps were kept: ${counted.steps}`);
      assert.deepEqual((await auditCases(handle.db, { fromId: caseId })).problems, []);
    });

    test('the offline outbox sends the same report and the same step again, at once and later: one effect, the first answer replayed; the key with another body is refused', async (t) => {
      // A report whose answer was lost, sent ten times at once (the first attempt is still running) and then three more times.
      const body = { source: 'inspector', classCode: '06010', description: '并发测试 离线上报', location: point, reportedAt: new Date(Date.now() - 60_000).toISOString() };
      const key = `outbox-${dialect}-${Date.now()}`;
      const burst = await Promise.all(Array.from({ length: 10 }, () => api.post(one('inspector'), '/api/cases', body, key)));
      assert.deepEqual(burst.map((a) => a.status), Array(10).fill(201));
      assert.equal(burst.filter((a) => !a.replayed).length, 1, 'one attempt acted');
      const first = burst.find((a) => !a.replayed)!.body;
      for (const a of burst) assert.deepEqual(a.body, first, 'every attempt got the first answer');
      for (let i = 0; i < 3; i++) {
        const later = await api.post(one('inspector', i), '/api/cases', body, key);
        assert.deepEqual([later.status, later.replayed, later.body], [201, true, first]);
      }
      const reused = await api.post(one('inspector'), '/api/cases', { ...body, description: '并发测试 离线上报 改过' }, key);
      assert.deepEqual([reused.status, reused.body.error.code], [422, 'idempotency_key_reused']);
      const rows = await handle.db.selectFrom('cases').select('id').where('description', 'like', '并发测试 离线上报%').execute();
      assert.deepEqual(rows.map((r) => Number(r.id)), [first.caseId], 'one case; the refused body wrote nothing');

      // A check (核查) taken on the phone: the outbox's body carries the version the inspector saw.
      const caseId = await caseIn('pending_check', '离线核查');
      const version = (await caseRow(caseId)).version;
      const item = { key: `outbox-check-${dialect}-${caseId}`, body: { note: '现场已清理', expectedVersion: version } };
      const sent = await Promise.all(Array.from({ length: 10 }, (_, i) => api.act(one('inspector', i), caseId, 'check_pass', item.body, item.key)));
      assert.deepEqual(sent.map((a) => a.status), Array(10).fill(200), JSON.stringify(sent.filter((a) => a.status !== 200).map((a) => a.body)));
      assert.equal(sent.filter((a) => !a.replayed).length, 1);
      const answer = sent.find((a) => !a.replayed)!.body;
      for (const a of sent) assert.deepEqual(a.body, answer);
      assert.equal((await eventsOf(caseId)).filter((e) => e.action === 'check_pass').length, 1);
      // The case moves on (结案); the phone, still without its answer, sends the item again: replayed, not refused.
      await step(caseId, 'shiftChief', 'close');
      const late = await api.act(one('inspector'), caseId, 'check_pass', item.body, item.key);
      assert.deepEqual([late.status, late.replayed, late.body], [200, true, answer]);
      const changed = await api.act(one('inspector'), caseId, 'check_pass', { ...item.body, note: '改过' }, item.key);
      assert.deepEqual([changed.status, changed.body.error.code], [422, 'idempotency_key_reused']);
      assert.equal((await caseRow(caseId)).state, 'closed');

      // The phone's retries racing another inspector's different step on the same case: whoever wins, the phone's
      // attempts all get one and the same answer (all 200 with the first answer, or all 409), and one step is taken.
      const outcomes = { phone: 0, other: 0 };
      for (let round = 0; round < 6; round++) {
        const id = await caseIn('pending_check', `离线竞争 ${round}`);
        const seen = (await caseRow(id)).version;
        const k = `outbox-race-${dialect}-${id}`;
        const [phone, other] = await Promise.all([
          Promise.all(Array.from({ length: 5 }, (_, i) => api.act(one('inspector', i), id, 'check_pass', { expectedVersion: seen }, k))),
          api.act(one('inspector', 4), id, 'check_fail', { reason: '仍有垃圾', expectedVersion: seen }),
        ]);
        const statuses = new Set(phone.map((a) => a.status));
        assert.equal(statuses.size, 1, `round ${round}: the phone's attempts were told the same: ${JSON.stringify(phone.map((a) => [a.status, a.body.error?.code]))}`);
        const steps = (await eventsOf(id)).filter((e) => e.action === 'check_pass' || e.action === 'check_fail');
        assert.equal(steps.length, 1, 'one check taken');
        if (phone[0]!.status === 200) {
          outcomes.phone++;
          assert.equal(phone.filter((a) => !a.replayed).length, 1);
          for (const a of phone) assert.deepEqual(a.body, phone.find((x) => !x.replayed)!.body);
          assert.deepEqual([other.status, steps[0]!.action], [409, 'check_pass']);
        } else {
          outcomes.other++;
          assert.deepEqual([other.status, steps[0]!.action], [200, 'check_fail']);
          assert.ok(phone.every((a) => a.status === 409));
        }
      }
      assert.deepEqual((await auditCases(handle.db, { fromId: first.caseId })).problems, []);
      await keptCountsAgree(handle.db, started);
      t.diagnostic(`${dialect}: phone won ${outcomes.phone} of 6 races, the other inspector ${outcomes.other}`);
    });
  });
}
