import type { Generated } from 'kysely';

// Row types of the case record (migration 20261123_002_cases). Instants are epoch ms; flags 0/1.

export interface CaseTable {
  id: Generated<number>;
  code: string;
  source: string;
  external_ref: string | null;
  state: string;
  application: string | null;
  class_id: number;
  class_code: string;
  class_kind: string;
  component_id: number | null;
  standard_id: number | null;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  grid_id: number;
  community_id: number;
  street_id: number;
  district_id: number;
  territory_path: string;
  urgency: string;
  limit_value: number;
  limit_unit: string;
  suggested_department_id: number | null;
  department_id: number | null;
  reported_at: number;
  reported_by_kind: string;
  reported_by_id: number | null;
  registered_at: number | null;
  first_dispatched_at: number | null;
  dispatched_at: number | null;
  handled_at: number | null;
  closed_at: number | null;
  ended_at: number | null;
  stage: string | null;
  stage_started_at: number | null;
  stage_due_at: number | null;
  stage_warn_at: number | null;
  handling_started_at: number | null;
  handling_round_extensions: Generated<number>;
  handling_pauses: Generated<string>;
  handling_limit_value: number | null;
  handling_limit_unit: string | null;
  handling_due_at: number | null;
  handling_warn_at: number | null;
  handling_stopped_at: number | null;
  returns_count: Generated<number>;
  extensions_count: Generated<number>;
  suspensions_count: Generated<number>;
  reworks_count: Generated<number>;
  self_handled: Generated<number>;
  satisfaction: string | null;
  merged_into_id: number | null;
  duplicate_flag: Generated<number>;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
  /** Number of the current handling round (0 before the first dispatch). */
  handling_round: Generated<number>;
  /** When the current round first went past its deadline, as recorded by a later step. */
  handling_overdue_at: number | null;
  /** Rounds of this case that went overdue (超时), as recorded. */
  overdue_rounds: Generated<number>;
  /** When the satisfaction callback (回访) was recorded. */
  rated_at: number | null;
  /** The photo URL an Open311 client sent with the report. */
  media_url: string | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  at: number;
  actor_kind: string;
  actor_id: number | null;
  actor_name: string;
  actor_role: string | null;
  department_id: number | null;
  reason: string | null;
  data: string | null;
  /** For a step that ends a timed stage: 1 if within the stage's (or the handling) deadline, else 0. */
  on_time: number | null;
}

/** One handling round (处置轮次): from a dispatch or a rework to the feedback or the return. */
export interface HandlingRoundTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  kind: 'dispatch' | 'rework';
  department_id: number;
  grid_id: number;
  street_id: number;
  district_id: number;
  source: string;
  started_at: number;
  started_by: number | null;
  due_at: number | null;
  overdue_at: number | null;
  extensions: Generated<number>;
  handled_at: number | null;
  ended_at: number | null;
  end_kind: 'handled' | 'returned' | null;
  reworked_at: number | null;
  /** The case's closing instant (结案), kept on each of its rounds for 超期未结案. */
  case_closed_at: number | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  sha256: string;
  mime_type: string;
  size_bytes: number;
  storage_key: string;
  original_name: string | null;
  uploaded_by_kind: string;
  uploaded_by_id: number | null;
  uploaded_at: number;
  case_id: number | null;
  event_id: number | null;
  /** Evidence filed with an appeal (申诉材料); read by the office that rules on it. */
  appeal_id: number | null;
}

export interface CaseReporterTable {
  case_id: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  user_id: number | null;
}

export interface CaseDuplicateCandidateTable {
  case_id: number;
  candidate_id: number;
  distance_m: number;
}

export interface CaseCodeCounterTable {
  day: string;
  last: number;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status: number;
  response: string;
  created_at: number;
}

export interface StageTimeLimitTable {
  stage: string;
  limit_value: number;
  limit_unit: string;
  updated_at: number;
  updated_by: number | null;
}

export interface Open311UpdateTable {
  id: Generated<number>;
  api_key_id: number;
  client_update_id: string;
  case_id: number;
  status: string;
  description: string;
  updated_at: number;
  received_at: number;
  media_url: string | null;
  contact: string | null;
}

export interface CaseTables {
  open311_updates: Open311UpdateTable;
  rate_limit_windows: { bucket: string; window_start: number; hits: number };
  job_runs: { job: string; slot: number; host: string; started_at: number; finished_at: number | null; result: string | null; error: string | null };
  public_report_keys: { case_id: number; key_hash: string };
  cases: CaseTable;
  case_events: CaseEventTable;
  handling_rounds: HandlingRoundTable;
  attachments: AttachmentTable;
  case_reporters: CaseReporterTable;
  case_duplicate_candidates: CaseDuplicateCandidateTable;
  case_code_counters: CaseCodeCounterTable;
  idempotency_keys: IdempotencyKeyTable;
  stage_time_limits: StageTimeLimitTable;
}
