import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Performance evaluation schemes (绩效评价方案) as versioned data: every save is a new version with
// who and when; an evaluation names the version it used. The defaults ship in the domain package and
// apply until a city saves its own.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema
    .createTable('performance_schemes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('performance_schemes_subject_version').on('performance_schemes').columns(['subject', 'version']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('performance_schemes').execute();
}
