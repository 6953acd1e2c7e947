import type { Generated } from 'kysely';

// Row types of the points ledgers (migration 20261127_020, decision 0018). Instants are epoch ms; points are
// tenths of a point (integers).

export type PointsLedger = 'responsibility' | 'credit';

export interface PointsRuleSetTable {
  id: Generated<number>;
  ledger: PointsLedger;
  version: number;
  name: string;
  /** JSON of the domain's ResponsibilityRules or CreditRules. */
  definition: string;
  reason: string | null;
  created_at: number;
  created_by: number | null;
}

export interface PointsEntryTable {
  id: Generated<number>;
  ledger: PointsLedger;
  year: number;
  subject_kind: 'area' | 'department' | 'territory' | 'credit_subject';
  subject_id: number;
  unit_kind: 'department' | 'territory' | null;
  unit_id: number | null;
  event: string;
  points: number;
  occurred_at: number;
  /** What the entry was derived from ('finding:12', 'case_overdue:7', 'reversal:5'): recorded once. Null for an entered bonus. */
  source_key: string | null;
  /** Shown with the entry: the finding, the case number, the appeal. */
  source_ref: string | null;
  reason: string | null;
  /** JSON array of attachment ids. */
  evidence: string | null;
  reverses_id: number | null;
  rule_version: number;
  recorded_at: number;
  recorded_by: number | null;
  recorded_by_name: string;
}

export interface PointsAlertTable {
  id: Generated<number>;
  ledger: PointsLedger;
  year: number;
  subject_kind: string;
  subject_id: number;
  level: string;
  total: number;
  threshold: number;
  crossed_at: number;
  entry_id: number;
}

export interface PointsYearTable {
  ledger: PointsLedger;
  year: number;
  closed_at: number;
  closed_by: number | null;
  closed_by_name: string;
  rule_version: number;
}

export interface PointsYearTotalTable {
  ledger: PointsLedger;
  year: number;
  subject_kind: string;
  subject_id: number;
  total: number;
  entries: number;
  level: string | null;
}

export interface CreditSubjectTable {
  id: Generated<number>;
  kind: string;
  name: string;
  credit_code: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  area_id: number | null;
  territory_node_id: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  active: Generated<number>;
  created_at: number;
  created_by: number | null;
  updated_at: number;
}

export interface CreditAppealTable {
  id: Generated<number>;
  code: string;
  entry_id: number;
  subject_id: number;
  reason: string;
  filed_at: number;
  state: 'filed' | 'upheld' | 'rejected';
  ruling: string | null;
  ruled_at: number | null;
  ruled_by: number | null;
  reversal_entry_id: number | null;
}

/** How far each ledger's sweep has read the findings, cases and appeals (ms, by their own timestamps). */
export interface PointsSweepMarkTable {
  ledger: PointsLedger;
  swept_to: number;
  updated_at: number;
}

export interface PointsTables {
  points_rule_sets: PointsRuleSetTable;
  points_entries: PointsEntryTable;
  points_alerts: PointsAlertTable;
  points_years: PointsYearTable;
  points_year_totals: PointsYearTotalTable;
  credit_subjects: CreditSubjectTable;
  credit_appeals: CreditAppealTable;
  points_sweep_marks: PointsSweepMarkTable;
}
