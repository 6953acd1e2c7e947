import { rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { DiskAttachmentStore } from '../server/src/attachments/attachment-store.ts';
import { openDatabase, type DatabaseHandle, type DialectName } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { seedDemoCity } from '../server/src/demo/seed-demo.ts';
import { checkIntegrity } from '../server/src/integrity/check.service.ts';
import { checkpointAuditLog, sealPublishedRun } from '../server/src/integrity/seal.service.ts';
import type { BenchEntry } from './entry.ts';

/**
 * Tamper evidence (decision 0017) on the demo city as `cityops seed demo` makes it (5,000 grids, a year of
 * cases, twelve published months of the city's evaluation and twelve of a district's): what sealing adds to
 * a publication (the run's results and evidence collected, hashed and appended to the ledger, in the
 * publishing transaction; timed on every published run, rolled back, best of 3 per run, the median and the
 * largest reported), the first checkpoint of the seeded audit log, and a full `cityops integrity check`
 * (best of 3). A file database on SQLite with its default durability; a fresh database on PostgreSQL.
 */
const GRIDS = Number(process.env.BENCH_INTEGRITY_GRIDS ?? 5_000);
const DATABASES = (process.env.BENCH_INTEGRITY_DATABASES ?? 'sqlite,postgres').split(',') as DialectName[];
const PG_URL = process.env.CITYOPS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UNTIL = Date.parse('2026-11-27T00:00:00+08:00');

class Rollback extends Error {}

async function openBenchDatabase(dialect: DialectName): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const path = join(os.tmpdir(), `cityops-bench-integrity-${process.pid}.db`);
    const handle = openDatabase({ url: path });
    return { handle, dispose: async () => { await handle.close(); for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true }); } };
  }
  const name = `cityops_bench_integrity_${process.pid}`;
  const onAdmin = async (statement: string) => {
    const admin = openDatabase({ url: PG_URL, poolSize: 1 });
    try { await sql.raw(statement).execute(admin.db); } finally { await admin.close(); }
  };
  await onAdmin(`create database ${name}`);
  const handle = openDatabase({ url: PG_URL.replace(/\/[^/]*$/, `/${name}`) });
  return { handle, dispose: async () => { await handle.close(); await onAdmin(`drop database if exists ${name} with (force)`); } };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

async function measure(dialect: DialectName, log: (line: string) => void): Promise<BenchEntry[]> {
  const { handle, dispose } = await openBenchDatabase(dialect);
  const store = new DiskAttachmentStore(join(os.tmpdir(), `cityops-bench-integrity-attachments-${process.pid}`));
  try {
    const db = handle.db;
    await migrateToLatest(db);
    const t0 = performance.now();
    await seedDemoCity(db, { seed: 20261122, targetGrids: GRIDS, historyUntil: UNTIL });
    log(`integrity [${dialect}]: demo city (${GRIDS} grids) seeded in ${Math.round(performance.now() - t0) / 1000} s`);
    const runs = await db.selectFrom('evaluation_runs').select('id').where('state', '=', 'published').orderBy('id').execute();
    const findings = Number((await db.selectFrom('inspection_findings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const perRun: number[] = [];
    for (const run of runs) {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        await db.transaction().execute(async (trx) => {
          const t = performance.now();
          await sealPublishedRun(trx, run.id, Date.now());
          best = Math.min(best, performance.now() - t);
          throw new Rollback();
        }).catch((e: unknown) => { if (!(e instanceof Rollback)) throw e; });
      }
      perRun.push(best);
    }
    log(`integrity [${dialect}]: sealing a publication (results + evidence) over ${runs.length} published runs (${findings} findings): median ${round1(median(perRun))} ms, largest ${round1(Math.max(...perRun))} ms`);
    const tc = performance.now();
    const checkpoint = await checkpointAuditLog(db, Date.now());
    const checkpointMs = performance.now() - tc;
    log(`integrity [${dialect}]: first audit checkpoint: ${checkpoint.rows} rows in ${checkpoint.entries} entries, ${Math.round(checkpointMs)} ms`);
    let bestCheck = Infinity;
    let report: Awaited<ReturnType<typeof checkIntegrity>> | undefined;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      report = await checkIntegrity(db, { store });
      bestCheck = Math.min(bestCheck, performance.now() - t);
    }
    if (!report!.ok) throw new Error(`the demo city does not check: ${report!.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
    log(`integrity [${dialect}]: full check: ${report!.entries} entries, ${report!.items} items recomputed, ${report!.photos} photos, best of 3 ${Math.round(bestCheck)} ms`);
    return [
      { name: 'integrity_seal_publish', database: dialect, value: round1(median(perRun)), unit: `ms per publication (median of ${runs.length} runs; largest ${round1(Math.max(...perRun))} ms)`, target: null, anchor: null, ratio: null, better: 'lower' },
      { name: 'integrity_check_demo', database: dialect, value: Math.round(bestCheck), unit: `ms (${report!.entries} entries, ${report!.items} items)`, target: null, anchor: null, ratio: null, better: 'lower' },
      { name: 'integrity_audit_checkpoint', database: dialect, value: Math.round(checkpointMs), unit: `ms (${checkpoint.rows} audit rows)`, target: null, anchor: null, ratio: null, better: 'lower' },
    ];
  } finally {
    await dispose();
    rmSync(store.rootDir, { recursive: true, force: true });
  }
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const entries: BenchEntry[] = [];
  for (const dialect of DATABASES) entries.push(...await measure(dialect, log));
  return entries;
}
