import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// The comprehensive evaluation (综合考评, PRODUCT.md §8): checklist standards and schemes as versioned
// rows; inspection rounds with their recorded seed, drawn points and evaluators, and findings (each with
// its evidence and the rectification case it opened); evaluation runs (one per scheme, month and
// version) with the office's entered scores, the computed results of each stage, the appeals and their
// rulings, and every step of the run with who and when.
const sqlIn = (column: string, values: string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
const sqlRange = (column: string, min: number, max: number) => sql`${sql.ref(column)} between ${sql.lit(min)} and ${sql.lit(max)}`;

export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  const versioned = (name: string) => db.schema.createTable(name)
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'));
  await versioned('checklist_standards').execute();
  await db.schema.createIndex('checklist_standards_code_version').on('checklist_standards').columns(['code', 'version']).unique().execute();
  await versioned('evaluation_schemes')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('parent_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .execute();
  await db.schema.createIndex('evaluation_schemes_code_version').on('evaluation_schemes').columns(['code', 'version']).unique().execute();

  await db.schema.createTable('inspection_rounds')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('scheme_id', t.bigint, (c) => c.notNull().references('evaluation_schemes.id'))
    .addColumn('checklist_id', t.bigint, (c) => c.notNull().references('checklist_standards.id'))
    .addColumn('period_code', 'text', (c) => c.notNull())
    .addColumn('seed', t.bigint, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['open', 'closed'])))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('closed_at', t.bigint)
    .addColumn('closed_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('inspection_rounds_scheme_period').on('inspection_rounds').columns(['scheme_id', 'period_code']).execute();

  await db.schema.createTable('inspection_points')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('round_id', t.bigint, (c) => c.notNull().references('inspection_rounds.id'))
    .addColumn('unit_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('grid_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('evaluator_id', t.bigint, (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('inspection_points_round_unit_seq').on('inspection_points').columns(['round_id', 'unit_node_id', 'seq']).unique().execute();
  await db.schema.createIndex('inspection_points_evaluator').on('inspection_points').columns(['evaluator_id', 'round_id']).execute();

  await db.schema.createTable('inspection_findings')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('round_id', t.bigint, (c) => c.notNull().references('inspection_rounds.id'))
    .addColumn('point_id', t.bigint, (c) => c.notNull().references('inspection_points.id'))
    .addColumn('unit_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().check(sqlRange('occurrences', 1, 1000)))
    .addColumn('lon', t.double)
    .addColumn('lat', t.double)
    .addColumn('found_at', t.bigint, (c) => c.notNull())
    .addColumn('evaluator_id', t.bigint, (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text')
    .addColumn('attachment_id', t.bigint, (c) => c.references('attachments.id'))
    .addColumn('case_id', t.bigint, (c) => c.references('cases.id'))
    /** The phone's id for the finding, so that a retried upload from the offline app is kept once. */
    .addColumn('client_ref', 'text')
    .addColumn('voided_by_appeal_id', t.bigint)
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inspection_findings_round_unit').on('inspection_findings').columns(['round_id', 'unit_node_id']).execute();
  await db.schema.createIndex('inspection_findings_client_ref').on('inspection_findings').columns(['evaluator_id', 'client_ref']).unique().execute();

  await db.schema.createTable('evaluation_runs')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('scheme_id', t.bigint, (c) => c.notNull().references('evaluation_schemes.id'))
    .addColumn('scheme_code', 'text', (c) => c.notNull())
    .addColumn('period_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['draft', 'preliminary', 'final', 'published', 'superseded'])))
    .addColumn('supersedes_id', t.bigint, (c) => c.references('evaluation_runs.id'))
    .addColumn('reason', 'text')
    .addColumn('appeal_deadline', t.bigint)
    .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('published_at', t.bigint)
    .execute();
  await db.schema.createIndex('evaluation_runs_scheme_period_version').on('evaluation_runs').columns(['scheme_code', 'period_code', 'version']).unique().execute();

  await db.schema.createTable('evaluation_run_events')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('run_id', t.bigint, (c) => c.notNull().references('evaluation_runs.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', t.bigint, (c) => c.notNull())
    .addColumn('actor_id', t.bigint, (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('evaluation_run_events_run').on('evaluation_run_events').columns(['run_id', 'id']).execute();

  await db.schema.createTable('evaluation_entries')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('run_id', t.bigint, (c) => c.notNull().references('evaluation_runs.id'))
    .addColumn('unit_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('value', t.double, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('entered_at', t.bigint, (c) => c.notNull())
    .addColumn('entered_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('evaluation_entries_run_unit_code').on('evaluation_entries').columns(['run_id', 'unit_node_id', 'code']).unique().execute();

  await db.schema.createTable('evaluation_results')
    .addColumn('run_id', t.bigint, (c) => c.notNull().references('evaluation_runs.id'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sqlIn('stage', ['preliminary', 'final'])))
    .addColumn('unit_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('total', t.double)
    .addColumn('place', 'integer')
    .addColumn('rank', 'integer')
    .addColumn('tied', 'integer', (c) => c.notNull())
    .addColumn('amount_fen', t.bigint, (c) => c.notNull())
    .addColumn('breakdown', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evaluation_results_pk', ['run_id', 'stage', 'unit_node_id'])
    .execute();

  await db.schema.createTable('evaluation_appeals')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('run_id', t.bigint, (c) => c.notNull().references('evaluation_runs.id'))
    .addColumn('unit_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('finding_id', t.bigint, (c) => c.references('inspection_findings.id'))
    .addColumn('entry_code', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('attachment_ids', 'text', (c) => c.notNull())
    .addColumn('filed_at', t.bigint, (c) => c.notNull())
    .addColumn('filed_by', t.bigint, (c) => c.notNull().references('users.id'))
    .addColumn('outcome', 'text', (c) => c.check(sqlIn('outcome', ['upheld', 'rejected'])))
    .addColumn('ruling', 'text')
    .addColumn('new_value', t.double)
    .addColumn('ruled_at', t.bigint)
    .addColumn('ruled_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('evaluation_appeals_run').on('evaluation_appeals').columns(['run_id', 'unit_node_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['evaluation_appeals', 'evaluation_results', 'evaluation_entries', 'evaluation_run_events', 'evaluation_runs', 'inspection_findings', 'inspection_points', 'inspection_rounds', 'evaluation_schemes', 'checklist_standards']) {
    await db.schema.dropTable(table).execute();
  }
}
