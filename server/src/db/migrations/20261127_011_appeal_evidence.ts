import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// An appeal's evidence (申诉材料): the photos a unit files with its appeal are linked to the appeal, so
// the office that rules on it can read them (before, only their uploader could). A plain column with an
// index and no foreign-key clause: SQLite cannot drop a column that a foreign key names, and the link is
// written once, in the appeal's own transaction, to an appeal that exists.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.alterTable('attachments').addColumn('appeal_id', t.bigint).execute();
  await db.schema.createIndex('attachments_appeal').on('attachments').columns(['appeal_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachments_appeal').execute();
  await db.schema.alterTable('attachments').dropColumn('appeal_id').execute();
}
