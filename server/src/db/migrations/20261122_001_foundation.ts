import { sql, type Kysely } from 'kysely';
import { ddlFor } from '../ddl.ts';

// Territory, organisation, catalog, calendar, users and audit: the base every later feature uses.
export async function up(db: Kysely<any>): Promise<void> {
  const t = ddlFor(db);

  await db.schema
    .createTable('territory_nodes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('parent_id', t.bigint, (c) => c.references('territory_nodes.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('area_class', 'integer', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_lon', t.double, (c) => c.notNull())
    .addColumn('min_lat', t.double, (c) => c.notNull())
    .addColumn('max_lon', t.double, (c) => c.notNull())
    .addColumn('max_lat', t.double, (c) => c.notNull())
    .addColumn('area_m2', t.double, (c) => c.notNull())
    .addColumn('centroid_lon', t.double, (c) => c.notNull())
    .addColumn('centroid_lat', t.double, (c) => c.notNull())
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addCheckConstraint('territory_nodes_level', sql`level in ('city','district','street','community','grid')`)
    .addCheckConstraint('territory_nodes_area_class', sql`area_class in (1,2,3)`)
    .execute();
  await db.schema.createIndex('territory_nodes_parent').on('territory_nodes').column('parent_id').execute();
  await db.schema.createIndex('territory_nodes_level').on('territory_nodes').columns(['level', 'code']).execute();
  // Subtree queries are `path LIKE '/1/4/%'`; PostgreSQL needs the pattern operator class for that.
  if (t.postgres) await sql`create index territory_nodes_path on territory_nodes (path text_pattern_ops)`.execute(db);
  else await db.schema.createIndex('territory_nodes_path').on('territory_nodes').column('path').execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('territory_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('parent_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('phone', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addCheckConstraint('departments_kind', sql`kind in ('professional','collaborative','territorial','office','evaluator')`)
    .execute();

  await db.schema
    .createTable('territory_responsible_units')
    .addColumn('territory_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('department_id', t.bigint, (c) => c.notNull().references('departments.id'))
    .addColumn('duty', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('territory_responsible_units_pk', ['territory_node_id', 'department_id', 'duty'])
    .execute();
  await db.schema.createIndex('territory_responsible_units_department').on('territory_responsible_units').column('department_id').execute();

  await db.schema
    .createTable('responsibility_areas')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('territory_node_id', t.bigint, (c) => c.notNull().references('territory_nodes.id'))
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('responsible_person', 'text')
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_lon', t.double, (c) => c.notNull())
    .addColumn('min_lat', t.double, (c) => c.notNull())
    .addColumn('max_lon', t.double, (c) => c.notNull())
    .addColumn('max_lat', t.double, (c) => c.notNull())
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addCheckConstraint('responsibility_areas_kind', sql`kind in ('road_segment','frontage','duty_area','evaluation_grid')`)
    .execute();
  await db.schema.createIndex('responsibility_areas_territory').on('responsibility_areas').column('territory_node_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addColumn('last_login_at', t.bigint)
    .addCheckConstraint('users_status', sql`status in ('active','disabled')`)
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('user_id', t.bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('territory_node_id', t.bigint, (c) => c.references('territory_nodes.id'))
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .execute();
  await db.schema.createIndex('user_roles_user').on('user_roles').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', t.bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('expires_at', t.bigint, (c) => c.notNull())
    .addColumn('last_seen_at', t.bigint, (c) => c.notNull())
    .addColumn('revoked_at', t.bigint)
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', t.bigint, (c) => c.references('users.id'))
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('revoked_at', t.bigint)
    .addColumn('last_used_at', t.bigint)
    .execute();

  await db.schema
    .createTable('catalog_versions')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('standard', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('activated_at', t.bigint)
    .addCheckConstraint('catalog_versions_status', sql`status in ('draft','active','retired')`)
    .execute();

  await db.schema
    .createTable('catalog_classes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('version_id', t.bigint, (c) => c.notNull().references('catalog_versions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('major_code', 'text', (c) => c.notNull())
    .addColumn('major_name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('component_code', 'text')
    .addColumn('source_note', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('catalog_classes_version_kind_code', ['version_id', 'kind', 'code'])
    .addCheckConstraint('catalog_classes_kind', sql`kind in ('component','matter')`)
    .addCheckConstraint('catalog_classes_origin', sql`origin in ('standard','derived','extension')`)
    .execute();

  await db.schema
    .createTable('case_standards')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('class_id', t.bigint, (c) => c.notNull().references('catalog_classes.id'))
    .addColumn('territory_node_id', t.bigint, (c) => c.references('territory_nodes.id'))
    .addColumn('disposal', 'text', (c) => c.notNull())
    .addColumn('registration_condition', 'text', (c) => c.notNull())
    .addColumn('closing_condition', 'text', (c) => c.notNull())
    .addColumn('department_rule', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('limit_value', t.double, (c) => c.notNull())
    .addColumn('limit_unit', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_by', t.bigint, (c) => c.references('users.id'))
    .addCheckConstraint('case_standards_urgency', sql`urgency in ('extra_urgent','urgent','normal')`)
    .addCheckConstraint('case_standards_limit', sql`limit_value > 0`)
    .execute();
  // One row per class, disposal and territory (citywide rows have no territory).
  await sql`create unique index case_standards_unique on case_standards (class_id, coalesce(territory_node_id, 0), disposal)`.execute(db);

  await db.schema
    .createTable('components')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('class_id', t.bigint, (c) => c.notNull().references('catalog_classes.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('maintainer_department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('grid_id', t.bigint, (c) => c.references('territory_nodes.id'))
    .addColumn('lon', t.double, (c) => c.notNull())
    .addColumn('lat', t.double, (c) => c.notNull())
    .addColumn('initial_date', 'text', (c) => c.notNull())
    .addColumn('changed_date', 'text')
    .addColumn('data_source', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .addCheckConstraint('components_state', sql`state in ('intact','damaged','lost','abandoned','removed')`)
    .execute();
  await db.schema.createIndex('components_grid').on('components').column('grid_id').execute();
  await db.schema.createIndex('components_class').on('components').column('class_id').execute();

  await db.schema
    .createTable('work_calendars')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('timetable', 'text', (c) => c.notNull())
    .addColumn('weekend_days', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('calendar_id', t.bigint, (c) => c.notNull().references('work_calendars.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_years_pk', ['calendar_id', 'year'])
    .addCheckConstraint('calendar_years_status', sql`status in ('official','provisional')`)
    .execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('calendar_id', t.bigint, (c) => c.notNull().references('work_calendars.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_days_pk', ['calendar_id', 'date'])
    .addCheckConstraint('calendar_days_kind', sql`kind in ('holiday','workday')`)
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('at', t.bigint, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', t.bigint)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_ref', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_ref']).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.bigint, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'settings', 'audit_log', 'api_keys', 'sessions', 'user_roles', 'components', 'case_standards', 'users',
    'calendar_days', 'calendar_years', 'work_calendars', 'catalog_classes', 'catalog_versions',
    'responsibility_areas', 'territory_responsible_units', 'departments', 'territory_nodes',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
