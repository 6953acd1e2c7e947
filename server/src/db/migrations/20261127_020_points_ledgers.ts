import type { Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Points ledgers (decision 0018): the accumulated points (累计加减分) of responsibility areas and units, and
// the credit points (信用积分) of frontage shops, sanitation contractors and muck-transport companies. Points
// are ledger entries (who, what, when, why, the source they come from), never a stored total; a derived
// entry names its source once (unique source_key), so a sweep of the records may run any number of times;
// a correction is a reversing entry. Threshold crossings are recorded once per subject, year and level; a
// closed year keeps its frozen totals. Rule sets are versioned rows like the evaluation's schemes.
const TABLES = ['points_rule_sets', 'points_entries', 'points_alerts', 'points_years', 'points_year_totals', 'credit_subjects', 'credit_appeals'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('points_rule_sets')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('points_rule_sets_ledger_version').on('points_rule_sets').columns(['ledger', 'version']).unique().execute();

  await db.schema.createTable('points_entries')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    // 'area' (a responsibility_areas row), 'department', 'territory' (a government's node) or 'credit_subject'.
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', t.bigint, (c) => c.notNull())
    // The unit answering for an area's entry (and for a unit's own entry, the unit itself).
    .addColumn('unit_kind', 'text')
    .addColumn('unit_id', t.bigint)
    .addColumn('event', 'text', (c) => c.notNull())
    // Tenths of a point: exact integers on both databases.
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', t.bigint, (c) => c.notNull())
    .addColumn('source_key', 'text')
    .addColumn('source_ref', 'text')
    .addColumn('reason', 'text')
    .addColumn('evidence', 'text')
    .addColumn('reverses_id', t.bigint, (c) => c.references('points_entries.id'))
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', t.bigint, (c) => c.notNull())
    .addColumn('recorded_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('recorded_by_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('points_entries_source').on('points_entries').columns(['ledger', 'source_key']).unique().execute();
  await db.schema.createIndex('points_entries_reverses').on('points_entries').columns(['reverses_id']).unique().execute();
  await db.schema.createIndex('points_entries_subject').on('points_entries').columns(['ledger', 'year', 'subject_kind', 'subject_id']).execute();
  await db.schema.createIndex('points_entries_unit').on('points_entries').columns(['ledger', 'year', 'unit_kind', 'unit_id']).execute();

  await db.schema.createTable('points_alerts')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', t.bigint, (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('crossed_at', t.bigint, (c) => c.notNull())
    .addColumn('entry_id', t.bigint, (c) => c.notNull().references('points_entries.id'))
    .execute();
  await db.schema.createIndex('points_alerts_once').on('points_alerts').columns(['ledger', 'year', 'subject_kind', 'subject_id', 'level']).unique().execute();

  await db.schema.createTable('points_years')
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('closed_at', t.bigint, (c) => c.notNull())
    .addColumn('closed_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('closed_by_name', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('points_years_pk', ['ledger', 'year'])
    .execute();
  await db.schema.createTable('points_year_totals')
    .addColumn('ledger', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', t.bigint, (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    // The most severe alert level reached (responsibility) or the credit level (credit); null: none.
    .addColumn('level', 'text')
    .addPrimaryKeyConstraint('points_year_totals_pk', ['ledger', 'year', 'subject_kind', 'subject_id'])
    .execute();

  await db.schema.createTable('credit_subjects')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull().unique())
    .addColumn('address', 'text')
    .addColumn('lon', t.double)
    .addColumn('lat', t.double)
    .addColumn('area_id', t.bigint, (c) => c.references('responsibility_areas.id'))
    .addColumn('territory_node_id', t.bigint, (c) => c.references('territory_nodes.id'))
    // Who the office calls (a person): never in a public answer.
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credit_subjects_area').on('credit_subjects').columns(['area_id']).execute();

  await db.schema.createTable('credit_appeals')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('entry_id', t.bigint, (c) => c.notNull().references('points_entries.id'))
    .addColumn('subject_id', t.bigint, (c) => c.notNull().references('credit_subjects.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('filed_at', t.bigint, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('ruling', 'text')
    .addColumn('ruled_at', t.bigint)
    .addColumn('ruled_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('reversal_entry_id', t.bigint, (c) => c.references('points_entries.id'))
    .execute();
  await db.schema.createIndex('credit_appeals_entry').on('credit_appeals').columns(['entry_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) await db.schema.dropTable(table).execute();
}
