// Switching the catalog in use (启用新版目录). Intake looks up a case's 立结案标准 and its component by the
// classes of the active version, so activating a version alone would leave every class without its
// standard and every inventoried component on a retired class. The switch therefore carries them over in
// the same transaction: each active standard is copied to the new version's class of the same code (unless
// that class has its own already), and each component is moved to it. What has no counterpart in the new
// version is reported, class by class, and stays on the retired class, where it no longer applies.
import type { Actor } from '@cityops/domain/access/scope';
import { sql, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Database } from '../db/schema.ts';

export interface ActivationReport {
  version: string;
  standardsCarried: number;
  componentsMoved: number;
  /** Codes of the old version with standards or components but no class in the new one. */
  leftBehind: string[];
}

export async function activateCatalogVersion(trx: Transaction<Database>, actor: Actor, versionId: number, now: number): Promise<ActivationReport> {
  const target = await trx.selectFrom('catalog_versions').select(['id', 'code', 'status']).where('id', '=', versionId).executeTakeFirstOrThrow();
  const previous = await trx.selectFrom('catalog_versions').select('id').where('status', '=', 'active').executeTakeFirst();
  if (target.status === 'active') return { version: target.code, standardsCarried: 0, componentsMoved: 0, leftBehind: [] };
  const newClasses = new Map((await trx.selectFrom('catalog_classes').select(['id', 'code', 'kind']).where('version_id', '=', versionId).execute()).map((c) => [`${c.kind}:${c.code}`, Number(c.id)]));
  let standardsCarried = 0;
  let componentsMoved = 0;
  const leftBehind = new Set<string>();
  if (previous) {
    const standards = await trx.selectFrom('case_standards as s').innerJoin('catalog_classes as c', 'c.id', 's.class_id')
      .select(['s.territory_node_id', 's.disposal', 's.registration_condition', 's.closing_condition', 's.department_rule', 's.urgency', 's.limit_value', 's.limit_unit', 's.active', 'c.code', 'c.kind'])
      .where('c.version_id', '=', previous.id).where('s.active', '=', 1).execute();
    const own = new Set((await trx.selectFrom('case_standards as s').innerJoin('catalog_classes as c', 'c.id', 's.class_id')
      .select(['s.class_id', 's.territory_node_id', 's.disposal']).where('c.version_id', '=', versionId).execute())
      .map((s) => `${s.class_id}|${s.territory_node_id ?? 0}|${s.disposal}`));
    for (const s of standards) {
      const classId = newClasses.get(`${s.kind}:${s.code}`);
      if (classId === undefined) { leftBehind.add(s.code); continue; }
      if (own.has(`${classId}|${s.territory_node_id ?? 0}|${s.disposal}`)) continue;
      const { code: _code, kind: _kind, ...row } = s;
      await trx.insertInto('case_standards').values({ ...row, class_id: classId, updated_at: now, updated_by: actor.kind === 'user' ? actor.id : null }).execute();
      standardsCarried++;
    }
    // Components in one statement (a city inventories hundreds of thousands): each to the new class of its code.
    const counterpart = sql`(select n.id from catalog_classes n, catalog_classes o where o.id = components.class_id and n.version_id = ${versionId} and n.code = o.code and n.kind = o.kind)`;
    const moved = await trx.updateTable('components').set({ class_id: sql<number>`${counterpart}` })
      .where('class_id', 'in', (eb) => eb.selectFrom('catalog_classes').select('id').where('version_id', '=', previous.id))
      .where(sql<boolean>`exists ${counterpart}`).executeTakeFirst();
    componentsMoved = Number(moved.numUpdatedRows);
    const stranded = await trx.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
      .select('c.code').distinct().where('c.version_id', '=', previous.id).execute();
    for (const r of stranded) leftBehind.add(r.code);
    await trx.updateTable('catalog_versions').set({ status: 'retired' }).where('id', '=', previous.id).execute();
  }
  await trx.updateTable('catalog_versions').set({ status: 'active', activated_at: now }).where('id', '=', versionId).execute();
  const report = { version: target.code, standardsCarried, componentsMoved, leftBehind: [...leftBehind].sort() };
  await recordAudit(trx, actor, 'catalog.activate', { type: 'catalog_version', ref: target.code }, report, now);
  return report;
}
