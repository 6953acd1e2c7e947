import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { isPostgres } from './database.ts';

/**
 * The few places where the two dialects' DDL differs. Everything else in a migration is written once.
 * Instants are epoch milliseconds in 64-bit integers on both sides, so time arithmetic in SQL is the
 * same on SQLite and PostgreSQL.
 */
export function ddlFor(db: Kysely<any>) {
  const postgres = isPostgres(db);
  return {
    postgres,
    /** Surrogate key: SQLite's rowid alias, PostgreSQL's identity column. */
    id: postgres ? ('bigint' as const) : ('integer' as const),
    idConstraints: (col: ColumnDefinitionBuilder) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
    /** Foreign keys to surrogate ids and epoch-millisecond instants. */
    bigint: postgres ? ('bigint' as const) : ('integer' as const),
    double: postgres ? ('double precision' as const) : ('real' as const),
  };
}
