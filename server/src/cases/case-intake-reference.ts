// What intake reads besides the report: the active catalog's classes, the inventoried components, the
// 立结案标准 rows and the departments their rules can name. The catalog, standards and departments are
// kept per reference generation (reference-cache.ts), the components read per batch; the choice itself is
// the pure one of case-standard-lookup.ts (chooseStandard).
import type { Executor } from '../db/database.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import type { ReferenceSnapshot } from '../db/reference-cache.ts';
import type { GridAssignment } from '../territory/territory-locator.ts';
import { chooseStandard, type DepartmentDirectory, type StandardCandidate, type StandardSuggestion } from './case-standard-lookup.ts';

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

/** The whole active catalog's classes and 立结案标准, the active departments and the districts' codes. */
interface IntakeBase {
  classByCode: Map<string, IntakeClass>;
  candidatesOf: Map<number, StandardCandidate[]>;
  directory: DepartmentDirectory;
}

async function loadIntakeBase(db: Executor): Promise<IntakeBase> {
  const versionId = await activeCatalogVersionId(db);
  const classes = await db.selectFrom('catalog_classes').select(['id', 'code', 'kind', 'active']).where('version_id', '=', versionId).execute();
  const classByCode = new Map<string, IntakeClass>();
  for (const c of classes) if (!classByCode.has(c.code) || c.kind === 'matter') classByCode.set(c.code, c);
  const classIds = new Set(classes.map((c) => c.id));
  const standards = (await db.selectFrom('case_standards').select(['id', 'class_id', 'territory_node_id', 'disposal', 'urgency', 'limit_value', 'limit_unit', 'department_rule'])
    .where('active', '=', 1).execute()).filter((s) => classIds.has(s.class_id));
  const candidatesOf = new Map<number, StandardCandidate[]>();
  for (const s of standards) {
    const list = candidatesOf.get(s.class_id) ?? [];
    list.push(s);
    candidatesOf.set(s.class_id, list);
  }
  const districtCodes = new Map((await db.selectFrom('territory_nodes').select(['id', 'code']).where('level', '=', 'district').execute()).map((n) => [n.id, n.code]));
  const departments = await db.selectFrom('departments').select(['id', 'code', 'kind', 'territory_node_id']).where('active', '=', 1).orderBy('id').execute();
  const departmentByCode = new Map(departments.map((d) => [d.code, d.id]));
  // A street's or district's territorial unit (its 街道办 or 区政府 as a department): the first by id.
  const unitOf = new Map<number, number>();
  for (const d of departments) if (d.kind === 'territorial' && d.territory_node_id !== null && !unitOf.has(d.territory_node_id)) unitOf.set(d.territory_node_id, d.id);
  return {
    classByCode,
    candidatesOf,
    directory: {
      districtCode: (id: number) => districtCodes.get(id) ?? null,
      departmentIdByCode: (code: string) => departmentByCode.get(code) ?? null,
      territorialUnitId: (nodeId: number) => unitOf.get(nodeId) ?? null,
    },
  };
}

/**
 * The reference for a batch: the catalog, standards and departments from the snapshot's memory (loaded again
 * only when the reference generation moves), and the inventoried components the batch names, read now.
 */
export async function loadIntakeReference(db: Executor, snapshot: ReferenceSnapshot, wanted: { componentCodes: string[] }): Promise<IntakeReference> {
  const base = await snapshot.get('intake', () => loadIntakeBase(db));
  const componentCodes = unique(wanted.componentCodes);
  const components = componentCodes.length
    ? await db.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
      .select(['p.code', 'p.id', 'p.maintainer_department_id', 'c.code as class_code']).where('p.code', 'in', componentCodes).execute()
    : [];
  const componentByCode = new Map(components.map((p) => [p.code, p]));
  return {
    classOf: (code) => base.classByCode.get(code),
    componentOf: (code) => componentByCode.get(code),
    suggest: (classId, place, options) => chooseStandard(base.candidatesOf.get(classId) ?? [], place, base.directory, options),
  };
}
