// PostgreSQL transactions whose BEGIN does not wait for its answer before the first statement is sent. node-postgres
// queues a connection's queries and sends the next one as soon as the last is answered, inside the handler of that
// answer; Kysely awaits the BEGIN first, and the first statement then waits its turn on the event loop. Under a busy
// intake that turn took 1.46 ms on average (each batch's BEGIN, answered by the database in 10 µs; bench
// intake_http, 2026-11-28), while the HTTP requests that arrived meanwhile were read first. So the BEGIN is queued
// and left unawaited, and the transaction's first statement settles only after it: if the BEGIN failed, that
// statement fails with its error, and Kysely rolls the transaction back as for any failed statement.
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type QueryResult, type TransactionSettings } from 'kysely';

class PipelinedBeginDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) return super.beginTransaction(connection, settings);
    const begun = connection.executeQuery(CompiledQuery.raw('begin'));
    // Its failure is reported by the statement that follows (a transaction always ends with one), not as an
    // unhandled rejection.
    begun.catch(() => {});
    // The next statement alone, an own property shadowing the connection's method: it is queued behind the BEGIN at
    // once (node-postgres takes it synchronously) and settles after it; later statements go as usual.
    const connectionQuery = connection as { executeQuery: DatabaseConnection['executeQuery'] };
    connectionQuery.executeQuery = <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      delete (connectionQuery as Partial<typeof connectionQuery>).executeQuery;
      const result = connection.executeQuery<R>(query);
      return begun.then(() => result, (error: unknown) => {
        result.catch(() => {});
        throw error;
      });
    };
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
