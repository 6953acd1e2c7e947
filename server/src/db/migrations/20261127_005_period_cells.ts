import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The counts of a period that has ended, kept once computed: counted "as of" its end they cannot change,
// except when records are entered later with earlier times (a history import, a backdated report); the
// stored counts note the newest records they saw, and a read counts again when a newer one is dated
// inside the period (server/src/indicators/period-cells-cache.ts). Rankings compare with the previous
// period, and every API call that reads an ended period would otherwise count it again.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('period_cells')
    .addColumn('period_code', 'text', (c) => c.primaryKey())
    .addColumn('from_ms', t.bigint, (c) => c.notNull())
    .addColumn('to_ms', t.bigint, (c) => c.notNull())
    .addColumn('cells', 'text', (c) => c.notNull())
    .addColumn('computed_at', t.bigint, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('period_cells').execute();
}
