import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Reports per grid and calendar year (Beijing), beside the half-months of 014: a map of three years at city
// zoom then reads three rows per grid instead of seventy-two (bench case_queries: 0.47 s from the halves at
// 10,000,000 cases). Filled from the records after the migrations (kept family grid_reports, version 2).
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('kept_grid_year_reports')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull())
    .addColumn('reported', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kept_grid_year_reports_pk', ['year', 'grid_id'])
    .modifyEnd(t.postgres ? sql`` : sql`without rowid`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_grid_year_reports').execute();
}
