import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../server/src/demo/seed-demo.ts';
import type { BenchEntry } from './entry.ts';
import { CITY_DATA, openDataSet } from './data-sets.ts';

/**
 * Server memory with the 10,000,000-case database (issue 8 target: under 300 MB). `cityops serve`, compiled as
 * `npm start` runs it (server/dist), is started on the city's kept data set (bench/data-sets.ts, CITY_DATA) with the
 * scheduled jobs off, and put through the reads a working day brings: case lists (open by deadline, a
 * district's pages, overdue), the workbench counts, maps of the city and of a street, case details and the
 * department report of a month. The figure is the process's peak resident set (VmHWM) afterwards. Anchor:
 * the peak resident set of a bare node:http server on the same Node, started the same way.
 */
const repoRoot = new URL('..', import.meta.url).pathname;
const PORT_BASE = 19_400;

function peakRssMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
}

async function waitFor(url: string, child: ChildProcess, ms = 180_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The bare floor: node:http answering 200 on the same Node binary. */
async function bareServerPeak(port: number): Promise<number> {
  const child = spawn(join(repoRoot, 'node_modules/.bin/node'), ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    await waitFor(`http://127.0.0.1:${port}/`, child);
    for (let i = 0; i < 200; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
    return peakRssMb(child.pid!).peak;
  } finally {
    await stop(child);
  }
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const entries: BenchEntry[] = [];
  // The server as `npm start` and production run it: compiled ahead of time (decision 0015).
  const build = spawnSync('npm', ['run', 'build:server'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:server failed');
  for (const [n, dialect] of CITY_DATA.databases.entries()) {
    // Build or reuse the data set (and bring it to the latest migration) before the server opens it.
    const data = await openDataSet(CITY_DATA, dialect, log);
    const { db } = data.handle;
    const district = await db.selectFrom('territory_nodes').select(['code', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('level', '=', 'district').orderBy('code').executeTakeFirstOrThrow();
    const street = await db.selectFrom('territory_nodes').select(['min_lon', 'min_lat', 'max_lon', 'max_lat']).where('level', '=', 'street').orderBy('code').executeTakeFirstOrThrow();
    const city = await db.selectFrom('territory_nodes').select(['min_lon', 'min_lat', 'max_lon', 'max_lat']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const caseIds = (await db.selectFrom('cases').select('id').orderBy('id', 'desc').limit(20).execute()).map((r) => r.id);
    await data.handle.close();

    const port = PORT_BASE + n;
    const base = `http://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(os.tmpdir(), 'cityops-bench-memory-'));
    const url = dialect === 'sqlite' ? CITY_DATA.sqlitePath : (process.env.CITYOPS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, `/${CITY_DATA.pgDatabase}`);
    const child = spawn(join(repoRoot, 'node_modules/.bin/node'), [join(repoRoot, 'server/dist/cityops.js'), 'serve'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, CITYOPS_DATA_DIR: dataDir, CITYOPS_JOBS: 'off', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const started = performance.now();
      await waitFor(`${base}/healthz`, child);
      log(`memory [${dialect}]: server up in ${Math.round(performance.now() - started)} ms, ${peakRssMb(child.pid!).now} MB resident`);
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
      const { token } = (await login.json()) as { token: string };
      const get = async (path: string) => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      };
      const box = (b: { min_lon: number; min_lat: number; max_lon: number; max_lat: number }) => `${b.min_lon},${b.min_lat},${b.max_lon},${b.max_lat}`;
      const day = [
        '/api/cases?state=pending_accept,pending_verify,pending_register,pending_dispatch,pending_handle,handling,pending_check,pending_close&sort=due_asc&limit=50',
        `/api/cases?territory=${district.code}&limit=50&offset=100`,
        '/api/cases?overdue=now&sort=due_asc&limit=50',
        '/api/cases/summary',
        `/api/cases/aggregate?bbox=${box(city)}&zoom=11`,
        `/api/cases/aggregate?bbox=${box(street)}&zoom=15`,
        `/api/cases/aggregate?bbox=${box(district)}&zoom=12&state=pending_handle,handling`,
        ...caseIds.map((id) => `/api/cases/${id}`),
        '/api/reports/departments?period=2026-10',
      ];
      for (let round = 0; round < 3; round++) for (const path of day) await get(path);
      const { peak, now } = peakRssMb(child.pid!);
      const bare = await bareServerPeak(port + 100);
      log(`memory [${dialect}]: peak ${peak} MB, ${now} MB resident after ${day.length * 3} requests; bare node:http ${bare} MB`);
      entries.push({ name: 'server_memory_10m', database: dialect, value: peak, unit: 'MB (peak resident set)', target: 300, better: 'lower', anchor: { name: 'bare node:http server, peak resident set', value: bare, unit: 'MB' }, ratio: Math.round((peak / bare) * 10) / 10 });
    } finally {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return entries;
}
