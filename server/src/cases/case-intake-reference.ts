// What intake reads besides the report: the active catalog's classes, the inventoried components, the
// 立结案标准 rows of those classes and the departments their rules can name. Loaded once for a whole
// batch of reports (a handful of queries however many reports it holds), then answered from memory by
// the pure choice of case-standard-lookup.ts (chooseStandard).
import { parseDepartmentRule } from '@cityops/domain/catalog/department-rule';
import type { Executor } from '../db/database.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import type { GridAssignment } from '../territory/territory-locator.ts';
import { chooseStandard, type StandardCandidate, type StandardSuggestion } from './case-standard-lookup.ts';

export interface IntakeClass { id: number; code: string; kind: string; active: number }
export interface IntakeComponent { id: number; maintainer_department_id: number | null; class_code: string }

export interface IntakeReference {
  /** The class a report names: the "<component>异常" matter before the component class of the same code. */
  classOf(code: string): IntakeClass | undefined;
  componentOf(code: string): IntakeComponent | undefined;
  /** The 立结案标准 suggestion; throws a ValidationError naming the field when no row applies. */
  suggest(classId: number, place: GridAssignment, options: { standardId?: number | undefined; componentMaintainerId: number | null }): StandardSuggestion;
}

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

export async function loadIntakeReference(
  db: Executor,
  wanted: { classCodes: string[]; componentCodes: string[]; places: GridAssignment[] },
): Promise<IntakeReference> {
  const versionId = await activeCatalogVersionId(db);
  const classCodes = unique(wanted.classCodes);
  const classes = classCodes.length
    ? await db.selectFrom('catalog_classes').select(['id', 'code', 'kind', 'active']).where('version_id', '=', versionId).where('code', 'in', classCodes).execute()
    : [];
  const classByCode = new Map<string, IntakeClass>();
  for (const c of classes) if (!classByCode.has(c.code) || c.kind === 'matter') classByCode.set(c.code, c);

  const componentCodes = unique(wanted.componentCodes);
  const components = componentCodes.length
    ? await db.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
      .select(['p.code', 'p.id', 'p.maintainer_department_id', 'c.code as class_code']).where('p.code', 'in', componentCodes).execute()
    : [];
  const componentByCode = new Map(components.map((p) => [p.code, p]));

  const classIds = unique([...classByCode.values()].map((c) => c.id));
  const standards = classIds.length
    ? await db.selectFrom('case_standards').select(['id', 'class_id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule'])
      .where('class_id', 'in', classIds).where('active', '=', 1).execute()
    : [];
  const candidatesOf = new Map<number, StandardCandidate[]>();
  for (const s of standards) {
    const list = candidatesOf.get(s.class_id) ?? [];
    list.push(s);
    candidatesOf.set(s.class_id, list);
  }

  // The departments the rules can name: by code, by the district's code and a suffix, and the territorial units.
  const districtIds = unique(wanted.places.map((p) => p.districtId));
  const streetIds = unique(wanted.places.map((p) => p.streetId));
  const districtCodes = new Map(districtIds.length
    ? (await db.selectFrom('territory_nodes').select(['id', 'code']).where('id', 'in', districtIds).execute()).map((n) => [n.id, n.code])
    : []);
  const codes = new Set<string>();
  for (const s of standards) {
    const rule = parseDepartmentRule(s.department_rule);
    if (!('steps' in rule)) continue;
    for (const step of rule.steps) {
      if (step.type === 'department') codes.add(step.code);
      if (step.type === 'district_department') for (const code of districtCodes.values()) codes.add(`${code}-${step.suffix}`);
    }
  }
  const departments = codes.size ? await db.selectFrom('departments').select(['id', 'code']).where('code', 'in', [...codes]).where('active', '=', 1).execute() : [];
  const departmentByCode = new Map(departments.map((d) => [d.code, d.id]));
  const units = [...streetIds, ...districtIds];
  const territorial = units.length
    ? await db.selectFrom('departments').select(['id', 'territory_node_id']).where('kind', '=', 'territorial').where('active', '=', 1)
      .where('territory_node_id', 'in', units).orderBy('id').execute()
    : [];
  const unitOf = new Map<number, number>();
  for (const d of territorial) if (d.territory_node_id !== null && !unitOf.has(d.territory_node_id)) unitOf.set(d.territory_node_id, d.id);
  const directory = {
    districtCode: (id: number) => districtCodes.get(id) ?? null,
    departmentIdByCode: (code: string) => departmentByCode.get(code) ?? null,
    territorialUnitId: (nodeId: number) => unitOf.get(nodeId) ?? null,
  };

  return {
    classOf: (code) => classByCode.get(code),
    componentOf: (code) => componentByCode.get(code),
    suggest: (classId, place, options) => chooseStandard(candidatesOf.get(classId) ?? [], place, directory, options),
  };
}
