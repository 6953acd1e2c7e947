// Checklist standards and evaluation schemes as versioned rows: every save is a new version with who,
// when and why, validated first (nothing is written on error); an inspection round and an evaluation
// run name the exact version they used. The shipped checklist is version 0 of code `default` until a
// city saves its own.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { DEFAULT_CHECKLIST, validateChecklist, type ChecklistStandard } from '@cityops/domain/evaluation/checklist';
import { validateComprehensiveScheme, type ComprehensiveScheme } from '@cityops/domain/evaluation/scheme';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import { notFound } from '../http/errors.ts';

export const DEFAULT_CHECKLIST_CODE = 'default';
const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface StoredDefinition<T> {
  id: number | null;
  code: string;
  version: number;
  definition: T;
  savedAt: string | null;
  savedBy: number | null;
  reason: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The newest version of a checklist standard, or the shipped default (version 0, not yet stored). */
export async function currentChecklist(db: Executor, code: string): Promise<StoredDefinition<ChecklistStandard> | null> {
  const row = await db.selectFrom('checklist_standards').selectAll().where('code', '=', code).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (row) return { id: row.id, code, version: row.version, definition: JSON.parse(row.definition) as ChecklistStandard, savedAt: iso(row.created_at), savedBy: row.created_by, reason: row.reason };
  return code === DEFAULT_CHECKLIST_CODE ? { id: null, code, version: 0, definition: DEFAULT_CHECKLIST, savedAt: null, savedBy: null, reason: null } : null;
}

/** The stored row of a checklist's newest version, storing the shipped default first when a round needs it. */
export async function checklistRowFor(db: Executor, code: string, now: number): Promise<{ id: number; definition: ChecklistStandard }> {
  const current = await currentChecklist(db, code);
  if (!current) throw new ValidationError([{ field: 'inspection.checklistCode', message: `no checklist standard ${code}` }]);
  if (current.id !== null) return { id: current.id, definition: current.definition };
  await db.insertInto('checklist_standards').values({
    code, version: 1, name: current.definition.name, definition: JSON.stringify(current.definition), reason: '系统预置标准（首次用于暗访时保存）', created_at: now, created_by: null,
  }).onConflict((oc) => oc.columns(['code', 'version']).doNothing()).execute();
  const stored = await currentChecklist(db, code);
  return { id: stored!.id!, definition: stored!.definition };
}

export async function checklistById(db: Executor, id: number): Promise<ChecklistStandard> {
  const row = await db.selectFrom('checklist_standards').select('definition').where('id', '=', id).executeTakeFirstOrThrow();
  return JSON.parse(row.definition) as ChecklistStandard;
}

async function nextVersion(db: Executor, table: 'checklist_standards' | 'evaluation_schemes', code: string): Promise<number> {
  const last = await db.selectFrom(table).select((eb) => eb.fn.max('version').as('v')).where('code', '=', code).executeTakeFirst();
  return Number(last?.v ?? 0) + 1;
}

const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

export async function saveChecklist(db: Kysely<Database>, actor: Actor, code: string, input: unknown, reason: string | null, now: number): Promise<StoredDefinition<ChecklistStandard>> {
  const issues: FieldIssue[] = [];
  if (!CODE.test(code)) issues.push({ field: 'code', message: 'must be 1–40 lower-case letters, digits, - or _' });
  const versionId = await activeCatalogVersionId(db);
  const classes = new Set((await db.selectFrom('catalog_classes').select('code').where('version_id', '=', versionId).execute()).map((c) => c.code));
  issues.push(...validateChecklist(input, classes).map((i) => ({ ...i, field: `standard.${i.field}` })));
  if (issues.length) throw new ValidationError(issues);
  const definition = input as ChecklistStandard;
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx, 'checklist_standards', code);
    const row = await trx.insertInto('checklist_standards').values({ code, version, name: definition.name, definition: JSON.stringify(definition), reason, created_at: now, created_by: actorId(actor) })
      .returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'checklist_standard.save', { type: 'checklist_standard', ref: `${code}@${version}` }, { reason }, now);
    return { id: row.id, code, version, definition, savedAt: iso(now), savedBy: actorId(actor), reason };
  });
}

const storedScheme = (row: { id: number; code: string; version: number; definition: string; created_at: number; created_by: number | null; reason: string | null } | undefined): StoredDefinition<ComprehensiveScheme> | null =>
  row ? { id: row.id, code: row.code, version: row.version, definition: JSON.parse(row.definition) as ComprehensiveScheme, savedAt: iso(row.created_at), savedBy: row.created_by, reason: row.reason } : null;

export async function currentScheme(db: Executor, code: string): Promise<StoredDefinition<ComprehensiveScheme> | null> {
  return storedScheme(await db.selectFrom('evaluation_schemes').selectAll().where('code', '=', code).orderBy('version', 'desc').limit(1).executeTakeFirst());
}

/** The newest version of a scheme for a year (考评方案 are versioned per year): the one a month of that year is evaluated under. */
export async function schemeForYear(db: Executor, code: string, year: number): Promise<StoredDefinition<ComprehensiveScheme> | null> {
  return storedScheme(await db.selectFrom('evaluation_schemes').selectAll().where('code', '=', code).where('year', '=', year).orderBy('version', 'desc').limit(1).executeTakeFirst());
}

/**
 * The scheme version a month (YYYY-MM) is evaluated under, with the issues that stop it: a period that
 * does not parse or is not a month (`notMonthly` says why it must be one), a scheme unknown or without a
 * version for the year. Callers add their own issues and throw them together.
 */
export async function schemeForMonth(db: Executor, code: string, periodText: string, notMonthly: string): Promise<{ scheme: StoredDefinition<ComprehensiveScheme> | null; periodCode: string | null; issues: FieldIssue[] }> {
  const parsed = parsePeriod(periodText);
  if (!parsed.ok) return { scheme: null, periodCode: null, issues: [parsed.issue] };
  const issues: FieldIssue[] = [];
  const year = Number(parsed.period.code.slice(0, 4));
  const scheme = await schemeForYear(db, code, year);
  if (!scheme) issues.push({ field: 'schemeCode', message: (await currentScheme(db, code)) ? `scheme ${code} has no version for ${year}` : `no evaluation scheme ${code}` });
  if (parsed.period.kind !== 'month') issues.push({ field: 'period', message: notMonthly });
  return { scheme, periodCode: parsed.period.code, issues };
}

export async function schemeById(db: Executor, id: number): Promise<{ id: number; code: string; version: number; parentNodeId: number; definition: ComprehensiveScheme }> {
  const row = await db.selectFrom('evaluation_schemes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`evaluation scheme ${id}`);
  return { id: row.id, code: row.code, version: row.version, parentNodeId: row.parent_node_id, definition: JSON.parse(row.definition) as ComprehensiveScheme };
}

export async function listSchemes(db: Executor) {
  const rows = await db.selectFrom('evaluation_schemes as s').innerJoin('territory_nodes as n', 'n.id', 's.parent_node_id')
    .select(['s.id', 's.code', 's.version', 's.name', 's.year', 's.reason', 's.created_at', 's.created_by', 'n.code as parent_code', 'n.name as parent_name', 'n.path as parent_path'])
    .orderBy('s.code').orderBy('s.version', 'desc').execute();
  const names = await saverNames(db, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id, code: r.code, version: r.version, name: r.name, year: r.year, parent: { code: r.parent_code, name: r.parent_name, path: r.parent_path }, reason: r.reason,
    savedAt: iso(r.created_at), savedBy: r.created_by, savedByName: r.created_by === null ? null : names.get(r.created_by) ?? null,
  }));
}

/** Validates a scheme against the territory and the checklist standards, then stores it as the code's next version. */
export async function saveScheme(db: Kysely<Database>, actor: Actor, code: string, input: unknown, reason: string | null, now: number): Promise<StoredDefinition<ComprehensiveScheme>> {
  const issues: FieldIssue[] = [];
  if (!CODE.test(code)) issues.push({ field: 'code', message: 'must be 1–40 lower-case letters, digits, - or _' });
  const parentCode = (input as { parentCode?: unknown } | null)?.parentCode;
  const parent = typeof parentCode === 'string' ? await db.selectFrom('territory_nodes').select(['id', 'code', 'level']).where('code', '=', parentCode).executeTakeFirst() : undefined;
  const children = parent ? await db.selectFrom('territory_nodes').select('code').where('parent_id', '=', parent.id).execute() : [];
  const checklists = new Set([DEFAULT_CHECKLIST_CODE, ...(await db.selectFrom('checklist_standards').select('code').distinct().execute()).map((r) => r.code)]);
  issues.push(...validateComprehensiveScheme(input, {
    nodeCodes: new Set(parent ? [parent.code] : []), childCodes: new Set(children.map((c) => c.code)), checklistCodes: checklists,
  }).map((i) => ({ ...i, field: `scheme.${i.field}` })));
  if (parent && children.length < 2) issues.push({ field: 'scheme.parentCode', message: `${parent.code} has ${children.length} child unit${children.length === 1 ? '' : 's'}: a ranking needs at least two` });
  if (issues.length) throw new ValidationError(issues);
  const definition = input as ComprehensiveScheme;
  return db.transaction().execute(async (trx) => {
    const version = await nextVersion(trx, 'evaluation_schemes', code);
    const row = await trx.insertInto('evaluation_schemes').values({
      code, version, name: definition.name, year: definition.year, parent_node_id: parent!.id, definition: JSON.stringify(definition), reason, created_at: now, created_by: actorId(actor),
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'evaluation_scheme.save', { type: 'evaluation_scheme', ref: `${code}@${version}` }, { reason }, now);
    return { id: row.id, code, version, definition, savedAt: iso(now), savedBy: actorId(actor), reason };
  });
}

/** Who saved a version, by name (null for the shipped default or a command-line save). */
async function saverNames(db: Executor, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** A given version of a checklist standard (version 0 is the shipped default while `default` has none stored). */
export async function checklistVersion(db: Executor, code: string, version: number): Promise<StoredDefinition<ChecklistStandard> | null> {
  const row = await db.selectFrom('checklist_standards').selectAll().where('code', '=', code).where('version', '=', version).executeTakeFirst();
  if (row) return { id: row.id, code, version: row.version, definition: JSON.parse(row.definition) as ChecklistStandard, savedAt: iso(row.created_at), savedBy: row.created_by, reason: row.reason };
  if (version === 0 && code === DEFAULT_CHECKLIST_CODE) {
    const current = await currentChecklist(db, code);
    return current?.id === null ? current : null;
  }
  return null;
}

/** Every version of a checklist standard, newest first, with who saved it and why. */
export async function checklistVersions(db: Executor, code: string) {
  const rows = await db.selectFrom('checklist_standards').select(['id', 'version', 'name', 'definition', 'reason', 'created_at', 'created_by']).where('code', '=', code).orderBy('version', 'desc').execute();
  if (!rows.length) {
    const shipped = await currentChecklist(db, code);
    return shipped ? [{ id: null, version: 0, name: shipped.definition.name, items: shipped.definition.items.length, reason: null, savedAt: null, savedBy: null, savedByName: null }] : null;
  }
  const names = await saverNames(db, rows.map((r) => r.created_by));
  return rows.map((r) => ({
    id: r.id, version: r.version, name: r.name, items: (JSON.parse(r.definition) as ChecklistStandard).items.length, reason: r.reason,
    savedAt: iso(r.created_at), savedBy: r.created_by, savedByName: r.created_by === null ? null : names.get(r.created_by) ?? null,
  }));
}

/** The checklist standards: each code with its newest version (the shipped `default` even before it is stored). */
export async function listChecklists(db: Executor) {
  const rows = await db.selectFrom('checklist_standards').select(['code', 'version', 'name']).orderBy('code').orderBy('version', 'desc').execute();
  const newest = new Map<string, { code: string; version: number; name: string }>();
  for (const r of rows) if (!newest.has(r.code)) newest.set(r.code, { code: r.code, version: r.version, name: r.name });
  if (!newest.has(DEFAULT_CHECKLIST_CODE)) newest.set(DEFAULT_CHECKLIST_CODE, { code: DEFAULT_CHECKLIST_CODE, version: 0, name: DEFAULT_CHECKLIST.name });
  return [...newest.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** A given version of a scheme. */
export async function schemeVersion(db: Executor, code: string, version: number): Promise<StoredDefinition<ComprehensiveScheme> | null> {
  return storedScheme(await db.selectFrom('evaluation_schemes').selectAll().where('code', '=', code).where('version', '=', version).executeTakeFirst());
}
