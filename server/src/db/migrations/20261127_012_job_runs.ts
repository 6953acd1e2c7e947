import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Scheduled jobs (issue 8: several app processes, each job run once): a run is claimed by inserting its
// (job, slot) row; the primary key lets exactly one process win, on SQLite and on PostgreSQL alike.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    /** The start of the period the run is for (epoch ms): every process computes the same slot. */
    .addColumn('slot', t.bigint, (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('started_at', t.bigint, (c) => c.notNull())
    .addColumn('finished_at', t.bigint)
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'slot'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
}
