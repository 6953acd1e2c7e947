import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../server/src/test/databases.ts';
import { JOBS } from '../server/src/jobs/jobs.ts';
import { slotOf } from '../server/src/jobs/job-runner.ts';
import { startDemoServer, type RunningServer } from './support/serve.ts';

/**
 * How CityOps grows past one process (issue 8): two `cityops serve` processes on one PostgreSQL database,
 * as behind a load balancer. Reports sent to either are numbered from the one day counter, a retry that
 * lands on the other process is answered from the first (idempotency keys live in the database), two
 * people acting on the same case through different processes cannot both win, and each scheduled job
 * runs once per slot although both processes run the scheduler.
 */
describe('two app processes against one PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  const started = Date.now();

  before(async () => {
    db = await createTestDatabase('postgres');
    a = await startDemoServer(7, 200, { databaseUrl: db.url });
    b = await startDemoServer(8, 200, { databaseUrl: db.url, seedDemo: false });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await db?.dispose();
  });

  const login = async (base: string, username: string) =>
    ((await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo12345' }) })).json()) as { token: string }).token;
  const post = (base: string, token: string, path: string, body: unknown, key?: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });

  test('reports sent to both are all kept, numbered once each; a retry on the other process is answered from the first', async () => {
    // A session made on one process is valid on the other: sessions live in the database.
    const token = await login(a.base, 'admin');
    const inspector = ((await (await fetch(`${b.base}/api/users?role=inspector&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { username: string; grants: { territoryCode: string }[] }[] }).items[0]!;
    const street = (await (await fetch(`${b.base}/api/territory/nodes/${inspector.grants[0]!.territoryCode}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { centroid: [number, number] };
    const reporter = await login(b.base, inspector.username);
    const N = 120;
    const body = (i: number) => ({ source: 'inspector', classCode: '06010', description: `两进程测试 ${i}`, location: { lon: street.centroid[0], lat: street.centroid[1] } });
    const first = new Map<number, number>();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < N) {
        const i = next++;
        const res = await post(i % 2 ? a.base : b.base, reporter, '/api/cases', body(i), `two-proc-${i}`);
        assert.equal(res.status, 201, await res.clone().text());
        first.set(i, ((await res.json()) as { caseId: number }).caseId);
      }
    }));
    // Retries, each on the process that did not take the first attempt.
    for (let i = 0; i < 20; i++) {
      const res = await post(i % 2 ? b.base : a.base, reporter, '/api/cases', body(i), `two-proc-${i}`);
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('idempotent-replayed'), 'true');
      assert.equal(((await res.json()) as { caseId: number }).caseId, first.get(i));
    }
    const rows = await db.db.selectFrom('cases').select(['id', 'code']).where('description', 'like', '两进程测试 %').execute();
    assert.equal(rows.length, N, 'every report once');
    assert.equal(new Set(rows.map((r) => r.code)).size, N, 'each its own number from the shared day counter');
    assert.deepEqual(new Set(rows.map((r) => Number(r.id))), new Set(first.values()));
  });

  test('two acceptors accept the same case through different processes: one wins, the other is told it moved on', async () => {
    const caseId = Number((await db.db.selectFrom('cases').select('id').where('description', '=', '两进程测试 0').executeTakeFirstOrThrow()).id);
    const [t1, t2] = await Promise.all([login(a.base, 'shouli1'), login(b.base, 'shouli2')]);
    const answers = await Promise.all([post(a.base, t1, `/api/cases/${caseId}/actions/accept`, {}), post(b.base, t2, `/api/cases/${caseId}/actions/accept`, {})]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    const accepts = await db.db.selectFrom('case_events').select('id').where('case_id', '=', caseId).where('action', '=', 'accept').execute();
    assert.equal(accepts.length, 1, 'one accept recorded');
  });

  test('both processes run the scheduler; each job has run once for its slot', async () => {
    // The first tick comes five seconds after start; give both processes time to try.
    const deadline = Date.now() + 30_000;
    const slots = JOBS.map((j) => [j.name, slotOf(j, Date.now())] as const);
    for (;;) {
      const done = await db.db.selectFrom('job_runs').select(['job', 'slot', 'host', 'finished_at']).where('finished_at', 'is not', null).execute();
      if (slots.every(([job, slot]) => done.some((r) => r.job === job && Number(r.slot) === slot)) && Date.now() - started > 12_000) break;
      assert.ok(Date.now() < deadline, `jobs did not run: ${JSON.stringify(done)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const perSlot = await db.db.selectFrom('job_runs').select(['job', 'slot', sql<number>`count(*)`.as('n')]).groupBy(['job', 'slot']).execute();
    assert.ok(perSlot.every((r) => Number(r.n) === 1), JSON.stringify(perSlot));
    const errors = await db.db.selectFrom('job_runs').select(['job', 'error']).where('error', 'is not', null).execute();
    assert.deepEqual(errors, []);
  });
});
