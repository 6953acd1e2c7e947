import type { Kysely } from 'kysely';
import { activateCatalogVersion } from './catalog-activation.ts';
import type { Actor } from '@cityops/domain/access/scope';
import { classCodeIssues, type ClassKind } from '@cityops/domain/catalog/classes';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/database.ts';
import { recordAudit } from '../audit/audit.ts';
import { readCsv } from '../imports/csv.ts';

export interface CatalogClassRow {
  line: number;
  kind: ClassKind;
  majorCode: string;
  majorName: string;
  code: string;
  name: string;
  origin: 'standard' | 'extension';
  sourceNote: string;
}

/** Columns: kind, major_code, major_name, code, name, source_note; optional origin (standard | extension). */
export function parseCatalogCsv(text: string): CatalogClassRow[] {
  const rows = readCsv(text, ['kind', 'major_code', 'major_name', 'code', 'name'], ['source_note', 'origin']);
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const out: CatalogClassRow[] = [];
  for (const { line, values: v } of rows) {
    const rowIssues = classCodeIssues({ kind: v.kind ?? '', majorCode: v.major_code ?? '', code: v.code ?? '', name: v.name ?? '' }, line);
    if (!v.major_name) rowIssues.push({ row: line, field: 'major_name', message: 'is required' });
    const origin = v.origin === undefined || v.origin === '' ? 'standard' : v.origin;
    if (origin !== 'standard' && origin !== 'extension') rowIssues.push({ row: line, field: 'origin', message: `must be standard or extension, got "${v.origin}"` });
    const key = `${v.kind}:${v.code}`;
    if (seen.has(key)) rowIssues.push({ row: line, field: 'code', message: `${v.kind} ${v.code} already appears on line ${seen.get(key)}` });
    seen.set(key, line);
    issues.push(...rowIssues);
    if (rowIssues.length === 0) {
      out.push({ line, kind: v.kind as ClassKind, majorCode: v.major_code!, majorName: v.major_name!, code: v.code!, name: v.name!.trim(), origin: origin as 'standard' | 'extension', sourceNote: v.source_note ?? '' });
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

export interface CatalogImportOptions {
  versionCode: string;
  versionName: string;
  standard: string;
  /** GB/T 47678.5 has one "<component>异常" matter per component; create them from the component rows. */
  deriveComponentMatters: boolean;
  activate: boolean;
}

/** Adds or updates the classes of one catalog version in a single transaction. */
export async function importCatalog(db: Kysely<Database>, actor: Actor, rows: CatalogClassRow[], options: CatalogImportOptions, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    let version = await trx.selectFrom('catalog_versions').selectAll().where('code', '=', options.versionCode).executeTakeFirst();
    if (!version) {
      version = await trx.insertInto('catalog_versions').values({
        code: options.versionCode, name: options.versionName, standard: options.standard, status: 'draft', created_at: now, activated_at: null,
      }).returningAll().executeTakeFirstOrThrow();
    }
    const all = [...rows.map((r) => ({ ...r, componentCode: null as string | null, origin: r.origin as 'standard' | 'extension' | 'derived' }))];
    if (options.deriveComponentMatters) {
      for (const r of rows.filter((x) => x.kind === 'component')) {
        all.push({ ...r, kind: 'matter', name: `${r.name}异常`, origin: 'derived', componentCode: r.code, sourceNote: `derived: one "<component>异常" matter per component (GB/T 47678.5); ${r.sourceNote}`.trim() });
      }
    }
    const existing = await trx.selectFrom('catalog_classes').select(['id', 'kind', 'code']).where('version_id', '=', version.id).execute();
    const idByKey = new Map(existing.map((e) => [`${e.kind}:${e.code}`, e.id]));
    let created = 0;
    let updated = 0;
    const inserts = [];
    for (const r of all) {
      const values = { major_code: r.majorCode, major_name: r.majorName, name: r.name, origin: r.origin, component_code: r.componentCode, source_note: r.sourceNote, active: 1 };
      const id = idByKey.get(`${r.kind}:${r.code}`);
      if (id !== undefined) {
        await trx.updateTable('catalog_classes').set(values).where('id', '=', id).execute();
        updated++;
      } else {
        inserts.push({ version_id: version.id, kind: r.kind, code: r.code, ...values });
        created++;
      }
    }
    for (let i = 0; i < inserts.length; i += 300) await trx.insertInto('catalog_classes').values(inserts.slice(i, i + 300)).execute();
    await recordAudit(trx, actor, 'catalog.import', { type: 'catalog_version', ref: options.versionCode }, { created, updated }, now);
    // Activation carries the 立结案标准 and the components over to the new classes (catalog-activation.ts).
    const activation = options.activate && version.status !== 'active' ? await activateCatalogVersion(trx, actor, version.id, now) : null;
    return { version: options.versionCode, created, updated, ...(activation ? { activation } : {}) };
  });
}

export async function activeCatalogVersionId(db: Executor): Promise<number> {
  const row = await db.selectFrom('catalog_versions').select('id').where('status', '=', 'active').executeTakeFirst();
  if (!row) throw new ValidationError([{ field: 'catalog', message: 'no active catalog version; import one first (cityops import catalog)' }]);
  return row.id;
}
