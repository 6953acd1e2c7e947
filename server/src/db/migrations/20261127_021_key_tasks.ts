import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Key-task supervision (挂图作战 / 项目化推进, PRODUCT.md §9, decision 0019): a plan owned by the office over a
// territory node; tasks and sub-tasks with their responsible units (a lead unit and cooperating units, each a
// department or a territory node); milestones dated to the day or week, with their review state; progress
// reports with evidence photos; the office's reviews; the overdue alerts the job raises once per milestone;
// and the versioned scoring rules of the special-task score.
const sqlIn = (column: string, values: string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
const sqlRange = (column: string, min: number, max: number) => sql`${sql.ref(column)} between ${sql.lit(min)} and ${sql.lit(max)}`;

const TABLES = ['key_task_score_rules', 'key_task_plans', 'key_tasks', 'key_task_units', 'key_task_milestones', 'key_task_reports', 'key_task_report_attachments', 'key_task_reviews', 'key_task_alerts'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);
  await db.schema.createTable('key_task_score_rules')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('key_task_score_rules_code_version').on('key_task_score_rules').columns(['code', 'version']).unique().execute();

  await db.schema.createTable('key_task_plans')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('owner_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('rule_code', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();

  await db.schema.createTable('key_tasks')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('plan_id', t.bigint, (c) => c.notNull().references('key_task_plans.id'))
    .addColumn('parent_id', t.bigint, (c) => c.references('key_tasks.id'))
    /** '3', or '3.2' for a sub-task: how the plan numbers it. */
    .addColumn('seq', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('key_tasks_plan_seq').on('key_tasks').columns(['plan_id', 'seq']).unique().execute();

  await db.schema.createTable('key_task_units')
    .addColumn('task_id', t.bigint, (c) => c.notNull().references('key_tasks.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['lead', 'cooperating'])))
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('territory_node_id', t.bigint, (c) => c.references('territory_nodes.id'))
    /** 'department:<id>' or 'territory:<id>': one row per unit and task. */
    .addColumn('unit_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('key_task_units_pk', ['task_id', 'unit_key'])
    .addCheckConstraint('key_task_units_one_kind', sql`(department_id is null) <> (territory_node_id is null)`)
    .execute();
  await db.schema.createIndex('key_task_units_department').on('key_task_units').columns(['department_id']).execute();
  await db.schema.createIndex('key_task_units_territory').on('key_task_units').columns(['territory_node_id']).execute();

  await db.schema.createTable('key_task_milestones')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('task_id', t.bigint, (c) => c.notNull().references('key_tasks.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('deliverable', 'text', (c) => c.notNull())
    .addColumn('granularity', 'text', (c) => c.notNull().check(sqlIn('granularity', ['day', 'week'])))
    /** The date it is due (a week milestone: its Sunday). */
    .addColumn('due_date', 'text', (c) => c.notNull())
    /** The instant its due day ends in Beijing, so that the overdue job's query is one range on an index. */
    .addColumn('due_end_at', t.bigint, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['open', 'submitted', 'accepted'])))
    .addColumn('percent', 'integer', (c) => c.notNull().defaultTo(0).check(sqlRange('percent', 0, 100)))
    .addColumn('submitted_at', t.bigint)
    .addColumn('accepted_at', t.bigint)
    .addColumn('accepted_by', t.bigint, (c) => c.references('users.id'))
    /** Set once by the overdue job (key_task_overdue). */
    .addColumn('overdue_at', t.bigint)
    .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('created_by', t.bigint, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('key_task_milestones_task').on('key_task_milestones').columns(['task_id', 'due_date']).execute();
  await db.schema.createIndex('key_task_milestones_due').on('key_task_milestones').columns(['due_end_at']).execute();

  await db.schema.createTable('key_task_reports')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('task_id', t.bigint, (c) => c.notNull().references('key_tasks.id'))
    .addColumn('milestone_id', t.bigint, (c) => c.notNull().references('key_task_milestones.id'))
    .addColumn('unit_key', 'text', (c) => c.notNull())
    .addColumn('percent', 'integer', (c) => c.notNull().check(sqlRange('percent', 0, 100)))
    .addColumn('text', 'text', (c) => c.notNull())
    /** 1: the report submits the milestone for review (提请验收). */
    .addColumn('submits', 'integer', (c) => c.notNull())
    .addColumn('reported_at', t.bigint, (c) => c.notNull())
    .addColumn('reported_by', t.bigint, (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('key_task_reports_milestone').on('key_task_reports').columns(['milestone_id', 'id']).execute();
  await db.schema.createIndex('key_task_reports_task').on('key_task_reports').columns(['task_id', 'id']).execute();

  await db.schema.createTable('key_task_report_attachments')
    .addColumn('attachment_id', t.bigint, (c) => c.primaryKey().references('attachments.id'))
    .addColumn('report_id', t.bigint, (c) => c.notNull().references('key_task_reports.id'))
    .execute();
  await db.schema.createIndex('key_task_report_attachments_report').on('key_task_report_attachments').columns(['report_id']).execute();

  await db.schema.createTable('key_task_reviews')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('milestone_id', t.bigint, (c) => c.notNull().references('key_task_milestones.id'))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sqlIn('outcome', ['accepted', 'returned'])))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', t.bigint, (c) => c.notNull())
    .addColumn('reviewed_by', t.bigint, (c) => c.references('users.id'))
    .addColumn('reviewer_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('key_task_reviews_milestone').on('key_task_reviews').columns(['milestone_id', 'id']).execute();
  await db.schema.createIndex('key_task_reviews_at').on('key_task_reviews').columns(['reviewed_at']).execute();

  await db.schema.createTable('key_task_alerts')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('milestone_id', t.bigint, (c) => c.notNull().references('key_task_milestones.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['overdue'])))
    .addColumn('raised_at', t.bigint, (c) => c.notNull())
    .execute();
  // Once per milestone and kind, whatever runs the job and however often.
  await db.schema.createIndex('key_task_alerts_once').on('key_task_alerts').columns(['milestone_id', 'kind']).unique().execute();
  await db.schema.createIndex('key_task_alerts_raised').on('key_task_alerts').columns(['raised_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) await db.schema.dropTable(table).execute();
}
