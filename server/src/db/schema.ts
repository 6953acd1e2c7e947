import type { Generated } from 'kysely';
import type { CaseTables } from './schema-cases.ts';
import type { EvaluationTables } from './schema-evaluation.ts';
import type { IntegrityTables } from './schema-integrity.ts';
import type { PointsTables } from './schema-points.ts';
import type { KeyTaskTables } from './schema-key-tasks.ts';
import type { CellCount, PersonCount } from '../indicators/kept-cell-items.ts';

// Row types of the database, written by hand next to the migrations that create them.
// Instants (`*_at`) are epoch milliseconds; calendar dates are 'YYYY-MM-DD' text; flags are 0/1.

export interface TerritoryNodeTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community' | 'grid';
  kind: string | null;
  parent_id: number | null;
  /** Materialised ancestry '/1/4/20/' so that a subtree is one prefix match. */
  path: string;
  area_class: number;
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_m2: number;
  centroid_lon: number;
  centroid_lat: number;
  created_at: number;
  updated_at: number;
}

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  territory_node_id: number;
  parent_id: number | null;
  phone: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface TerritoryResponsibleUnitTable {
  territory_node_id: number;
  department_id: number;
  duty: string;
}

export interface ResponsibilityAreaTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  territory_node_id: number;
  department_id: number | null;
  responsible_person: string | null;
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  created_at: number;
  updated_at: number;
}

export interface CatalogVersionTable {
  id: Generated<number>;
  code: string;
  name: string;
  standard: string;
  status: 'draft' | 'active' | 'retired';
  created_at: number;
  activated_at: number | null;
}

export interface CatalogClassTable {
  id: Generated<number>;
  version_id: number;
  kind: 'component' | 'matter';
  major_code: string;
  major_name: string;
  code: string;
  name: string;
  origin: 'standard' | 'derived' | 'extension';
  component_code: string | null;
  source_note: string;
  active: number;
}

export interface CaseStandardTable {
  id: Generated<number>;
  class_id: number;
  territory_node_id: number | null;
  disposal: string;
  registration_condition: string;
  closing_condition: string;
  department_rule: string;
  urgency: 'extra_urgent' | 'urgent' | 'normal';
  limit_value: number;
  limit_unit: string;
  active: number;
  updated_at: number;
  updated_by: number | null;
}

export interface ComponentTable {
  id: Generated<number>;
  code: string;
  class_id: number;
  name: string;
  state: 'intact' | 'damaged' | 'lost' | 'abandoned' | 'removed';
  owner_department_id: number | null;
  maintainer_department_id: number | null;
  grid_id: number | null;
  lon: number;
  lat: number;
  initial_date: string;
  changed_date: string | null;
  data_source: string | null;
  note: string | null;
  created_at: number;
  updated_at: number;
}

export interface WorkCalendarTable {
  id: Generated<number>;
  code: string;
  name: string;
  timezone: string;
  timetable: string;
  weekend_days: string;
  is_default: number;
  updated_at: number;
}

export interface CalendarYearTable {
  calendar_id: number;
  year: number;
  status: 'official' | 'provisional';
  source: string;
}

export interface CalendarDayTable {
  calendar_id: number;
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  phone: string | null;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface UserRoleTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  territory_node_id: number | null;
  department_id: number | null;
}

export interface SessionTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  revoked_at: number | null;
}

export interface ApiKeyTable {
  id: Generated<number>;
  key_hash: string;
  key_prefix: string;
  name: string;
  client: string;
  owner_user_id: number | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_kind: 'user' | 'api_key' | 'anonymous' | 'system' | 'cli';
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_ref: string | null;
  detail: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface PerformanceSchemeTable {
  id: Generated<number>;
  subject: string;
  version: number;
  name: string;
  /** The scheme as JSON (domain PerformanceScheme). */
  definition: string;
  reason: string | null;
  created_at: number;
  created_by: number | null;
}

export interface PeriodCellsTable {
  period_code: string;
  from_ms: number;
  to_ms: number;
  /** JSON of the period's cells (server/src/indicators/period-cells-cache.ts). */
  cells: string;
  computed_at: number;
}

export interface KeptPostStepsTable {
  /** Beijing civil day (days since 1970-01-01). */
  day: number;
  actor_id: number;
  action: string;
  n: number;
  on_time: number;
}

/**
 * Counts kept per half-month (domain/src/indicators/periods.ts halfMonthIndex) of the instant that puts
 * them in a period (since_half) and of the instant they happened (half); server/src/indicators/kept-cell-items.ts.
 */
export type KeptCellsTable = {
  since_half: number;
  half: number;
  grid_id: number;
  /** 0 where no department holds the count (intake, registration, a case closed without a dispatch). */
  department_id: number;
} & Record<CellCount, Generated<number>>;

export type KeptPersonCellsTable = {
  since_half: number;
  half: number;
  person_id: number;
} & Record<PersonCount, Generated<number>>;

export interface Database extends CaseTables, EvaluationTables, IntegrityTables, KeyTaskTables, PointsTables {
  kept_cells: KeptCellsTable;
  kept_person_cells: KeptPersonCellsTable;
  /** Reports per grid and half-month, for maps of a period at city zoom (migration 014). */
  kept_grid_reports: { half: number; grid_id: number; reported: Generated<number> };
  /** The same per calendar year (Beijing), for maps of several years (migration 015). */
  kept_grid_year_reports: { year: number; grid_id: number; reported: Generated<number> };
  kept_counts_state: { family: string; version: number };
  kept_post_steps: KeptPostStepsTable;
  period_cells: PeriodCellsTable;
  performance_schemes: PerformanceSchemeTable;
  territory_nodes: TerritoryNodeTable;
  departments: DepartmentTable;
  territory_responsible_units: TerritoryResponsibleUnitTable;
  responsibility_areas: ResponsibilityAreaTable;
  catalog_versions: CatalogVersionTable;
  catalog_classes: CatalogClassTable;
  case_standards: CaseStandardTable;
  components: ComponentTable;
  work_calendars: WorkCalendarTable;
  calendar_years: CalendarYearTable;
  calendar_days: CalendarDayTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
  /** Moves on every change of the reference tables (migration 017, reference-cache.ts). */
  reference_generation: { id: number; n: number };
}
