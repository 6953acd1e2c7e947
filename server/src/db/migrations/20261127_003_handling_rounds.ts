import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The facts the indicators read (docs/decisions/0008): one row per handling round (处置轮次: a dispatch
// or a rework, to its feedback or return) with its deadline and the instant it first went overdue;
// whether each step ended its stage on time, on the event; the callback time; and on the case the
// current round's number and overdue instant, so a transition can update both without reading back.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('handling_rounds')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // 'dispatch' (派遣) or 'rework' (返工 after a failed check)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('department_id', t.bigint, (c) => c.notNull().references('departments.id'))
    .addColumn('grid_id', t.bigint, (c) => c.notNull())
    .addColumn('street_id', t.bigint, (c) => c.notNull())
    .addColumn('district_id', t.bigint, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('started_at', t.bigint, (c) => c.notNull())
    .addColumn('started_by', t.bigint)
    // The deadline in force (null while a suspension holds the clock); frozen once the round ends.
    .addColumn('due_at', t.bigint)
    // The first instant the round was past its deadline while unhandled, recorded by the first step
    // taken after it (a late extension, suspension, return or feedback). Null on a round still open:
    // then it is due_at once that has passed.
    .addColumn('overdue_at', t.bigint)
    .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handled_at', t.bigint)
    .addColumn('ended_at', t.bigint)
    .addColumn('end_kind', 'text')
    .addColumn('reworked_at', t.bigint)
    .addCheckConstraint('handling_rounds_end_kind', sql`end_kind in ('handled', 'returned')`)
    .addCheckConstraint('handling_rounds_kind', sql`kind in ('dispatch', 'rework')`)
    .execute();
  await db.schema.createIndex('handling_rounds_case_seq').on('handling_rounds').columns(['case_id', 'seq']).unique().execute();
  await db.schema.createIndex('handling_rounds_due').on('handling_rounds').columns(['due_at']).execute();
  await db.schema.createIndex('handling_rounds_handled').on('handling_rounds').columns(['handled_at']).execute();
  await db.schema.createIndex('handling_rounds_overdue').on('handling_rounds').columns(['overdue_at']).execute();
  await db.schema.createIndex('handling_rounds_started').on('handling_rounds').columns(['started_at']).execute();
  await db.schema.createIndex('handling_rounds_reworked').on('handling_rounds').columns(['reworked_at']).execute();

  await db.schema.alterTable('cases').addColumn('handling_round', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('cases').addColumn('handling_overdue_at', t.bigint).execute();
  await db.schema.alterTable('cases').addColumn('overdue_rounds', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('cases').addColumn('rated_at', t.bigint).execute();
  await db.schema.alterTable('case_events').addColumn('on_time', 'integer').execute();
  await db.schema.createIndex('cases_registered').on('cases').column('registered_at').execute();
  await db.schema.createIndex('cases_closed').on('cases').column('closed_at').execute();
  await db.schema.createIndex('cases_rated').on('cases').column('rated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['cases_registered', 'cases_closed', 'cases_rated']) await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('case_events').dropColumn('on_time').execute();
  for (const column of ['handling_round', 'handling_overdue_at', 'overdue_rounds', 'rated_at']) await db.schema.alterTable('cases').dropColumn(column).execute();
  await db.schema.dropTable('handling_rounds').execute();
}
