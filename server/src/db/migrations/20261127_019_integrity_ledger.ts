import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Tamper evidence (decision 0017): an append-only ledger of seals chained by hashes. Each entry names what
// it seals (a kind and an entity: a published run's results, its evidence, a range of the audit log), the
// digest of the sealed items, the previous entry's hash and its own. The sealed items' digests are kept
// one row per item, so that a check names the unit, finding, appeal or audit row that changed. Triggers
// refuse updates and deletes: nothing in the app changes a seal, and whoever wants to must drop them first,
// which is no longer an accident (the check, not the trigger, is what detects it).
const TABLES = ['integrity_ledger', 'integrity_items'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('integrity_ledger')
    // Numbered by the app from the genesis entry 0, so that a missing number is a deleted entry.
    .addColumn('seq', t.bigint, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('sealed_at', t.bigint, (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('integrity_ledger_entity').on('integrity_ledger').columns(['kind', 'entity_ref']).execute();
  await db.schema.createTable('integrity_items')
    .addColumn('entry_seq', t.bigint, (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('integrity_items_pk', ['entry_seq', 'ref'])
    .execute();
  await createAppendOnlyTriggers(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAppendOnlyTriggers(db);
  for (const table of [...TABLES].reverse()) await db.schema.dropTable(table).execute();
}

/** The triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the ledger's tables. */
export async function createAppendOnlyTriggers(db: Kysely<any>): Promise<void> {
  if (ddlFor(db).postgres) {
    await sql`create or replace function integrity_append_only() returns trigger language plpgsql as $$
      begin raise exception '% is append-only', tg_table_name; end $$`.execute(db);
    for (const table of TABLES) {
      await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)} for each row execute function integrity_append_only()`.execute(db);
      await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)} for each statement execute function integrity_append_only()`.execute(db);
    }
    return;
  }
  for (const table of TABLES) {
    for (const event of ['update', 'delete']) {
      await sql.raw(`create trigger ${table}_no_${event} before ${event} on ${table} begin select raise(abort, '${table} is append-only'); end`).execute(db);
    }
  }
}

export async function dropAppendOnlyTriggers(db: Kysely<any>): Promise<void> {
  if (ddlFor(db).postgres) {
    for (const table of TABLES) {
      await sql`drop trigger if exists ${sql.id(`${table}_append_only`)} on ${sql.table(table)}`.execute(db);
      await sql`drop trigger if exists ${sql.id(`${table}_no_truncate`)} on ${sql.table(table)}`.execute(db);
    }
    await sql`drop function if exists integrity_append_only()`.execute(db);
    return;
  }
  for (const table of TABLES) {
    for (const event of ['update', 'delete']) await sql.raw(`drop trigger if exists ${table}_no_${event}`).execute(db);
  }
}
