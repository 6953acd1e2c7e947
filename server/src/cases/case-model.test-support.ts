// An in-memory case and the workflow's dependencies on the test calendar, for the tests that run the
// transition plan without a database (the sequence property, the path search of the table test).
import { bj, cn2026Definition } from '@cityops/domain/calendar/test-fixtures';
import { compileWorkCalendar } from '@cityops/domain/calendar/work-calendar';
import type { CaseSource } from '@cityops/domain/workflow/case-sources';
import { DEFAULT_WORKFLOW_POLICY } from '@cityops/domain/workflow/decide';
import { DEFAULT_STAGE_LIMITS } from '@cityops/domain/workflow/stage-limits';
import { materializeCaseRow, newCaseRow } from './case-new-row.ts';
import type { CaseRecord, WorkflowDeps } from './case-transition-plan.ts';

export const MODEL_DEPS: WorkflowDeps = { calendar: compileWorkCalendar(cn2026Definition()), stageLimits: { ...DEFAULT_STAGE_LIMITS }, policy: DEFAULT_WORKFLOW_POLICY };

/** A new case of `source` (class 06010, a 4-working-hour limit, department 3) reported at `at`. */
export function modelCase(source: CaseSource, at = bj('2026-03-02 09:00')): CaseRecord {
  return materializeCaseRow(newCaseRow({
    code: '202603020001', source, externalRef: null, cls: { id: 1, code: '06010', kind: 'matter' }, componentId: null,
    suggestion: { standardId: 1, disposal: '处置', urgency: 'normal', limit: { value: 4, unit: 'working_hours' }, departmentId: 3, departmentRule: 'class' },
    description: '暴露垃圾', address: null, lon: 116.4, lat: 39.9,
    place: { gridId: 10, gridCode: 'G10', gridPath: '/1/2/3/10/', communityId: 3, streetId: 2, districtId: 1 },
    reportedAt: at, reportedBy: { kind: 'user', id: 5 }, duplicateFlag: false, now: at,
  }, MODEL_DEPS), 1);
}
