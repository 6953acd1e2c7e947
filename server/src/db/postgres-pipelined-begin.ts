// PostgreSQL transactions whose BEGIN does not wait for its answer before the first statement is sent. node-postgres
// queues a connection's queries and sends the next one as soon as the last is answered, inside the handler of that
// answer; Kysely awaits the BEGIN first, and the first statement then waits its turn on the event loop. Under a busy
// intake that turn took 1.46 ms on average (each batch's BEGIN, answered by the database in 10 µs; bench
// intake_http, 2026-11-28), while the HTTP requests that arrived meanwhile were read first. So the BEGIN is queued
// and left unawaited, and the transaction's first statement settles only after it: if the BEGIN failed, that
// statement fails with its error, and Kysely rolls the transaction back as for any failed statement.
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type QueryResult, type TransactionSettings } from 'kysely';

/** The BEGINs sent and not yet answered, by connection: the next statement on the connection awaits its own. */
const pendingBegins = new WeakMap<DatabaseConnection, Promise<unknown>>();
const awaitsPendingBegin = new WeakSet<DatabaseConnection>();

class PipelinedBeginDriver extends PostgresDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    if (!awaitsPendingBegin.has(connection)) {
      awaitsPendingBegin.add(connection);
      const send = connection.executeQuery.bind(connection);
      connection.executeQuery = <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const begun = pendingBegins.get(connection);
        // Queued behind the BEGIN at once (node-postgres takes it synchronously), settled after it.
        const result = send<R>(query);
        if (!begun) return result;
        pendingBegins.delete(connection);
        return begun.then(() => result, (error: unknown) => {
          result.catch(() => {});
          throw error;
        });
      };
    }
    return connection;
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) return super.beginTransaction(connection, settings);
    const begun = connection.executeQuery(CompiledQuery.raw('begin'));
    // Its failure is reported by the statement that follows (or the commit), not as an unhandled rejection.
    begun.catch(() => {});
    pendingBegins.set(connection, begun);
  }
}

export class PipelinedBeginPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new PipelinedBeginDriver(this.#config);
  }
}
