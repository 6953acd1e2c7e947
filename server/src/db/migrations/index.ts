import type { Migration } from 'kysely/migration';
import * as foundation from './20261122_001_foundation.ts';
import * as cases from './20261123_002_cases.ts';
import * as handlingRounds from './20261127_003_handling_rounds.ts';
import * as performanceSchemes from './20261127_004_performance_schemes.ts';
import * as periodCells from './20261127_005_period_cells.ts';
import * as keptPostSteps from './20261127_006_kept_post_steps.ts';
import * as keptRoundCells from './20261127_007_kept_round_cells.ts';
import * as keptCells from './20261127_008_kept_cells.ts';
import * as comprehensiveEvaluation from './20261127_009_comprehensive_evaluation.ts';
import * as open311 from './20261127_010_open311.ts';
import * as appealEvidence from './20261127_011_appeal_evidence.ts';
import * as jobRuns from './20261127_012_job_runs.ts';
import * as overdueIndex from './20261127_013_overdue_index.ts';
import * as cityScaleReads from './20261127_014_city_scale_reads.ts';
import * as keptGridYears from './20261127_015_kept_grid_years.ts';
import * as heldDueIndex from './20261127_016_held_due_index.ts';
import * as referenceGeneration from './20261127_017_reference_generation.ts';
import * as scopeByTerritoryIds from './20261127_018_scope_by_territory_ids.ts';
import * as integrityLedger from './20261127_019_integrity_ledger.ts';
import * as pointsLedgers from './20261127_020_points_ledgers.ts';
import * as keyTasks from './20261127_021_key_tasks.ts';
import * as pointsSweepMarks from './20261127_022_points_sweep_marks.ts';

// Every migration, in order. Names sort by date so that the applied order is the listed order.
export const migrations: Record<string, Migration> = {
  '20261122_001_foundation': foundation,
  '20261123_002_cases': cases,
  '20261127_003_handling_rounds': handlingRounds,
  '20261127_004_performance_schemes': performanceSchemes,
  '20261127_005_period_cells': periodCells,
  '20261127_006_kept_post_steps': keptPostSteps,
  '20261127_007_kept_round_cells': keptRoundCells,
  '20261127_008_kept_cells': keptCells,
  '20261127_009_comprehensive_evaluation': comprehensiveEvaluation,
  '20261127_010_open311': open311,
  '20261127_011_appeal_evidence': appealEvidence,
  '20261127_012_job_runs': jobRuns,
  '20261127_013_overdue_index': overdueIndex,
  '20261127_014_city_scale_reads': cityScaleReads,
  '20261127_015_kept_grid_years': keptGridYears,
  '20261127_016_held_due_index': heldDueIndex,
  '20261127_017_reference_generation': referenceGeneration,
  '20261127_018_scope_by_territory_ids': scopeByTerritoryIds,
  '20261127_019_integrity_ledger': integrityLedger,
  '20261127_020_points_ledgers': pointsLedgers,
  '20261127_021_key_tasks': keyTasks,
  '20261127_022_points_sweep_marks': pointsSweepMarks,
};
