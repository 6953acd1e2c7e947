// Kysely's SQLite dialect over node:sqlite (node-sqlite-adapter.ts), with durable commits by group fsync
// (wal-sync.ts, decision 0014): a statement that leaves committed changes (a COMMIT, or a write outside a
// transaction) resolves only once the write-ahead log holding them is on disk. Reads are not held back, and
// neither is the next transaction: the connection passes on at the commit, before the flush.
import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely, type QueryCompiler, type QueryResult,
} from 'kysely';
import type { NodeSqliteDatabase } from './node-sqlite-adapter.ts';
import type { WalCheckpointer } from './wal-checkpointer.ts';
import type { WalSync } from './wal-sync.ts';

/** One holder of the connection at a time: a transaction, or a single statement outside one. */
class ConnectionTurns {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves with the function that ends this turn, once the turns before it have ended. */
  take(): Promise<() => void> {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => { end = resolve; });
    const turn = this.#tail.then(() => end);
    this.#tail = this.#tail.then(() => ended);
    return turn;
  }
}

/**
 * One turn on the connection. Its turn ends as soon as its changes are committed, before the flush that
 * makes them durable: the next transaction writes while the disk works, and its commit joins the next flush.
 * (So a connection pinned with `db.connection()` would give up its turn after its first write outside a
 * transaction; the app pins none, and runs several statements together only in transactions.)
 */
class SqliteTurn implements DatabaseConnection {
  readonly #database: NodeSqliteDatabase;
  readonly #log: CommitLog;
  #end: (() => void) | null;

  constructor(database: NodeSqliteDatabase, log: CommitLog, end: () => void) {
    this.#database = database;
    this.#log = log;
    this.#end = end;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#database.prepare(compiled.sql);
    let result: QueryResult<R>;
    if (statement.reader) result = { rows: statement.all(compiled.parameters) as R[] };
    else {
      const { changes, lastInsertRowid } = statement.run(compiled.parameters);
      result = { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    }
    // Outside a transaction, anything but a SELECT may have committed (COMMIT itself, or an autocommitted write).
    if (!this.#database.raw.isTransaction && !SelectQueryNode.is(compiled.query) && compiled.sql !== 'rollback') {
      this.#log.checkpointer?.nudge();
      if (this.#log.wal) {
        this.end();
        await this.#log.wal.sync();
      }
    }
    return result;
  }

  end(): void {
    this.#end?.();
    this.#end = null;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used on SQLite: read in pages');
  }
}

class DurableSqliteDriver implements Driver {
  readonly #database: NodeSqliteDatabase;
  readonly #log: CommitLog;
  readonly #turns = new ConnectionTurns();

  constructor(database: NodeSqliteDatabase, log: CommitLog) {
    this.#database = database;
    this.#log = log;
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> { return new SqliteTurn(this.#database, this.#log, await this.#turns.take()); }
  async beginTransaction(connection: DatabaseConnection): Promise<void> { await connection.executeQuery(CompiledQuery.raw('begin')); }
  async commitTransaction(connection: DatabaseConnection): Promise<void> { await connection.executeQuery(CompiledQuery.raw('commit')); }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> { await connection.executeQuery(CompiledQuery.raw('rollback')); }
  async releaseConnection(connection: DatabaseConnection): Promise<void> { (connection as SqliteTurn).end(); }

  async destroy(): Promise<void> {
    await this.#log.wal?.close();
    await this.#log.checkpointer?.close();
    this.#database.close();
  }
}

/** SQLite's adapter, except that the driver gives out the connection's turns itself (ConnectionTurns). */
class TurnTakingSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean { return true; }
}

/**
 * What follows a commit: `wal`, the log to flush before the commit is acknowledged (null when commits are durable
 * by themselves, or need not be); `checkpointer`, told of each commit (null without a write-ahead log).
 */
export interface CommitLog {
  wal: WalSync | null;
  checkpointer: WalCheckpointer | null;
}

export class DurableSqliteDialect implements Dialect {
  readonly #database: NodeSqliteDatabase;
  readonly #log: CommitLog;

  constructor(database: NodeSqliteDatabase, log: CommitLog) {
    this.#database = database;
    this.#log = log;
  }

  createDriver(): Driver { return new DurableSqliteDriver(this.#database, this.#log); }
  createQueryCompiler(): QueryCompiler { return new SqliteQueryCompiler(); }
  createAdapter(): DialectAdapter { return new TurnTakingSqliteAdapter(); }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector { return new SqliteIntrospector(db); }
}
