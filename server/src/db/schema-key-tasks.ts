import type { Generated } from 'kysely';

// Row types of key-task supervision (migration 20261127_021, decision 0019). Instants are epoch ms; dates
// 'YYYY-MM-DD' (Beijing); flags 0/1.

export interface KeyTaskScoreRuleTable {
  id: Generated<number>;
  code: string;
  version: number;
  name: string;
  /** The rule as JSON (domain KeyTaskScoreRule). */
  definition: string;
  reason: string | null;
  created_at: number;
  created_by: number | null;
}

export interface KeyTaskPlanTable {
  id: Generated<number>;
  code: string;
  name: string;
  year: number;
  owner_node_id: number;
  /** The scoring rule's code; its newest version scores the plan's months. */
  rule_code: string;
  description: string | null;
  created_at: number;
  created_by: number | null;
}

export interface KeyTaskTable {
  id: Generated<number>;
  plan_id: number;
  parent_id: number | null;
  seq: string;
  name: string;
  target: string;
  start_date: string;
  end_date: string;
  created_at: number;
  created_by: number | null;
}

export interface KeyTaskUnitTable {
  task_id: number;
  role: 'lead' | 'cooperating';
  department_id: number | null;
  territory_node_id: number | null;
  unit_key: string;
}

export interface KeyTaskMilestoneTable {
  id: Generated<number>;
  task_id: number;
  name: string;
  deliverable: string;
  granularity: 'day' | 'week';
  due_date: string;
  due_end_at: number;
  state: 'open' | 'submitted' | 'accepted';
  percent: Generated<number>;
  submitted_at: number | null;
  accepted_at: number | null;
  accepted_by: number | null;
  overdue_at: number | null;
  lock_version: Generated<number>;
  created_at: number;
  created_by: number | null;
}

export interface KeyTaskReportTable {
  id: Generated<number>;
  task_id: number;
  milestone_id: number;
  unit_key: string;
  percent: number;
  text: string;
  submits: number;
  reported_at: number;
  reported_by: number;
}

export interface KeyTaskReviewTable {
  id: Generated<number>;
  milestone_id: number;
  outcome: 'accepted' | 'returned';
  reason: string;
  reviewed_at: number;
  reviewed_by: number | null;
  reviewer_name: string;
}

export interface KeyTaskTables {
  key_task_score_rules: KeyTaskScoreRuleTable;
  key_task_plans: KeyTaskPlanTable;
  key_tasks: KeyTaskTable;
  key_task_units: KeyTaskUnitTable;
  key_task_milestones: KeyTaskMilestoneTable;
  key_task_reports: KeyTaskReportTable;
  key_task_report_attachments: { attachment_id: number; report_id: number };
  key_task_reviews: KeyTaskReviewTable;
  key_task_alerts: { id: Generated<number>; milestone_id: number; kind: 'overdue'; raised_at: number };
}
