// Services (GET Service List / Definition): the catalog classes a case can be registered for, that is
// every active class of the active catalog with an active 立结案标准 row. The code is the class code, the
// group its major class, the description its registration condition (立案条件). A matter derived from an
// inventoried component (…异常) takes an optional attribute for the component's 17-digit id.
import type { Executor } from '../db/database.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import type { Value } from './open311-format.ts';

export interface Service {
  code: string;
  name: string;
  group: string;
  description: string;
  componentCode: string | null;
}

export async function listServices(db: Executor): Promise<Service[]> {
  const versionId = await activeCatalogVersionId(db);
  const rows = await db.selectFrom('catalog_classes as c').innerJoin('case_standards as s', 's.class_id', 'c.id')
    .select(['c.code', 'c.name', 'c.major_name', 'c.component_code', 'c.kind', 's.registration_condition', 's.territory_node_id'])
    .where('c.version_id', '=', versionId).where('c.active', '=', 1).where('s.active', '=', 1)
    .orderBy('c.code').orderBy('s.territory_node_id').execute();
  const byCode = new Map<string, Service>();
  for (const r of rows) {
    // A city-wide row (no territory) describes the service; a local row only when there is no other.
    const current = byCode.get(r.code);
    if (current && r.territory_node_id !== null) continue;
    byCode.set(r.code, { code: r.code, name: r.name, group: r.major_name, description: r.registration_condition, componentCode: r.component_code });
  }
  return [...byCode.values()];
}

export function serviceItem(s: Service): Record<string, Value> {
  return {
    service_code: s.code, service_name: s.name, description: s.description, metadata: s.componentCode !== null, type: 'realtime',
    keywords: [s.group, s.name].join(','), group: s.group,
  };
}

export const COMPONENT_ATTRIBUTE = 'component_code';

export function serviceDefinition(s: Service): Record<string, Value> {
  return {
    service_code: s.code,
    attributes: s.componentCode === null ? [] : [{
      variable: true, code: COMPONENT_ATTRIBUTE, datatype: 'string', required: false, order: 1,
      datatype_description: '部件标识码: the 17-digit id on the component\'s plate (6 administrative + 2 major + 3 minor + 6 sequence)',
      description: '部件编号(如可见) / Component id, if visible',
    }],
  };
}
