import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Each person's post steps per Beijing day and action (受理, 核实, 立案, 派遣, 核查, 结案 …), kept as the
// steps are written (decision 0009): a month's post evaluation reads a few thousand rows instead of
// millions of step events. Counting by the step's own instant keeps it exact "as of" any day boundary.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('kept_post_steps')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('actor_id', t.bigint, (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kept_post_steps_pk', ['day', 'actor_id', 'action'])
    .execute();
  // Filled from the step events after the migrations (server/src/indicators/kept-counts-version.ts).
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_post_steps').execute();
}
