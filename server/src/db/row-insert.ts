// Multi-row INSERT statements, and additive upserts, written straight from the rows: their text is built
// once per shape (table, columns, row count, dialect) and kept. The hot writes (a batch of new cases and
// their events, the kept counts every step adds to) spent more time in the query builder turning hundreds
// of values into a syntax tree and back into the same text than SQLite spent storing them (bench
// intake_http profile, decision 0014). Values are bound as parameters, never spliced into the text.
import { CompiledQuery, type Insertable } from 'kysely';
import { isPostgres, type Executor } from './database.ts';
import type { Database } from './schema.ts';

export interface RowInsertOptions {
  /** Columns of the inserted rows to return, in the rows' order. */
  returning?: readonly string[];
  /** On a conflict over `key`, add the new row's `add` columns to the stored row's (an additive upsert). */
  addOnConflict?: { key: readonly string[]; add: readonly string[] };
}

/** Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const PARAMETERS_PER_STATEMENT = 30_000;
/** Statement texts kept; shapes beyond them are built again each time. */
const TEXTS_KEPT = 500;

const texts = new Map<string, string>();
const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function insertText(postgres: boolean, table: string, columns: readonly string[], rowCount: number, options: RowInsertOptions, firstParameter = 1): string {
  const key = `${postgres ? 'pg' : 'sqlite'}|${firstParameter}|${table}|${columns.join(',')}|${rowCount}|${options.returning?.join(',') ?? ''}|${options.addOnConflict?.key.join(',') ?? ''}|${options.addOnConflict?.add.join(',') ?? ''}`;
  let text = texts.get(key);
  if (text !== undefined) return text;
  let n = firstParameter - 1;
  const tuple = () => `(${columns.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`;
  const tuples = Array.from({ length: rowCount }, tuple);
  text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
  if (options.addOnConflict) {
    const { key: conflictKey, add } = options.addOnConflict;
    text += ` on conflict (${conflictKey.map(quote).join(', ')}) do update set ${add.map((c) => `${quote(c)} = ${quote(table)}.${quote(c)} + excluded.${quote(c)}`).join(', ')}`;
  }
  if (options.returning?.length) text += ` returning ${options.returning.map(quote).join(', ')}`;
  if (texts.size >= TEXTS_KEPT) texts.clear();
  texts.set(key, text);
  return text;
}

/** The columns every row sets (see insertRows), checked. */
function columnsOf(table: string, rows: readonly object[]): string[] {
  const first = rows[0] as Record<string, unknown>;
  const columns = Object.keys(first).filter((c) => first[c] !== undefined);
  for (const [i, row] of rows.entries()) {
    const values = row as Record<string, unknown>;
    if (columns.some((c) => values[c] === undefined) || Object.keys(values).some((c) => values[c] !== undefined && first[c] === undefined)) {
      throw new Error(`insertRows(${table}): row ${i} does not set the same columns as row 0`);
    }
  }
  return columns;
}

/**
 * An additive upsert's rows in the order of their key: concurrent writers (two intake batches on PostgreSQL) then
 * lock the rows they share in the same order and cannot deadlock over them.
 */
function inKeyOrder<R extends object>(rows: readonly R[], options: RowInsertOptions | undefined): readonly R[] {
  const key = options?.addOnConflict?.key;
  // Returned rows come in the caller's order, so an upsert that returns rows keeps it.
  if (!key || rows.length < 2 || options?.returning?.length) return rows;
  const valueOf = (row: R, c: string) => (row as Record<string, unknown>)[c] as number | string;
  return [...rows].sort((a, b) => {
    for (const c of key) {
      const x = valueOf(a, c);
      const y = valueOf(b, c);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

function parametersOf(rows: readonly object[], columns: readonly string[], into: unknown[] = []): unknown[] {
  for (const row of rows as readonly Record<string, unknown>[]) for (const c of columns) into.push(row[c]);
  return into;
}

/**
 * Inserts the rows (in chunks within the parameter limits) and returns the `returning` columns of each. Every
 * row must set the same columns: a value left undefined would mean the column's default, which a multi-row
 * VALUES list cannot say on SQLite.
 */
export async function insertRows<T extends keyof Database & string, R = Record<string, unknown>>(
  db: Executor, table: T, rows: readonly Insertable<Database[T]>[], options: RowInsertOptions = {},
): Promise<R[]> {
  if (!rows.length) return [];
  rows = inKeyOrder(rows, options);
  const columns = columnsOf(table, rows);
  const postgres = isPostgres(db);
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns.length));
  const returned: R[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const result = await db.executeQuery<R>(CompiledQuery.raw(insertText(postgres, table, columns, chunk.length, options), parametersOf(chunk, columns)));
    returned.push(...result.rows);
  }
  return returned;
}

/** One table's rows in insertAll. */
export interface RowInsert<T extends keyof Database & string = keyof Database & string> {
  table: T;
  rows: readonly Insertable<Database[T]>[];
  options?: RowInsertOptions;
}

export const rowInsert = <T extends keyof Database & string>(table: T, rows: readonly Insertable<Database[T]>[], options?: RowInsertOptions): RowInsert => ({ table, rows, options } as RowInsert);

/**
 * Several independent inserts (none reads another's rows). On PostgreSQL they go as one statement of
 * data-modifying WITH parts, one round trip instead of one per table: at a busy intake the app's time went
 * to the socket writes of a dozen statements per batch (bench intake_http profile). On SQLite, in the same
 * process, a statement costs no round trip, and they run one after the other. Only the last insert may
 * name `returning` columns; its rows are returned.
 */
export async function insertAll<R = Record<string, unknown>>(db: Executor, inserts: readonly RowInsert[]): Promise<R[]> {
  if (inserts.slice(0, -1).some((i) => i.options?.returning?.length)) throw new Error('insertAll: only the last insert may return rows');
  const parts = inserts.filter((i) => i.rows.length);
  if (!parts.length) return [];
  const shaped = parts.map((p) => ({ ...p, rows: inKeyOrder(p.rows, p.options), columns: columnsOf(p.table, p.rows) }));
  const total = shaped.reduce((sum, p) => sum + p.columns.length * p.rows.length, 0);
  if (!isPostgres(db) || shaped.length === 1 || total > PARAMETERS_PER_STATEMENT) {
    let returned: R[] = [];
    for (const p of shaped) returned = await insertRows<typeof p.table, R>(db, p.table, p.rows, p.options);
    return returned;
  }
  const parameters: unknown[] = [];
  const texts = shaped.map((p) => {
    const text = insertText(true, p.table, p.columns, p.rows.length, p.options ?? {}, parameters.length + 1);
    parametersOf(p.rows, p.columns, parameters);
    return text;
  });
  const last = texts.pop()!;
  const text = `with ${texts.map((t, i) => `w${i} as (${t})`).join(', ')} ${last}`;
  return (await db.executeQuery<R>(CompiledQuery.raw(text, parameters))).rows;
}
