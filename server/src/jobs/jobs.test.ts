import assert from 'node:assert/strict';
import { test } from 'node:test';
import { periodContaining, previousPeriod } from '@cityops/domain/indicators/periods';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { buildTestApp } from '../test/http.ts';
import { JobRunner, slotOf } from './job-runner.ts';
import { IDEMPOTENCY_RETENTION_MS, JOBS, SESSION_RETENTION_MS, type JobDefinition } from './jobs.ts';

const HOUR = 3_600_000;
// 2026-11-16 10:20 Beijing: the first half of November ended yesterday at midnight, October two weeks ago.
const NOW = Date.parse('2026-11-16T02:20:00Z');

describeOnBothDatabases('scheduled jobs, each run once across processes', (database) => {
  test('two processes tick in the same hour: each job runs once, claimed by one of them; the next hour runs again', async () => {
    const db = database().db;
    const a = new JobRunner(db, JOBS, { host: 'app-a' });
    const b = new JobRunner(db, JOBS, { host: 'app-b' });
    const [ta, tb] = await Promise.all([a.tick(NOW), b.tick(NOW + 60_000)]);
    for (const job of JOBS) {
      const runs = [ta, tb].flat().filter((o) => o.job === job.name);
      assert.deepEqual(runs.map((o) => o.ran).sort(), [false, true], `${job.name}: one process ran it`);
      assert.ok(runs.every((o) => !o.error), JSON.stringify(runs));
    }
    const rows = await db.selectFrom('job_runs').selectAll().orderBy('job').execute();
    assert.deepEqual(rows.map((r) => [r.job, Number(r.slot)]), JOBS.map((j) => [j.name, slotOf(j, NOW)]).sort());
    assert.ok(rows.every((r) => r.finished_at !== null && r.error === null && (r.host === 'app-a' || r.host === 'app-b')));
    // The same hour again: nothing to do. The next hour: each job once more.
    assert.ok((await a.tick(NOW + 30 * 60_000)).every((o) => !o.ran));
    assert.ok((await b.tick(NOW + HOUR)).every((o) => o.ran));
    assert.equal(Number((await db.selectFrom('job_runs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), JOBS.length * 2);
  });

  test('the ended half-month and month are counted and stored', async () => {
    const db = database().db;
    const stored = await db.selectFrom('period_cells').select('period_code').orderBy('period_code').execute();
    const half = previousPeriod(periodContaining('half_month', NOW)).code;
    const month = previousPeriod(periodContaining('month', NOW)).code;
    assert.deepEqual([half, month], ['2026-11-H1', '2026-10']);
    assert.deepEqual(stored.map((r) => r.period_code).filter((c) => c === half || c === month).sort(), [month, half].sort());
    const run = await db.selectFrom('job_runs').select('result').where('job', '=', 'store_ended_periods').where('slot', '=', slotOf(JOBS[0]!, NOW)).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(run.result!), { half_month: '2026-11-H1', month: '2026-10' });
  });

  test('pruning removes only what ended long enough ago', async () => {
    const db = database().db;
    const user = await db.insertInto('users').values({ username: 'job-test', display_name: 'J', password_hash: 'x', status: 'active', phone: null, created_at: NOW, updated_at: NOW, last_login_at: null }).returning('id').executeTakeFirstOrThrow();
    const session = (token: string, expiresAt: number, revokedAt: number | null) =>
      ({ token_hash: token, user_id: user.id, created_at: NOW - 40 * 24 * HOUR, expires_at: expiresAt, last_seen_at: NOW - 40 * 24 * HOUR, revoked_at: revokedAt });
    const t = NOW + 2 * HOUR;
    await db.insertInto('sessions').values([
      session('long-expired', t - SESSION_RETENTION_MS - 1, null),
      session('long-revoked', t + HOUR, t - SESSION_RETENTION_MS - 1),
      session('lately-expired', t - HOUR, null),
      session('active', t + HOUR, null),
    ]).execute();
    const key = (k: string, createdAt: number) => ({ scope: 'test', key: k, request_hash: 'h', status: 201, response: '{}', created_at: createdAt });
    await db.insertInto('idempotency_keys').values([key('old', t - IDEMPOTENCY_RETENTION_MS - 1), key('recent', t - HOUR)]).execute();
    const prune = JOBS.filter((j) => j.name.startsWith('prune_'));
    const outcomes = await new JobRunner(db, prune, { host: 'app-a' }).tick(t);
    assert.ok(outcomes.every((o) => o.ran && !o.error));
    assert.deepEqual((await db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).orderBy('token_hash').execute()).map((r) => r.token_hash), ['active', 'lately-expired']);
    assert.deepEqual((await db.selectFrom('idempotency_keys').select('key').where('scope', '=', 'test').execute()).map((r) => r.key), ['recent']);
    const results = await db.selectFrom('job_runs').select(['job', 'result']).where('slot', '=', slotOf(prune[0]!, t)).where('job', 'like', 'prune_%').orderBy('job').execute();
    assert.deepEqual(results.map((r) => [r.job, JSON.parse(r.result!)]), [['prune_idempotency_keys', { deleted: 1 }], ['prune_sessions', { deleted: 2 }]]);
  });

  test('a failing job is recorded with its error, and the jobs after it still run', async () => {
    const db = database().db;
    const broken: JobDefinition = { name: 'broken', zh: '测试', everyMs: HOUR, run: async () => { throw new Error('disk full'); } };
    const fine: JobDefinition = { name: 'fine', zh: '测试', everyMs: HOUR, run: async () => ({ ok: 1 }) };
    const outcomes = await new JobRunner(db, [broken, fine], { host: 'app-a' }).tick(NOW);
    assert.deepEqual(outcomes.map((o) => [o.job, o.ran, o.error ?? null]), [['broken', true, 'disk full'], ['fine', true, null]]);
    const row = await db.selectFrom('job_runs').select(['error', 'finished_at']).where('job', '=', 'broken').executeTakeFirstOrThrow();
    assert.equal(row.error, 'disk full');
    assert.ok(row.finished_at !== null);
  });
});

describeOnBothDatabases('the jobs as the administrator sees them (GET /api/jobs)', (database) => {
  test('each job with its last run; other roles are refused', async () => {
    const client = await buildTestApp(database());
    try {
      await new JobRunner(client.database.db, JOBS, { host: 'app-a' }).tick(NOW);
      const admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
      const res = await client.request('GET', '/api/jobs', { token: admin });
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as { name: string; last: { host: string; slot: string; error: string | null } | null }[];
      assert.deepEqual(items.map((i) => [i.name, i.last?.host, i.last?.slot, i.last?.error]), JOBS.map((j) => [j.name, 'app-a', new Date(slotOf(j, NOW)).toISOString(), null]));
      const leader = await client.tokenFor([{ role: 'leader', territoryCode: FIXTURE.city }]);
      assert.equal((await client.request('GET', '/api/jobs', { token: leader })).statusCode, 403);
    } finally {
      await client.close();
    }
  });
});
