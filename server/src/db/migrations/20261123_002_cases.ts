import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The case record (案卷): cases with their clocks stored as columns, the event log every transition
// writes, attachments, reporters' private data, duplicate flags, idempotency keys and stage limits.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);

  await db.schema
    .createTable('cases')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('application', 'text')
    .addColumn('class_id', t.bigint, (c) => c.notNull().references('catalog_classes.id'))
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('class_kind', 'text', (c) => c.notNull())
    .addColumn('component_id', t.bigint, (c) => c.references('components.id'))
    .addColumn('standard_id', t.bigint, (c) => c.references('case_standards.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lon', t.double, (c) => c.notNull())
    .addColumn('lat', t.double, (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('community_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('street_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('district_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('territory_path', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('limit_value', t.double, (c) => c.notNull())
    .addColumn('limit_unit', 'text', (c) => c.notNull())
    .addColumn('suggested_department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('reported_at', t.bigint, (c) => c.notNull())
    .addColumn('reported_by_kind', 'text', (c) => c.notNull())
    .addColumn('reported_by_id', t.bigint)
    .addColumn('registered_at', t.bigint)
    .addColumn('first_dispatched_at', t.bigint)
    .addColumn('dispatched_at', t.bigint)
    .addColumn('handled_at', t.bigint)
    .addColumn('closed_at', t.bigint)
    .addColumn('ended_at', t.bigint)
    // The current stage's clock (环节时限).
    .addColumn('stage', 'text')
    .addColumn('stage_started_at', t.bigint)
    .addColumn('stage_due_at', t.bigint)
    .addColumn('stage_warn_at', t.bigint)
    // The handling clock (处置时限) of the current round; pauses as JSON [{fromMs,toMs}].
    .addColumn('handling_started_at', t.bigint)
    .addColumn('handling_round_extensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handling_pauses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('handling_limit_value', t.double)
    .addColumn('handling_limit_unit', 'text')
    .addColumn('handling_due_at', t.bigint)
    .addColumn('handling_warn_at', t.bigint)
    .addColumn('handling_stopped_at', t.bigint)
    .addColumn('returns_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extensions_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suspensions_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reworks_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('self_handled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('satisfaction', 'text')
    .addColumn('merged_into_id', t.bigint, (c) => c.references('cases.id'))
    .addColumn('duplicate_flag', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addCheckConstraint('cases_self_handled', sql`self_handled in (0, 1)`)
    .addCheckConstraint('cases_duplicate_flag', sql`duplicate_flag in (0, 1)`)
    .execute();
  await db.schema.createIndex('cases_source_external').on('cases').columns(['source', 'external_ref']).unique().execute();
  await db.schema.createIndex('cases_state').on('cases').columns(['state', 'reported_at']).execute();
  await db.schema.createIndex('cases_department_state').on('cases').columns(['department_id', 'state']).execute();
  await db.schema.createIndex('cases_district_reported').on('cases').columns(['district_id', 'reported_at']).execute();
  await db.schema.createIndex('cases_reported').on('cases').column('reported_at').execute();
  await db.schema.createIndex('cases_handling_due').on('cases').column('handling_due_at').execute();
  await db.schema.createIndex('cases_stage_due').on('cases').column('stage_due_at').execute();
  await db.schema.createIndex('cases_class_reported').on('cases').columns(['class_id', 'reported_at']).execute();
  if (t.postgres) await sql`create index cases_territory_path on cases (territory_path text_pattern_ops)`.execute(db);
  else await db.schema.createIndex('cases_territory_path').on('cases').column('territory_path').execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', t.bigint, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', t.bigint)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text')
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('reason', 'text')
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('case_events_case_seq').on('case_events').columns(['case_id', 'seq']).unique().execute();
  await db.schema.createIndex('case_events_action_at').on('case_events').columns(['action', 'at']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', t.bigint, (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('uploaded_by_kind', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_id', t.bigint)
    .addColumn('uploaded_at', t.bigint, (c) => c.notNull())
    .addColumn('case_id', t.bigint, (c) => c.references('cases.id'))
    .addColumn('event_id', t.bigint, (c) => c.references('case_events.id'))
    .execute();
  await db.schema.createIndex('attachments_case').on('attachments').column('case_id').execute();

  // Reporters' personal data lives apart from the case so that no public projection can reach it.
  await db.schema
    .createTable('case_reporters')
    .addColumn('case_id', t.bigint, (c) => c.primaryKey().references('cases.id'))
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('user_id', t.bigint, (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('case_duplicate_candidates')
    .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
    .addColumn('candidate_id', t.bigint, (c) => c.notNull().references('cases.id'))
    .addColumn('distance_m', t.double, (c) => c.notNull())
    .addPrimaryKeyConstraint('case_duplicate_candidates_pk', ['case_id', 'candidate_id'])
    .execute();

  await db.schema
    .createTable('case_code_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('stage_time_limits')
    .addColumn('stage', 'text', (c) => c.primaryKey())
    .addColumn('limit_value', t.double, (c) => c.notNull())
    .addColumn('limit_unit', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_by', t.bigint, (c) => c.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stage_time_limits', 'idempotency_keys', 'case_code_counters', 'case_duplicate_candidates', 'case_reporters', 'attachments', 'case_events', 'cases']) {
    await db.schema.dropTable(table).execute();
  }
}
