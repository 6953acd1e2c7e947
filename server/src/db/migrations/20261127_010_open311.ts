import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Open311 GeoReport v2 (issue 6): the photo URL a client sends with a request (media_url) kept on the
// case, and the updates clients post to requests (FixMyStreet's servicerequestupdates), each once per
// client and update id; the keys with which portal reporters follow and rate their reports; and the
// counters of the rate limits on public writes.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.alterTable('cases').addColumn('media_url', 'text').execute();
  await db.schema.createTable('open311_updates')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('api_key_id', t.bigint, (c) => c.notNull().references('api_keys.id'))
    .addColumn('client_update_id', 'text', (c) => c.notNull())
    .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addColumn('received_at', t.bigint, (c) => c.notNull())
    .addColumn('media_url', 'text')
    /** The commenter's contact, kept for staff only; never in an Open311 answer. */
    .addColumn('contact', 'text')
    .execute();
  await db.schema.createIndex('open311_updates_client').on('open311_updates').columns(['api_key_id', 'client_update_id']).unique().execute();
  await db.schema.createIndex('open311_updates_case').on('open311_updates').columns(['case_id']).execute();
  // The public portal: a report made without an account is followed and rated with a key given once.
  await db.schema.createTable('public_report_keys')
    .addColumn('case_id', t.bigint, (c) => c.primaryKey().references('cases.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .execute();
  // Fixed-window counters of the rate limits on public writes (server/src/http/rate-limits.ts).
  await db.schema.createTable('rate_limit_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', t.bigint, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['bucket', 'window_start'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
  await db.schema.dropTable('public_report_keys').execute();
  await db.schema.dropTable('open311_updates').execute();
  await db.schema.alterTable('cases').dropColumn('media_url').execute();
}
