import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The points sweep reads only what changed since its last run (decision 0018, "incremental sweep"): each
// ledger keeps the time up to which it has swept. A sweep then asks for the findings recorded, the cases
// registered, the deadlines passed and the appeals ruled since that mark, by their own timestamps, where it used
// to re-read two years of cases every hour. Findings are read by their recording time, and the entries of
// a finding by its reference when an appeal voids it: both get an index.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('points_sweep_marks')
    .addColumn('ledger', 'text', (c) => c.primaryKey())
    .addColumn('swept_to', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inspection_findings_created').on('inspection_findings').column('created_at').execute();
  await db.schema.createIndex('points_entries_source_ref').on('points_entries').columns(['ledger', 'source_ref']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('points_entries_source_ref').execute();
  await db.schema.dropIndex('inspection_findings_created').execute();
  await db.schema.dropTable('points_sweep_marks').execute();
}
