// The benchmarks' data sets: the demo city (territory, departments, staff) and N cases reported over
// a span of months (Beijing time) with their handling rounds and events, written straight into the
// tables with large multi-row INSERTs (bench/evaluation-rows.ts makes the rows): VALUES lists up to
// SQLite's 32,766 bound parameters, one array per column (unnest) on PostgreSQL. The secondary indexes
// of the three tables are dropped for the load and rebuilt from their own DDL after it, and foreign
// keys are not checked row by row (the rows are consistent by construction).
// Two data sets: the monthly evaluation's (1,000,000 cases in October 2026) and the city's
// (10,000,000 cases over the three years to October 2026, issue 8's scale for lists, maps and memory).
// Building takes minutes to an hour, so each is kept between runs: a SQLite file under the system
// temp directory and a PostgreSQL database, reused while a marker row says they were built with the
// same parameters (BENCH_EVAL_REBUILD=1 / BENCH_CITY_REBUILD=1 force a new build).
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { parsePeriod, type Period } from '@cityops/domain/indicators/periods';
import type { CaseSource } from '@cityops/domain/workflow/case-sources';
import { openDatabase, type DatabaseHandle, type DialectName, type Executor } from '../server/src/db/database.ts';
import { rebuildKeptCounts } from '../server/src/indicators/kept-counts-version.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createRandom, cumulative, pickWeighted } from '@cityops/domain/random';
import { seedDemoCity } from '../server/src/demo/seed-demo.ts';
import { CASE_COLUMNS, EVENT_COLUMNS, ROUND_COLUMNS, SOURCE_SHARES, loadEvaluationWorld, simulateCase, type SimulatedCase } from './evaluation-rows.ts';

const PG_ADMIN_URL = process.env.CITYOPS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 1;
/** Bump when the generator changes (or a migration adds what it must fill), so that kept data sets are rebuilt. */
const GENERATOR_VERSION = 5;

const period = (code: string): Period => {
  const p = parsePeriod(code);
  if (!p.ok) throw new Error(`period ${code}`);
  return p.period;
};
export const OCTOBER: Period = period('2026-10');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The data sets' "now": nothing happens after 3 Nov 2026 00:00 Beijing, so cases of late October are still open. */
export const DATA_UNTIL = OCTOBER.toMs + 2 * DAY_MS;

export interface DataSetSpec {
  /** In log lines: `evaluation`, `city`. */
  label: string;
  cases: number;
  grids: number;
  /** The cases are reported from the first month's first day to the last month's end. */
  firstMonth: Period;
  lastMonth: Period;
  databases: DialectName[];
  rebuild: boolean;
  sqlitePath: string;
  pgDatabase: string;
}

const databasesOf = (value: string | undefined) => (value ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean) as DialectName[];

/** The monthly evaluation's: a city's October (BENCH_EVAL_CASES, default 1,000,000). */
export const EVALUATION_DATA: DataSetSpec = {
  label: 'evaluation', cases: Number(process.env.BENCH_EVAL_CASES ?? 1_000_000), grids: Number(process.env.BENCH_EVAL_GRIDS ?? 10_000),
  firstMonth: OCTOBER, lastMonth: OCTOBER, databases: databasesOf(process.env.BENCH_EVAL_DATABASES), rebuild: process.env.BENCH_EVAL_REBUILD === '1',
  sqlitePath: join(os.tmpdir(), 'cityops-bench-eval.sqlite'), pgDatabase: 'cityops_bench_eval',
};

/** The city's three years (BENCH_CITY_CASES, default 10,000,000 over November 2023 – October 2026). */
export const CITY_DATA: DataSetSpec = {
  label: 'city', cases: Number(process.env.BENCH_CITY_CASES ?? 10_000_000), grids: Number(process.env.BENCH_CITY_GRIDS ?? 10_000),
  firstMonth: period(process.env.BENCH_CITY_FIRST_MONTH ?? '2023-11'), lastMonth: OCTOBER, databases: databasesOf(process.env.BENCH_CITY_DATABASES),
  rebuild: process.env.BENCH_CITY_REBUILD === '1', sqlitePath: join(os.tmpdir(), 'cityops-bench-city.sqlite'), pgDatabase: 'cityops_bench_city',
};

/** Bound parameters per statement on SQLite (PostgreSQL's 65,535 is never approached: one array per column). */
const SQLITE_PARAMETER_LIMIT = 32_766;

export interface DataSet {
  handle: DatabaseHandle;
  /** Seconds the build took, or null when a kept data set was reused. */
  buildSeconds: number | null;
  counts: { cases: number; rounds: number; events: number };
}

const parameters = (spec: DataSetSpec) => JSON.stringify({ cases: spec.cases, grids: spec.grids, seed: SEED, generator: GENERATOR_VERSION, period: spec.firstMonth.code === spec.lastMonth.code ? spec.firstMonth.code : `${spec.firstMonth.code}/${spec.lastMonth.code}`, until: DATA_UNTIL });
const urlOf = (spec: DataSetSpec, dialect: DialectName) => (dialect === 'sqlite' ? spec.sqlitePath : PG_ADMIN_URL.replace(/\/[^/]*$/, `/${spec.pgDatabase}`));

async function onAdmin(statement: string): Promise<void> {
  const admin = openDatabase({ url: PG_ADMIN_URL, poolSize: 1 });
  try { await sql.raw(statement).execute(admin.db); } finally { await admin.close(); }
}

async function exists(spec: DataSetSpec, dialect: DialectName): Promise<boolean> {
  if (dialect === 'sqlite') return existsSync(spec.sqlitePath);
  const admin = openDatabase({ url: PG_ADMIN_URL, poolSize: 1 });
  try {
    const row = await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${spec.pgDatabase}`.execute(admin.db);
    return row.rows[0]!.n > 0;
  } finally { await admin.close(); }
}

/** The marker written after a complete build: the parameters it was built with and the row count. */
async function reusable(spec: DataSetSpec, handle: DatabaseHandle): Promise<boolean> {
  try {
    const marker = await sql<{ params: string; cases: number }>`select params, cases from bench_evaluation_marker`.execute(handle.db);
    const row = marker.rows[0];
    if (!row || row.params !== parameters(spec) || Number(row.cases) !== spec.cases) return false;
    const counted = await handle.db.selectFrom('cases').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(counted.n) === spec.cases;
  } catch {
    return false;
  }
}

async function counts(db: Executor): Promise<DataSet['counts']> {
  const count = async (table: 'cases' | 'handling_rounds' | 'case_events') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
  return { cases: await count('cases'), rounds: await count('handling_rounds'), events: await count('case_events') };
}

async function drop(spec: DataSetSpec, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(spec.sqlitePath + suffix, { force: true });
  else await onAdmin(`drop database if exists ${spec.pgDatabase} with (force)`);
}

/** Opens a data set on `dialect`, building it first unless a complete one with the same parameters is kept. */
export async function openDataSet(spec: DataSetSpec, dialect: DialectName, log: (line: string) => void): Promise<DataSet> {
  const say = (line: string) => log(`${spec.label} data [${dialect}]: ${line}`);
  if (!spec.rebuild && (await exists(spec, dialect))) {
    const handle = openDatabase({ url: urlOf(spec, dialect) });
    if (await reusable(spec, handle)) {
      // Migrations added since the build (new tables, say) apply to the kept data set as they would to a live one.
      await migrateToLatest(handle.db);
      const c = await counts(handle.db);
      say(`reusing the kept data set (${c.cases.toLocaleString('en')} cases, ${c.rounds.toLocaleString('en')} rounds, ${c.events.toLocaleString('en')} events)`);
      return { handle, buildSeconds: null, counts: c };
    }
    await handle.close();
  }
  await drop(spec, dialect);
  if (dialect === 'postgres') await onAdmin(`create database ${spec.pgDatabase}`);
  const started = performance.now();
  const build = openDatabase({ url: urlOf(spec, dialect), sqliteSynchronous: 'NORMAL', poolSize: 1 });
  try {
    await buildDataSet(spec, build, say);
    // The rows were written straight into the tables: keep the counts as the app would have.
    const rebuildStarted = performance.now();
    const families = await rebuildKeptCounts(build.db);
    say(`kept counts (${families.join(', ')}) rebuilt from the records in ${Math.round(performance.now() - rebuildStarted) / 1000} s`);
    if (dialect === 'postgres') await sql`analyze`.execute(build.db);
    await sql`create table bench_evaluation_marker (params text not null, cases integer not null, built_at bigint not null)`.execute(build.db);
    await sql`insert into bench_evaluation_marker (params, cases, built_at) values (${parameters(spec)}, ${spec.cases}, ${Date.now()})`.execute(build.db);
  } finally {
    await build.close();
  }
  const buildSeconds = Math.round(performance.now() - started) / 1000;
  const handle = openDatabase({ url: urlOf(spec, dialect) });
  const c = await counts(handle.db);
  say(`built ${c.cases.toLocaleString('en')} cases, ${c.rounds.toLocaleString('en')} rounds, ${c.events.toLocaleString('en')} events in ${buildSeconds} s`);
  return { handle, buildSeconds, counts: c };
}

/** The monthly evaluation's data set. */
export const openEvaluationData = (dialect: DialectName, log: (line: string) => void) => openDataSet(EVALUATION_DATA, dialect, log);

const statements = new Map<string, string>();

/** `insert into table (columns) values (?, …), (?, …)` for `rows` rows (SQLite). */
function valuesStatement(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}/${rows}`;
  let text = statements.get(key);
  if (!text) statements.set(key, (text = `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => `(${columns.map(() => '?').join(',')})`).join(',')}`));
  return text;
}

/**
 * Buffers rows of one table and writes them in large multi-row INSERTs. SQLite: as many rows as its
 * 32,766 bound parameters allow. PostgreSQL: one array parameter per column (`insert … select * from
 * unnest($1::bigint[], …)`), 5,000 rows a statement, which it parses several times faster than VALUES lists.
 */
class BulkWriter {
  readonly #table: string;
  readonly #columns: readonly string[];
  /** PostgreSQL: the unnest statement; SQLite: null. */
  readonly #unnest: string | null;
  readonly perStatement: number;
  #rows: unknown[][] = [];

  constructor(table: string, columns: readonly string[], pgTypes: Map<string, string> | null) {
    this.#table = table;
    this.#columns = columns;
    this.#unnest = pgTypes && `insert into ${table} (${columns.join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${pgTypes.get(c)!}[]`).join(', ')})`;
    this.perStatement = pgTypes ? 5_000 : Math.floor(SQLITE_PARAMETER_LIMIT / columns.length);
  }

  async add(db: Executor, rows: unknown[][]): Promise<void> {
    for (const row of rows) this.#rows.push(row);
    while (this.#rows.length >= this.perStatement) await this.#write(db, this.#rows.splice(0, this.perStatement));
  }

  async flush(db: Executor): Promise<void> {
    if (this.#rows.length) await this.#write(db, this.#rows.splice(0));
  }

  async #write(db: Executor, rows: unknown[][]): Promise<void> {
    const query = this.#unnest
      ? CompiledQuery.raw(this.#unnest, this.#columns.map((_, j) => rows.map((r) => r[j])))
      : CompiledQuery.raw(valuesStatement(this.#table, this.#columns, rows.length), rows.flat());
    await db.executeQuery(query);
  }
}

/** PostgreSQL column types of a table, for the unnest casts. */
async function columnTypes(db: Executor, table: string): Promise<Map<string, string>> {
  const rows = (await sql<{ name: string; type: string }>`select column_name as name, data_type as type from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(db)).rows;
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** The indexes of cases, handling_rounds and case_events that no constraint needs (the keys stay), with their DDL. */
async function secondaryIndexes(db: Executor, dialect: DialectName): Promise<{ name: string; sql: string }[]> {
  if (dialect === 'sqlite') {
    return (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('cases', 'handling_rounds', 'case_events') order by name`.execute(db)).rows;
  }
  return (await sql<{ name: string; sql: string }>`
    select i.indexname as name, i.indexdef as sql from pg_indexes i
    where i.schemaname = current_schema() and i.tablename in ('cases', 'handling_rounds', 'case_events')
      and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
    order by i.indexname`.execute(db)).rows;
}

async function buildDataSet(spec: DataSetSpec, handle: DatabaseHandle, log: (line: string) => void): Promise<void> {
  const { db, dialect } = handle;
  if (dialect === 'sqlite') await sql`pragma cache_size = -1000000`.execute(db);
  else await sql`set maintenance_work_mem = '512MB'`.execute(db);
  await migrateToLatest(db);
  let t0 = performance.now();
  await seedDemoCity(db, { seed: SEED, targetGrids: spec.grids, casesPerGridYear: 0 });
  log(`demo city with ${spec.grids.toLocaleString('en')} grids seeded in ${Math.round(performance.now() - t0) / 1000} s`);

  // The secondary indexes of the three big tables are built once after the load, from their own DDL.
  const indexes = await secondaryIndexes(db, dialect);
  for (const index of indexes) await sql.raw(`drop index ${index.name}`).execute(db);
  // The rows are consistent by construction: no per-row foreign-key checks while loading them.
  if (dialect === 'sqlite') await sql`pragma foreign_keys = off`.execute(db);
  else await sql`set session_replication_role = replica`.execute(db).catch(() => log('not a superuser, foreign keys are checked during the load'));
  t0 = performance.now();
  const random = createRandom(SEED * 7919 + 11);
  const world = await loadEvaluationWorld(db, random);
  // The days of the span: rest days (holidays, weekends) see about half the reports.
  const days = Array.from({ length: spec.lastMonth.toDay - spec.firstMonth.fromDay }, (_, i) => {
    const midnight = spec.firstMonth.fromMs + i * DAY_MS;
    const date = new Date(midnight + 8 * HOUR_MS).toISOString().slice(0, 10);
    return { midnight, date, weight: world.calendar.isWorkday(date) ? 1 : 0.55 };
  });
  const dayCum = cumulative(days.map((d) => d.weight));
  const sourceCum = cumulative(SOURCE_SHARES.map(([, share]) => share));
  const types = async (table: string) => (dialect === 'postgres' ? columnTypes(db, table) : null);
  const writers = {
    cases: new BulkWriter('cases', CASE_COLUMNS, await types('cases')),
    rounds: new BulkWriter('handling_rounds', ROUND_COLUMNS, await types('handling_rounds')),
    events: new BulkWriter('case_events', EVENT_COLUMNS, await types('case_events')),
  };
  let id = 0;
  let lastLog = performance.now();
  // The last cases reported, for duplicates to be merged into one still open.
  const recent: { id: number; ended: number | null }[] = [];
  const openCaseAt = (t: number) => {
    for (let i = recent.length - 1; i >= 0; i--) if (recent[i]!.ended === null || recent[i]!.ended! > t) return recent[i]!.id;
    return null;
  };
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    const count = Math.round((spec.cases * dayCum[d]!) / dayCum[dayCum.length - 1]!) - id;
    const reports: { at: number; source: CaseSource }[] = [];
    for (let k = 0; k < count; k++) {
      const [source, , [from, to]] = pickWeighted(random, SOURCE_SHARES, sourceCum);
      reports.push({ source, at: day.midnight + Math.round((from + (to - from) * random()) * HOUR_MS / 1000) * 1000 });
    }
    reports.sort((a, b) => a.at - b.at);
    const prefix = day.date.replaceAll('-', '');
    await db.transaction().execute(async (trx) => {
      // A statement's worth of cases, then their rounds and events: the foreign keys point at the cases.
      for (let k = 0; k < reports.length; k += writers.cases.perStatement) {
        const batch: SimulatedCase[] = [];
        for (const [j, r] of reports.slice(k, k + writers.cases.perStatement).entries()) {
          const c = simulateCase(random, world, ++id, `${prefix}${String(k + j + 1).padStart(5, '0')}`, r.source, r.at, DATA_UNTIL, openCaseAt);
          batch.push(c);
          recent.push({ id, ended: c.ended });
          if (recent.length > 200) recent.shift();
        }
        await writers.cases.add(trx, batch.map((c) => c.row));
        await writers.cases.flush(trx);
        await writers.rounds.add(trx, batch.flatMap((c) => c.rounds));
        await writers.events.add(trx, batch.flatMap((c) => c.events));
      }
      await writers.rounds.flush(trx);
      await writers.events.flush(trx);
      if (reports.length) await trx.insertInto('case_code_counters').values({ day: prefix, last: reports.length }).execute();
    });
    if (performance.now() - lastLog > 15_000 || d === days.length - 1) {
      lastLog = performance.now();
      log(`${id.toLocaleString('en')} cases written (${day.date}), ${Math.round(id / ((performance.now() - t0) / 1000)).toLocaleString('en')} cases/s`);
    }
  }
  if (dialect === 'sqlite') await sql`pragma foreign_keys = on`.execute(db);
  else await sql`set session_replication_role = origin`.execute(db).catch(() => {});
  t0 = performance.now();
  for (const index of indexes) await sql.raw(index.sql).execute(db);
  log(`${indexes.length} indexes rebuilt in ${Math.round(performance.now() - t0) / 1000} s`);
  if (dialect === 'postgres') {
    await sql`select setval(pg_get_serial_sequence('cases', 'id'), (select max(id) from cases))`.execute(db);
    t0 = performance.now();
    await sql`vacuum analyze`.execute(db);
    log(`vacuum analyze in ${Math.round(performance.now() - t0) / 1000} s`);
  }
}
