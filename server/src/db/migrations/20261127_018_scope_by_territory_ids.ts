import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The cases under a territory node are now found by the node's id in the case's district, street or grid
// column (case-territory-scope.ts), not by LIKE on the case's path. The path index goes: SQLite could never
// seek it for LIKE and read it whole (a street's case count, 0.9–1.2 s at 10,000,000 cases), and it was the
// costliest index to write per report (a long text key). A street's cases get an integer index of their own;
// a district's, a community's (through its grids) and a grid's already have one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_territory_path').ifExists().execute();
  await db.schema.createIndex('cases_street_reported').on('cases').columns(['street_id', 'reported_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_street_reported').execute();
  if (ddlFor(db).postgres) await sql`create index cases_territory_path on cases (territory_path text_pattern_ops)`.execute(db);
  else await db.schema.createIndex('cases_territory_path').on('cases').column('territory_path').execute();
}
