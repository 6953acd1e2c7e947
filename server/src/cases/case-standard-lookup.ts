// What the 立结案标准 suggests for a new case: the row for its class (a territory's own row before the
// city's), the urgency and limit, and the responsible department by the row's rule. The choice is pure
// (chooseStandard); intake feeds it from what a batch loaded once (case-intake-reference.ts), the history
// replay from tables it loaded once.
import { parseDepartmentRule, resolveDepartment } from '@cityops/domain/catalog/department-rule';
import { isTimeLimitUnit, type TimeLimit } from '@cityops/domain/calendar/time-limits';
import { ValidationError } from '@cityops/domain/errors';
import type { GridAssignment } from '../territory/territory-locator.ts';

export interface StandardSuggestion {
  standardId: number;
  disposal: string;
  urgency: string;
  limit: TimeLimit;
  departmentId: number | null;
  departmentRule: string;
}

export interface StandardCandidate {
  id: number;
  territory_node_id: number | null;
  disposal: string;
  urgency: string;
  limit_value: number;
  limit_unit: string;
  department_rule: string;
}

/** The active departments a rule can name, as the rule's steps need them. */
export interface DepartmentDirectory {
  districtCode: (districtId: number) => string | null;
  departmentIdByCode: (code: string) => number | null;
  /** The active territorial government department of a street or district node. */
  territorialUnitId: (nodeId: number) => number | null;
}

type Place = Pick<GridAssignment, 'gridId' | 'communityId' | 'streetId' | 'districtId'>;

/** Picks the row (most specific territory first, then the first disposal) and resolves its department. */
export function chooseStandard(
  candidates: readonly StandardCandidate[],
  place: Place,
  directory: DepartmentDirectory,
  options: { standardId?: number | undefined; componentMaintainerId: number | null },
): StandardSuggestion {
  const territoryIds = [place.districtId, place.streetId, place.communityId, place.gridId];
  const applicable = candidates.filter((r) => r.territory_node_id === null || territoryIds.includes(r.territory_node_id));
  const specificity = (t: number | null) => (t === null ? 99 : 3 - territoryIds.indexOf(t));
  applicable.sort((a, b) => specificity(a.territory_node_id) - specificity(b.territory_node_id) || a.id - b.id);
  const row = options.standardId !== undefined ? applicable.find((r) => r.id === options.standardId) : applicable[0];
  if (!row) {
    throw new ValidationError([options.standardId !== undefined
      ? { field: 'standardId', message: `立结案标准 row ${options.standardId} does not apply to this class and place` }
      : { field: 'classCode', message: 'this class has no 立结案标准 row (registration conditions and time limit); an administrator adds one first' }]);
  }
  if (!isTimeLimitUnit(row.limit_unit)) throw new RangeError(`立结案标准 row ${row.id} has an unknown unit ${row.limit_unit}`);
  const rule = parseDepartmentRule(row.department_rule);
  let departmentId: number | null = null;
  if ('steps' in rule) {
    const districtCode = directory.districtCode(place.districtId);
    departmentId = resolveDepartment(rule.steps, {
      componentMaintainerId: options.componentMaintainerId,
      departmentIdByCode: directory.departmentIdByCode,
      districtCode,
      territorialUnitId: (level) => directory.territorialUnitId(level === 'street' ? place.streetId : place.districtId),
    })?.departmentId ?? null;
  }
  return { standardId: row.id, disposal: row.disposal, urgency: row.urgency, limit: { value: row.limit_value, unit: row.limit_unit }, departmentId, departmentRule: row.department_rule };
}
