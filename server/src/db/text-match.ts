// Free-text filters (a case's description, a user's name, a territory node, a catalog class) behave alike on
// both databases. SQLite's LIKE ignores the case of ASCII letters and PostgreSQL's does not, so a search for
// "zhang" found "Zhang" on one and not on the other: both now ignore it (ILIKE on PostgreSQL). The user's own
// % and _ are matched as themselves, not as wildcards.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isPostgres, type Executor } from './database.ts';

const escaped = (text: string) => text.replace(/[%_\\]/g, (c) => `\\${c}`);

function match(db: Executor, column: string, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} ${sql.raw(isPostgres(db) ? 'ilike' : 'like')} ${pattern} escape '\\'`;
}

/** The column holds the text anywhere, ignoring case. */
export function textContains(db: Executor, column: string, text: string): RawBuilder<SqlBool> {
  return match(db, column, `%${escaped(text)}%`);
}

/** The column starts with the text, ignoring case. */
export function textStartsWith(db: Executor, column: string, text: string): RawBuilder<SqlBool> {
  return match(db, column, `${escaped(text)}%`);
}
