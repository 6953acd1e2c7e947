// What the 立结案标准 suggests for a new case: the row for its class (a territory's own row before the
// city's), the urgency and limit, and the responsible department by the row's rule.
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

export async function suggestFromStandards(
  db: Executor,
  classId: number,
  place: GridAssignment,
  options: { standardId?: number | undefined; componentMaintainerId: number | null },
): Promise<StandardSuggestion> {
  const territoryIds = [place.districtId, place.streetId, place.communityId, place.gridId];
  const rows = await db.selectFrom('case_standards').select(['id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule'])
    .where('class_id', '=', classId).where('active', '=', 1)
    .where((eb) => eb.or([eb('territory_node_id', 'is', null), eb('territory_node_id', 'in', territoryIds)]))
    .orderBy('id').execute();
  // Most specific territory first (grid … district, then the city-wide row), then the first disposal.
  const specificity = (t: number | null) => (t === null ? 99 : 3 - territoryIds.indexOf(t));
  rows.sort((a, b) => specificity(a.territory_node_id) - specificity(b.territory_node_id) || a.id - b.id);
  const row = options.standardId !== undefined ? rows.find((r) => r.id === options.standardId) : rows[0];
  if (!row) {
    throw new ValidationError([options.standardId !== undefined
      ? { field: 'standardId', message: `立结案标准 row ${options.standardId} does not apply to this class and place` }
      : { field: 'classCode', message: 'this class has no 立结案标准 row (registration conditions and time limit); an administrator adds one first' }]);
  }
  if (!isTimeLimitUnit(row.limit_unit)) throw new RangeError(`立结案标准 row ${row.id} has an unknown unit ${row.limit_unit}`);
  const rule = parseDepartmentRule(row.department_rule);
  let departmentId: number | null = null;
  if ('steps' in rule) {
    const codes = rule.steps.flatMap((s) => (s.type === 'department' ? [s.code] : []));
    const districtCode = (await db.selectFrom('territory_nodes').select('code').where('id', '=', place.districtId).executeTakeFirst())?.code ?? null;
    if (districtCode) for (const s of rule.steps) if (s.type === 'district_department') codes.push(`${districtCode}-${s.suffix}`);
    const departments = codes.length ? await db.selectFrom('departments').select(['id', 'code']).where('code', 'in', codes).where('active', '=', 1).execute() : [];
    const territorial = await db.selectFrom('departments').select(['id', 'territory_node_id']).where('kind', '=', 'territorial').where('active', '=', 1)
      .where('territory_node_id', 'in', [place.streetId, place.districtId]).execute();
    const resolved = resolveDepartment(rule.steps, {
      componentMaintainerId: options.componentMaintainerId,
      departmentIdByCode: (code) => departments.find((d) => d.code === code)?.id ?? null,
      districtCode,
      territorialUnitId: (level) => territorial.find((d) => d.territory_node_id === (level === 'street' ? place.streetId : place.districtId))?.id ?? null,
    });
    departmentId = resolved?.departmentId ?? null;
  }
  return { standardId: row.id, disposal: row.disposal, urgency: row.urgency, limit: { value: row.limit_value, unit: row.limit_unit }, departmentId, departmentRule: row.department_rule };
}
