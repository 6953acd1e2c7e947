import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// A counter that moves whenever the reference data a report is taken with changes: the catalog, the
// 立结案标准, departments, territory, calendars, stage limits, settings. Intake reads this one row per
// batch and reuses what it loaded while the number stays (reference-generation.ts), instead of reading
// the same nine tables for every batch (bench intake_http: on PostgreSQL each read is a round trip).
// Triggers move it, so that no writer of those tables, today's or a later one, can forget to. It moves to a
// random value, not n + 1: a change rolled back would otherwise free its number for a later, different
// change, and a cache filled inside the rolled-back transaction would pass for that one.
export const REFERENCE_TABLES = [
  'catalog_versions', 'catalog_classes', 'case_standards', 'departments', 'territory_nodes',
  'work_calendars', 'calendar_years', 'calendar_days', 'stage_time_limits', 'settings',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const { postgres, bigint } = ddlFor(db);
  await db.schema.createTable('reference_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', bigint, (c) => c.notNull())
    .execute();
  await db.insertInto('reference_generation').values({ id: 1, n: 1 }).execute();
  if (postgres) {
    await sql`create function bump_reference_generation() returns trigger language plpgsql as $$
      begin update reference_generation set n = (random() * 9007199254740991)::bigint where id = 1; return null; end $$`.execute(db);
    for (const table of REFERENCE_TABLES) {
      await sql.raw(`create trigger ${table}_reference_generation after insert or update or delete or truncate on ${table}
        for each statement execute function bump_reference_generation()`).execute(db);
    }
    return;
  }
  for (const table of REFERENCE_TABLES) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`create trigger ${table}_reference_generation_${event} after ${event} on ${table}
        begin update reference_generation set n = abs(random()) % 9007199254740991 where id = 1; end`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const { postgres } = ddlFor(db);
  for (const table of REFERENCE_TABLES) {
    if (postgres) await sql.raw(`drop trigger if exists ${table}_reference_generation on ${table}`).execute(db);
    else for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_reference_generation_${event}`).execute(db);
  }
  if (postgres) await sql`drop function if exists bump_reference_generation()`.execute(db);
  await db.schema.dropTable('reference_generation').execute();
}
