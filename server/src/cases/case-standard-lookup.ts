// What the 立结案标准 suggests for a new case: the row for its class (a territory's own row before the
// city's), the urgency and limit, and the responsible department by the row's rule. The choice is pure
// (chooseStandard); intake feeds it from queries, the history replay from tables it loaded once.
import { parseDepartmentRule, resolveDepartment } from '@cityops/domain/catalog/department-rule';
import { isTimeLimitUnit, type TimeLimit } from '@cityops/domain/calendar/time-limits';
import { ValidationError } from '@cityops/domain/errors';
import type { Executor } from '../db/database.ts';
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

/** The rows that could apply to a class at a place, and the departments their rules could name. */
export async function suggestFromStandards(
  db: Executor,
  classId: number,
  place: GridAssignment,
  options: { standardId?: number | undefined; componentMaintainerId: number | null },
): Promise<StandardSuggestion> {
  const territoryIds = [place.districtId, place.streetId, place.communityId, place.gridId];
  const candidates = await db.selectFrom('case_standards').select(['id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule'])
    .where('class_id', '=', classId).where('active', '=', 1)
    .where((eb) => eb.or([eb('territory_node_id', 'is', null), eb('territory_node_id', 'in', territoryIds)]))
    .execute();
  const codes = new Set<string>();
  const districtCode = (await db.selectFrom('territory_nodes').select('code').where('id', '=', place.districtId).executeTakeFirst())?.code ?? null;
  for (const c of candidates) {
    const rule = parseDepartmentRule(c.department_rule);
    if (!('steps' in rule)) continue;
    for (const s of rule.steps) {
      if (s.type === 'department') codes.add(s.code);
      if (s.type === 'district_department' && districtCode) codes.add(`${districtCode}-${s.suffix}`);
    }
  }
  const departments = codes.size ? await db.selectFrom('departments').select(['id', 'code']).where('code', 'in', [...codes]).where('active', '=', 1).execute() : [];
  const territorial = await db.selectFrom('departments').select(['id', 'territory_node_id']).where('kind', '=', 'territorial').where('active', '=', 1)
    .where('territory_node_id', 'in', [place.streetId, place.districtId]).orderBy('id').execute();
  return chooseStandard(candidates, place, {
    districtCode: (id) => (id === place.districtId ? districtCode : null),
    departmentIdByCode: (code) => departments.find((d) => d.code === code)?.id ?? null,
    territorialUnitId: (nodeId) => territorial.find((d) => d.territory_node_id === nodeId)?.id ?? null,
  }, options);
}
