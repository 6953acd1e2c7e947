import type { Generated } from 'kysely';

// Row types of the comprehensive evaluation (migration 20261127_009). Instants are epoch ms.

export interface VersionedDefinitionTable {
  id: Generated<number>;
  code: string;
  version: number;
  name: string;
  /** JSON of the domain's ChecklistStandard or ComprehensiveScheme. */
  definition: string;
  reason: string | null;
  created_at: number;
  created_by: number | null;
}

export interface EvaluationSchemeTable extends VersionedDefinitionTable {
  year: number;
  parent_node_id: number;
}

export interface InspectionRoundTable {
  id: Generated<number>;
  scheme_id: number;
  checklist_id: number;
  period_code: string;
  seed: number;
  state: 'open' | 'closed';
  created_at: number;
  created_by: number | null;
  closed_at: number | null;
  closed_by: number | null;
}

export interface InspectionPointTable {
  id: Generated<number>;
  round_id: number;
  unit_node_id: number;
  seq: number;
  grid_id: number;
  evaluator_id: number;
}

export interface InspectionFindingTable {
  id: Generated<number>;
  round_id: number;
  point_id: number;
  unit_node_id: number;
  item_code: string;
  occurrences: number;
  lon: number | null;
  lat: number | null;
  found_at: number;
  evaluator_id: number;
  note: string | null;
  attachment_id: number | null;
  case_id: number | null;
  client_ref: string | null;
  /** Set when an appeal against the finding was upheld: it deducts nothing from then on. */
  voided_by_appeal_id: number | null;
  created_at: number;
}

export interface EvaluationRunTable {
  id: Generated<number>;
  scheme_id: number;
  scheme_code: string;
  period_code: string;
  version: number;
  state: 'draft' | 'preliminary' | 'final' | 'published' | 'superseded';
  supersedes_id: number | null;
  reason: string | null;
  appeal_deadline: number | null;
  lock_version: Generated<number>;
  created_at: number;
  created_by: number | null;
  published_at: number | null;
}

export interface EvaluationRunEventTable {
  id: Generated<number>;
  run_id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  at: number;
  actor_id: number | null;
  actor_name: string;
  reason: string | null;
}

export interface EvaluationEntryTable {
  id: Generated<number>;
  run_id: number;
  unit_node_id: number;
  /** A component code (entered score) or an adjustment code (bonus or penalty points). */
  code: string;
  value: number;
  reason: string;
  entered_at: number;
  entered_by: number | null;
}

export interface EvaluationResultTable {
  run_id: number;
  stage: 'preliminary' | 'final';
  unit_node_id: number;
  total: number | null;
  place: number | null;
  rank: number | null;
  tied: number;
  amount_fen: number;
  /** JSON of the domain's UnitScore. */
  breakdown: string;
}

export interface EvaluationAppealTable {
  id: Generated<number>;
  run_id: number;
  unit_node_id: number;
  finding_id: number | null;
  entry_code: string | null;
  text: string;
  /** JSON array of attachment ids (the evidence). */
  attachment_ids: string;
  filed_at: number;
  filed_by: number;
  outcome: 'upheld' | 'rejected' | null;
  ruling: string | null;
  /** For an upheld appeal against an entered score or adjustment: the value it is set to. */
  new_value: number | null;
  ruled_at: number | null;
  ruled_by: number | null;
}

export interface EvaluationTables {
  checklist_standards: VersionedDefinitionTable;
  evaluation_schemes: EvaluationSchemeTable;
  inspection_rounds: InspectionRoundTable;
  inspection_points: InspectionPointTable;
  inspection_findings: InspectionFindingTable;
  evaluation_runs: EvaluationRunTable;
  evaluation_run_events: EvaluationRunEventTable;
  evaluation_entries: EvaluationEntryTable;
  evaluation_results: EvaluationResultTable;
  evaluation_appeals: EvaluationAppealTable;
}
