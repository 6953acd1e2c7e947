import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Handling-round counts per half-month and (grid, department), kept as rounds start, are reported back
// and are reworked (decision 0009): each counted at its own instant, so exact for any period made of
// whole half-months. The overdue counts, which depend on the period end, are still read from the rounds.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('kept_round_cells')
    .addColumn('half', 'integer', (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull())
    .addColumn('department_id', t.bigint, (c) => c.notNull())
    .addColumn('dispatched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handled_on_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reworked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rect_handled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rectified_on_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('kept_round_cells_pk', ['half', 'grid_id', 'department_id'])
    .execute();
  // Never filled since migration 008 replaced it by kept_cells, which is filled after the migrations.
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_round_cells').execute();
}
