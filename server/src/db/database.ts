import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresAdapter, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PREPARED_MARK } from './compiled-once.ts';
import { PipelinedBeginPostgresDialect } from './postgres-pipelined-begin.ts';
import { NodeSqliteDatabase } from './node-sqlite-adapter.ts';
import { DurableSqliteDialect } from './sqlite-dialect.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import { WalSync } from './wal-sync.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
  url: string;
  /** SQLite `synchronous` pragma; FULL makes every acknowledged commit survive power loss. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  poolSize?: number;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** SQLite on a file with FULL durability: the group fsync of its log (wal-sync.ts). */
  walSync?: WalSync;
  /** SQLite with a write-ahead log: its checkpoints, run by a worker thread (wal-checkpointer.ts). */
  checkpointer?: WalCheckpointer;
  close(): Promise<void>;
}

export type Executor = Kysely<Database> | Transaction<Database>;

/** Whether a query builder (the root handle or a transaction) talks to PostgreSQL: for the few statements written per dialect. */
export function isPostgres(db: { getExecutor(): { adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  return isPostgresUrl(options.url) ? openPostgres(options) : openSqlite(options);
}

/** The file of a SQLite URL (`sqlite:./x.sqlite`, `./x.sqlite`, `/abs/x.sqlite`), as openDatabase opens it. */
export function sqlitePathOf(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '');
}

/** The log flush of each SQLite handle that has one, by its query builder (see onDisk). */
const flushOf = new WeakMap<object, WalSync>();

/**
 * Resolves once everything committed so far is on disk. On SQLite a commit is visible to the next reader while
 * its log flush still runs (decision 0014): an answer built from what another request committed (a replayed
 * idempotent answer) waits for this before it is sent. PostgreSQL shows a commit only once it is flushed.
 */
export function onDisk(db: Kysely<Database>): Promise<void> {
  return flushOf.get(db)?.sync() ?? Promise.resolve();
}

function openSqlite(options: DatabaseOptions): DatabaseHandle {
  const path = sqlitePathOf(options.url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new NodeSqliteDatabase(path);
  const raw = database.raw;
  const wal = path !== ':memory:' && (raw.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string }).journal_mode === 'wal';
  // FULL: every acknowledged commit is on disk. With a write-ahead log that is done by a group fsync after the
  // commit, off the event loop (wal-sync.ts, decision 0014), so SQLite itself need not fsync inside COMMIT.
  const durable = (options.sqliteSynchronous ?? 'FULL') === 'FULL';
  raw.exec(`PRAGMA synchronous = ${durable && !wal ? 'FULL' : 'NORMAL'}`);
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  // 32 MB of page cache (SQLite's default is 2 MB): at millions of cases the upper levels of the case indexes that
  // every intake and list touches stay in memory, and the rest comes from the system's cache. 64 MB gave the same
  // list and map figures at 10,000,000 cases and 33 MB more of the server's peak (bench server_memory: 290 → 257 MB).
  raw.exec('PRAGMA cache_size = -32768');
  // The log is checkpointed by a worker thread, not inside this connection's commits (wal-checkpointer.ts). A log
  // that grew long under a steady load is cut back to 64 MB when it is next rewound.
  let checkpointer: WalCheckpointer | undefined;
  if (wal) {
    checkpointer = new WalCheckpointer(path, (on) => { if (raw.isOpen) raw.exec(`PRAGMA wal_autocheckpoint = ${on ? 1000 : 0}`); });
    raw.exec('PRAGMA wal_autocheckpoint = 0');
    raw.exec('PRAGMA journal_size_limit = 67108864');
  }
  const walSync = durable && wal ? new WalSync(path) : undefined;
  const db = new Kysely<Database>({ dialect: new DurableSqliteDialect(database, { wal: walSync ?? null, checkpointer: checkpointer ?? null }) });
  if (walSync) flushOf.set(db, walSync);
  return { db, dialect: 'sqlite', close: () => db.destroy(), ...(walSync ? { walSync } : {}), ...(checkpointer ? { checkpointer } : {}) };
}

// int8 (counts, epoch milliseconds, money in fen) as JS numbers: every value we store is far below
// 2^53, and both dialects then return the same types.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * A pool of the app's connections: numbers as JS numbers, JIT off, the statements `named` prepared once per
 * connection (namePreparedStatements), and an idle connection lost reported, not fatal. JIT compiling the large
 * evaluation aggregates costs more than it saves at our sizes (measured 10.3 s → 9.1 s for a month of 1,000,000
 * cases); the app's short queries never reach its threshold.
 */
function appPool(url: string, max: number, named: (text: string) => boolean, settings = ''): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes as pg.CustomTypesConfig, options: `-c jit=off${settings}` });
  pool.on('connect', (client) => namePreparedStatements(client, named));
  pool.on('error', reportIdleConnectionLost);
  return pool;
}

function openPostgres(options: DatabaseOptions): DatabaseHandle {
  const pool = appPool(options.url, options.poolSize ?? 10, (text) => WRITE.test(text));
  const db = new Kysely<Database>({ dialect: new PipelinedBeginPostgresDialect({ pool }) });
  // Lookups of a fixed shape (lookupsOf), on connections that plan each statement once, for any values.
  const lookupPool = appPool(options.url, 2, () => true, ' -c plan_cache_mode=force_generic_plan');
  const lookups = new Kysely<Database>({ dialect: new PostgresDialect({ pool: lookupPool }) });
  lookupsByDb.set(db, lookups);
  return { db, dialect: 'postgres', close: async () => { await lookups.destroy(); await db.destroy(); } };
}

/**
 * An idle pooled connection that fails (the database restarted, or an administrator ended the session) is
 * dropped by its pool, and the next query opens another. The pool reports it as an 'error' event, which without a
 * listener would end the server.
 */
function reportIdleConnectionLost(error: Error): void {
  process.emitWarning(`an idle PostgreSQL connection was lost and will be replaced: ${error.message}`, 'CityOpsDatabaseWarning');
}

const lookupsByDb = new WeakMap<object, Kysely<Database>>();

/**
 * Where to send a read of a fixed shape whose best plan is the same for any values (an index lookup by key), made
 * outside a transaction: the session lookup every request makes, and the duplicate search of an intake batch. On
 * PostgreSQL, a small pool of its own whose connections prepare each such statement once and plan it once
 * (`plan_cache_mode = force_generic_plan`). The main pool could not: its named statements get a plan for the
 * values of each call until PostgreSQL judges a generic plan no dearer, and for a lookup by an array of keys it
 * never did. The session lookup was planned anew at every call, 0.4–0.5 ms of the database's time each, and the
 * duplicate search 0.7 ms a batch (bench intake_http, server log, 2026-11-28). That setting would also give the
 * main pool's reads one plan for all values, which decision 0013 found reads a street's map by a full scan. Null
 * on SQLite, whose one connection serves everything (decision 0020: a reader on a worker thread did not pay).
 */
export function lookupsOf(db: Kysely<Database>): Kysely<Database> | null {
  return lookupsByDb.get(db) ?? null;
}

/** Named statements a connection keeps at most; texts beyond them (rare IN-list lengths) are sent unnamed. */
const PREPARED_PER_CONNECTION = 500;

/**
 * Sends the app's parameterised writes as named (server-side prepared) statements, so that PostgreSQL parses
 * and plans each text once per connection instead of on every call: intake sends the same few inserts and
 * upserts for every batch (bench intake_http). Reads stay unnamed and are planned for their values each
 * time: with named reads, the generic plan PostgreSQL settles on after five calls read a street's map by a
 * sequential scan (0.5 s instead of 19 ms at 10,000,000 cases). Reads of a fixed shape whose plan is a key
 * lookup whatever the values (compiled-once.ts) are marked and named too; the lookups that PostgreSQL would plan
 * again at every call go to a pool of their own (lookupsOf). Kysely passes (text, values).
 */
function namePreparedStatements(client: pg.PoolClient, named: (text: string) => boolean): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined && (named(text) || text.startsWith(PREPARED_MARK))) {
      let name = names.get(text);
      if (name === undefined && names.size < PREPARED_PER_CONNECTION) names.set(text, (name = `cityops_${names.size}`));
      if (name !== undefined) return send({ name, text, values });
    }
    return callback === undefined ? send(text, values) : send(text, values, callback);
  };
}

const WRITE = /^\s*(insert|update|delete|with w0 as \(insert)\b/i;
