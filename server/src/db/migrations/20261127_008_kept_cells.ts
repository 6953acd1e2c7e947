import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';
import { up as createKeptRoundCells } from './20261127_007_kept_round_cells.ts';

// The case, round, ruling and person counts kept per half-month (decision 0009), in place of the round
// counts of migration 007: keyed by the half-month of the instant that puts a count in a period
// (since_half) and of the instant it happened (half), so that counts comparing two instants ("reported
// in the period and dispatched by its end") are exact too. A partial index finds the rounds still
// running, whose overdue instant is not recorded yet; rounds carry their case's closing instant. The counts are filled after the migrations from
// the records (server/src/indicators/kept-counts-version.ts), which keeps this migration DDL only.
const CELL_COUNTS = [
  'reported', 'complaints_received', 'complaints_routed', 'registered', 'registered_inspector', 'registered_public',
  'closed', 'closed_on_time', 'callbacks', 'satisfied',
  'dispatched', 'handled', 'handled_on_time', 'reworked', 'rect_handled', 'rectified_on_time',
  'overdue', 'overdue_handled', 'rect_overdue', 'rect_overdue_handled',
  'extended', 'returned', 'suspended',
];
const PERSON_COUNTS = ['reports_made', 'reports_valid', 'dispatch_rounds', 'dispatches_returned', 'registrations_merged'];

export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  let cells = db.schema.createTable('kept_cells')
    .addColumn('since_half', 'integer', (c) => c.notNull())
    .addColumn('half', 'integer', (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull())
    .addColumn('department_id', t.bigint, (c) => c.notNull());
  for (const count of CELL_COUNTS) cells = cells.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
  // On SQLite the rows live in their key's b-tree (WITHOUT ROWID): a period reads one key range, with no
  // lookup from an index into the table per row.
  const clustered = t.postgres ? sql`` : sql`without rowid`;
  await cells.addPrimaryKeyConstraint('kept_cells_pk', ['since_half', 'half', 'grid_id', 'department_id']).modifyEnd(clustered).execute();

  let persons = db.schema.createTable('kept_person_cells')
    .addColumn('since_half', 'integer', (c) => c.notNull())
    .addColumn('half', 'integer', (c) => c.notNull())
    .addColumn('person_id', t.bigint, (c) => c.notNull());
  for (const count of PERSON_COUNTS) persons = persons.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
  await persons.addPrimaryKeyConstraint('kept_person_cells_pk', ['since_half', 'half', 'person_id']).modifyEnd(clustered).execute();

  await db.schema.createTable('kept_counts_state')
    .addColumn('family', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('handling_rounds_running_due').on('handling_rounds').column('due_at').where(sql.ref('ended_at'), 'is', null).execute();
  // 超期未结案 asks of each round that went overdue in a period whether its case was closed by the end:
  // the case's closing instant kept on its rounds lets one index answer that without a lookup per case.
  await db.schema.alterTable('handling_rounds').addColumn('case_closed_at', t.bigint).execute();
  await sql`update handling_rounds set case_closed_at = (select c.closed_at from cases c where c.id = handling_rounds.case_id)`.execute(db);
  await db.schema.dropIndex('handling_rounds_overdue').execute();
  await db.schema.createIndex('handling_rounds_overdue_case').on('handling_rounds').columns(['overdue_at', 'case_closed_at', 'case_id', 'grid_id', 'department_id']).execute();
  await db.schema.dropTable('kept_round_cells').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('handling_rounds_overdue_case').execute();
  await db.schema.alterTable('handling_rounds').dropColumn('case_closed_at').execute();
  await db.schema.createIndex('handling_rounds_overdue').on('handling_rounds').columns(['overdue_at']).execute();
  await db.schema.dropIndex('handling_rounds_running_due').execute();
  await db.schema.dropTable('kept_counts_state').execute();
  await db.schema.dropTable('kept_person_cells').execute();
  await db.schema.dropTable('kept_cells').execute();
  await createKeptRoundCells(db);
}
