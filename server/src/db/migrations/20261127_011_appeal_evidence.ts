import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// An appeal's evidence (申诉材料): the photos a unit files with its appeal are linked to the appeal, so
// the office that rules on it can read them (before, only their uploader could).
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.alterTable('attachments').addColumn('appeal_id', t.bigint, (c) => c.references('evaluation_appeals.id')).execute();
  await db.schema.createIndex('attachments_appeal').on('attachments').columns(['appeal_id']).execute();
}
