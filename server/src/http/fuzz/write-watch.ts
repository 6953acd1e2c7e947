// Sees every committed write to any table of a test database: a row trigger per table and operation
// counts into one table (fuzz_writes). A rolled-back transaction takes its counts back with it, so the
// counts change exactly when a change was committed, whatever table and however it was written. One
// query reads them all, cheap enough to take before and after each of thousands of fuzzed requests.
import { readdir } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isPostgres } from '../../db/database.ts';

const COUNTS = 'fuzz_writes';
const OPERATIONS = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;
export type WriteOperation = keyof typeof OPERATIONS;

/** `table:operation` → committed rows so far. */
export type WriteCounts = Map<string, number>;

/** Installs the triggers on every table of the database (once, after the migrations). */
export async function installWriteWatch(db: Kysely<Database>): Promise<string[]> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((t) => t !== COUNTS).sort();
  const pg = isPostgres(db);
  await sql.raw(`create table ${COUNTS} (tbl varchar(100) not null, op varchar(10) not null, n bigint not null, primary key (tbl, op))`).execute(db);
  if (pg) {
    await sql.raw(`create function fuzz_count_write() returns trigger language plpgsql as $$
      begin update ${COUNTS} set n = n + 1 where tbl = TG_TABLE_NAME and op = TG_OP; return null; end $$`).execute(db);
  }
  for (const table of tables) {
    for (const op of Object.values(OPERATIONS)) {
      await sql.raw(`insert into ${COUNTS} (tbl, op, n) values ('${table}', '${op}', 0)`).execute(db);
      const name = `fuzz_w_${table}_${op.toLowerCase()}`;
      await sql.raw(pg
        ? `create trigger ${name} after ${op} on ${table} for each row execute function fuzz_count_write()`
        : `create trigger ${name} after ${op} on ${table} for each row begin update ${COUNTS} set n = n + 1 where tbl = '${table}' and op = '${op}'; end`).execute(db);
    }
  }
  return tables;
}

export async function readWriteCounts(db: Kysely<Database>): Promise<WriteCounts> {
  const { rows } = await sql<{ tbl: string; op: string; n: number | string }>`select tbl, op, n from fuzz_writes`.execute(db);
  return new Map(rows.map((r) => [`${r.tbl}:${r.op.toLowerCase()}`, Number(r.n)]));
}

/** What changed between two readings, as `table:operation` → rows. */
export function writesBetween(before: WriteCounts, after: WriteCounts): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, n] of after) {
    const d = n - (before.get(key) ?? 0);
    if (d !== 0) out.set(key, d);
  }
  return out;
}

/** The files under a folder (the attachment store), counted: a refused upload must leave none behind. */
export async function countFiles(dir: string): Promise<number> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
