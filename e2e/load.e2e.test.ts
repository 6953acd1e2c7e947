// Issue 9.5: sustained mixed load on loopback against a real `cityops serve` process, on SQLite and on PostgreSQL.
// A fixed number of closed request loops (each waits for its answer before the next request, so the load is
// bounded) run a weighted mix of the day's work for a set time: inspectors' reports, the acceptance, registration
// and dispatch of those reports, lists, case pages, timelines, map points, counts, indicators, the public's
// portal and Open311 reads, and the demo's key tasks (board, task page, progress reports, the office's review),
// points ledgers (after the office's sweep) and credit register (the office's and the public's). Every answer
// must be the expected one (no 5xx, no refusal); each operation's rate and latency are printed as a
// `LOAD {json}` line (figures in docs/reliability.md). CI runs 10 s per database;
// CITYOPS_LOAD_SECONDS sets a longer run, CITYOPS_LOAD_LOOPS the loops, CITYOPS_LOAD_DATABASES the databases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../server/src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/test/databases.ts';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { MIX, pickOperation, summarise, type LoadWorld, type Sample } from './support/load-mix.ts';

const SECONDS = Number(process.env.CITYOPS_LOAD_SECONDS ?? 10);
const LOOPS = Number(process.env.CITYOPS_LOAD_LOOPS ?? 16);
/** Marks the load's reports, to count them in the database afterwards. */
const MARK = `负载测试-${process.pid}`;

const residentMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

for (const dialect of (process.env.CITYOPS_LOAD_DATABASES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]) {
  describe(`sustained mixed load on one server process [${dialect}] (issue 9.5)`, () => {
    let pgDb: TestDatabase | undefined;
    let server: RunningServer;
    before(async () => {
      if (dialect === 'postgres') pgDb = await createTestDatabase('postgres');
      server = await startDemoServer(dialect === 'sqlite' ? 31 : 32, 200, pgDb ? { databaseUrl: pgDb.url } : {});
    });
    after(async () => {
      await server?.stop();
      await pgDb?.dispose();
    });

    test(`${LOOPS} request loops for ${SECONDS} s: every answer as expected, every acknowledged report stored once`, async () => {
      const world = await setUpWorld(server.base);
      const rssBefore = residentMb(server.pid);
      const samples: Sample[] = [];
      const deadline = Date.now() + SECONDS * 1000;
      let seed = 7;
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
      const started = performance.now();
      await Promise.all(Array.from({ length: LOOPS }, async (_, loop) => {
        const own: number[] = [];
        while (Date.now() < deadline) {
          const operation = pickOperation(random());
          const t0 = performance.now();
          let outcome: { ok: boolean; detail?: string };
          try {
            outcome = await operation.run(world, { loop, own, random, mark: MARK });
          } catch (error) {
            outcome = { ok: false, detail: (error as Error).message };
          }
          samples.push({ op: operation.name, ms: performance.now() - t0, ok: outcome.ok, detail: outcome.detail });
        }
      }));
      const elapsed = (performance.now() - started) / 1000;
      const health = await fetch(`${server.base}/healthz`);
      const summary = summarise(samples, elapsed);
      console.log(`LOAD ${JSON.stringify({ dialect, seconds: SECONDS, loops: LOOPS, rssMbBefore: rssBefore, rssMbAfter: residentMb(server.pid), ...summary })}`);

      assert.deepEqual(samples.filter((s) => !s.ok).slice(0, 10).map((s) => `${s.op}: ${s.detail}`), [], 'answers other than the expected');
      assert.equal(health.status, 200, `health after the load: ${health.status} ${await health.clone().text()}`);
      assert.ok(summary.requests > LOOPS * SECONDS, `${summary.requests} requests in ${SECONDS} s`);
      for (const { name } of MIX) assert.ok(summary.operations[name]!.count > 0, `${name} ran`);
      // Every acknowledged report is stored, once.
      const handle = openDatabase({ url: server.databaseUrl, ...(dialect === 'postgres' ? { poolSize: 1 } : {}) });
      try {
        const stored = await sql<{ n: number | string }>`select count(*) as n from cases where description like ${`${MARK}%`}`.execute(handle.db);
        assert.equal(Number(stored.rows[0]!.n), world.acknowledged.size, `${stored.rows[0]!.n} stored, ${world.acknowledged.size} acknowledged`);
        const codes = await sql<{ n: number | string }>`select count(distinct code) as n from cases where description like ${`${MARK}%`}`.execute(handle.db);
        assert.equal(Number(codes.rows[0]!.n), world.acknowledged.size, 'one number each');
      } finally {
        await handle.close();
      }
    });
  });
}

async function setUpWorld(base: string): Promise<LoadWorld> {
  const login = async (username: string) => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo12345' }) });
    assert.equal(res.status, 200, `login ${username}`);
    return ((await res.json()) as { token: string }).token;
  };
  const admin = await login('admin');
  const get = async <T>(path: string, token = admin) => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const inspector = (await get<{ items: { username: string; grants: { territoryCode: string }[] }[] }>('/api/users?role=inspector&limit=1')).items[0]!;
  const street = await get<{ centroid: [number, number] }>(`/api/territory/nodes/${inspector.grants[0]!.territoryCode}`);
  const district = inspector.grants[0]!.territoryCode.slice(0, 6);
  const office = await login('kpb');
  // The day's points are in the ledgers before the load: the office's sweep (what the hourly job records).
  const swept = await fetch(`${base}/api/points/sweep`, { method: 'POST', headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(swept.status, 200, `points sweep: ${swept.status} ${await swept.clone().text()}`);
  const areas = await get<{ items: { code: string; entries: number }[] }>('/api/points/areas', office);
  const subjects = await get<{ items: { id: number; creditCode: string }[] }>('/api/credit/subjects', office);
  // The demo's key-task plan: an open milestone of a department-led task for the progress reports, the submitted
  // one (awaiting review) for the office's reviews; each written by its lead unit's demo user.
  type Board = { tasks: { id: number; units: { kind: string; code: string; role: string }[]; milestones: { id: number; state: string }[] }[] };
  const plan = (await get<{ items: { id: number }[] }>('/api/key-tasks/plans', office)).items[0]!;
  const board = await get<Board>(`/api/key-tasks/plans/${plan.id}`, office);
  const leadUser = (task: Board['tasks'][number]) => {
    const lead = task.units.find((u) => u.role === 'lead' && u.kind === 'department');
    return lead ? `bm-${lead.code.toLowerCase()}` : null;
  };
  const milestoneIn = (state: string) => board.tasks.flatMap((t) => t.milestones.filter((m) => m.state === state && leadUser(t)).map((m) => ({ taskId: t.id, milestoneId: m.id, user: leadUser(t)! })));
  const [progress, review] = [milestoneIn('open')[0], milestoneIn('submitted')[0]];
  assert.ok(progress && review, 'the demo plan has an open milestone and a submitted one');
  const pointsAreas = areas.items.filter((a) => a.entries > 0).map((a) => a.code);
  assert.ok(pointsAreas.length > 0 && subjects.items.length > 0, 'the sweep gave overlays entries; the demo has a credit register');
  return {
    base,
    tokens: {
      admin, inspector: await login(inspector.username), acceptor: await login('shouli1'), shiftChief: await login('zhibanzhang1'),
      dispatcher: await login('paiqian1'), leader: await login('leader'), district: await login(`qu${district}`), office,
    },
    staff: {
      acceptor: await Promise.all(['shouli1', 'shouli2', 'shouli3', 'shouli4'].map(login)),
      shiftChief: await Promise.all(['zhibanzhang1', 'zhibanzhang2'].map(login)),
      dispatcher: await Promise.all(['paiqian1', 'paiqian2', 'paiqian3'].map(login)),
    },
    place: { lon: street.centroid[0], lat: street.centroid[1] },
    acknowledged: new Set(),
    stage: new Map(),
    keyTasks: {
      planId: plan.id, taskIds: board.tasks.map((t) => t.id),
      progress: { taskId: progress.taskId, milestoneId: progress.milestoneId, token: await login(progress.user) },
      review: { taskId: review.taskId, milestoneId: review.milestoneId, token: await login(review.user), state: 'submitted', busy: false },
    },
    pointsAreas,
    credit: { subjectIds: subjects.items.map((s) => s.id), codes: subjects.items.map((s) => s.creditCode) },
  };
}
