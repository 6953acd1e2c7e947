// The row of a new case, built without I/O from what intake resolved: shared by live intake and the
// history replay, so both start a case with the same clocks and defaults.
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { initialClock } from '@cityops/domain/workflow/handling-clock';
import type { Insertable } from 'kysely';
import type { CaseTable } from '../db/schema-cases.ts';
import type { GridAssignment } from '../territory/territory-locator.ts';
import { handlingColumns, stageColumns } from './case-clock.ts';
import type { StandardSuggestion } from './case-standard-lookup.ts';
import type { CaseRecord, WorkflowDeps } from './case-transition-plan.ts';

export interface NewCaseFacts {
  code: string;
  source: CaseSource;
  externalRef: string | null;
  cls: { id: number; code: string; kind: string };
  componentId: number | null;
  suggestion: StandardSuggestion;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  place: GridAssignment;
  reportedAt: number;
  reportedBy: { kind: string; id: number | null };
  duplicateFlag: boolean;
  /** The photo URL an Open311 client sent. */
  mediaUrl?: string | null;
  /** When the case enters the system: its intake stage clock starts here. */
  now: number;
}

export function newCaseRow(f: NewCaseFacts, deps: WorkflowDeps): Insertable<CaseTable> {
  const state = CASE_SOURCES[f.source].intakeState;
  const handling = handlingColumns(deps.calendar, initialClock(f.suggestion.limit), deps.policy.maxExtensions);
  return {
    code: f.code, source: f.source, external_ref: f.externalRef, state, application: null,
    class_id: f.cls.id, class_code: f.cls.code, class_kind: f.cls.kind, component_id: f.componentId, standard_id: f.suggestion.standardId,
    description: f.description.trim(), address: f.address?.trim() || null, lon: f.lon, lat: f.lat,
    grid_id: f.place.gridId, community_id: f.place.communityId, street_id: f.place.streetId, district_id: f.place.districtId, territory_path: f.place.gridPath,
    urgency: f.suggestion.urgency, limit_value: f.suggestion.limit.value, limit_unit: f.suggestion.limit.unit,
    suggested_department_id: f.suggestion.departmentId, department_id: null,
    reported_at: f.reportedAt, reported_by_kind: f.reportedBy.kind, reported_by_id: f.reportedBy.id,
    ...handling, ...stageColumns(deps.calendar, state, f.now, deps.stageLimits, handling),
    duplicate_flag: f.duplicateFlag ? 1 : 0, created_at: f.now, updated_at: f.now, media_url: f.mediaUrl ?? null,
  };
}

/** The stored record a new row becomes once inserted with `id`: the defaults the database would fill in. */
export function materializeCaseRow(values: Insertable<CaseTable>, id: number): CaseRecord {
  return {
    ...values, id, registered_at: null, first_dispatched_at: null, dispatched_at: null, handled_at: null, closed_at: null, ended_at: null,
    handling_round_extensions: values.handling_round_extensions ?? 0, handling_pauses: values.handling_pauses ?? '[]',
    returns_count: 0, extensions_count: 0, suspensions_count: 0, reworks_count: 0, self_handled: 0, satisfaction: null, merged_into_id: null,
    duplicate_flag: values.duplicate_flag ?? 0, version: 1, handling_round: 0, handling_overdue_at: null, overdue_rounds: 0, rated_at: null, media_url: values.media_url ?? null,
  } as CaseRecord;
}
