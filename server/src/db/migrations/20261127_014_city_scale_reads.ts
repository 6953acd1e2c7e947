import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Reads that must stay fast at 10,000,000 cases (issue 8, bench case_queries):
// - the list's deadline order, coalesce(handling_due_at, stage_due_at), led by the state filter it comes with;
// - the duplicate search at intake (same class, a box around the point, ±24 h) answered from the index alone:
//   led by the class and the longitude, a search reads the class's cases in a 100 m band of the city (a
//   burst of reports on one day does not make it read the whole day), and only those in the box and the
//   window cost a table lookup;
// - a reporter's own cases (我的上报, the list's "mine"), newest first;
// - the map of a viewport at street zoom: the cases of the grids in view, with their positions, from the index;
// - the map of a period at city zoom: reports kept per grid and half-month (kept_grid_reports, filled from the
//   records after the migrations like the other kept counts; decision 0013).
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  // Kysely's index builder takes columns or one expression, not both: the combined key is written out (same text on both).
  await sql`create index cases_state_due on cases (state, coalesce(handling_due_at, stage_due_at))`.execute(db);
  // The single-column deadline indexes served the old overdue filter and order; cases_state_due and
  // cases_handling_stopped_due (013) serve them now, and every report no longer writes them.
  await db.schema.dropIndex('cases_stage_due').execute();
  await db.schema.dropIndex('cases_handling_due').execute();
  await db.schema.dropIndex('cases_class_reported').execute();
  await db.schema.createIndex('cases_class_place_reported').on('cases').columns(['class_id', 'lon', 'lat', 'reported_at']).execute();
  await db.schema.createIndex('cases_reporter').on('cases').columns(['reported_by_kind', 'reported_by_id', 'reported_at']).execute();
  await db.schema.createIndex('cases_grid_reported_place').on('cases').columns(['grid_id', 'reported_at', 'lon', 'lat']).execute();
  const clustered = t.postgres ? sql`` : sql`without rowid`;
  await db.schema.createTable('kept_grid_reports')
    .addColumn('half', 'integer', (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull())
    .addColumn('reported', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kept_grid_reports_pk', ['half', 'grid_id'])
    .modifyEnd(clustered)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_grid_reports').execute();
  await db.schema.dropIndex('cases_grid_reported_place').execute();
  await db.schema.dropIndex('cases_reporter').execute();
  await db.schema.dropIndex('cases_class_place_reported').execute();
  await db.schema.createIndex('cases_class_reported').on('cases').columns(['class_id', 'reported_at']).execute();
  await db.schema.createIndex('cases_handling_due').on('cases').column('handling_due_at').execute();
  await db.schema.createIndex('cases_stage_due').on('cases').column('stage_due_at').execute();
  await db.schema.dropIndex('cases_state_due').execute();
}
