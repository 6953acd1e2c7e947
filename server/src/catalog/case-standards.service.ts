import type { Kysely } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { URGENCY_BY_LABEL, type Urgency } from '@cityops/domain/catalog/classes';
import { parseDepartmentRule, formatDepartmentRule } from '@cityops/domain/catalog/department-rule';
import { formatTimeLimit, parseTimeLimitLabel, validateTimeLimit, type TimeLimit, type TimeLimitUnit } from '@cityops/domain/calendar/time-limits';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { conflict, notFound } from '../http/errors.ts';
import { readCsv } from '../imports/csv.ts';
import { activeCatalogVersionId } from './catalog-import.ts';

/** One 立结案标准 row as the API and the CSV speak of it. */
export interface CaseStandardInput {
  classKind: 'component' | 'matter';
  classCode: string;
  territoryCode: string | null;
  disposal: string;
  registrationCondition: string;
  closingCondition: string;
  departmentRule: string;
  urgency: Urgency;
  limit: TimeLimit;
}

export const CASE_STANDARD_COLUMNS = ['class_kind', 'class_code', 'territory_code', 'disposal', 'registration_condition', 'closing_condition', 'department_rule', 'urgency', 'limit'];

function fieldIssues(input: Partial<CaseStandardInput>, row?: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string, message: string) => issues.push(row === undefined ? { field, message } : { field, message, row });
  if (input.classKind !== 'component' && input.classKind !== 'matter') at('class_kind', 'must be component or matter');
  if (!input.classCode || !/^\d{5}$/.test(input.classCode)) at('class_code', 'must be a 5-digit class code');
  if (!input.registrationCondition?.trim()) at('registration_condition', 'is required');
  if (!input.closingCondition?.trim()) at('closing_condition', 'is required');
  if (input.disposal !== undefined && input.disposal.length > 30) at('disposal', 'must have at most 30 characters');
  const rule = parseDepartmentRule(input.departmentRule ?? '');
  if ('error' in rule) at('department_rule', rule.error);
  if (!input.urgency) at('urgency', 'must be 特急, 紧急 or 一般 (extra_urgent, urgent, normal)');
  if (input.limit) for (const e of validateTimeLimit(input.limit, 'limit')) at(e.field, e.message);
  return issues;
}

export function parseCaseStandardsCsv(text: string): (CaseStandardInput & { line: number })[] {
  const rows = readCsv(text, ['class_code', 'registration_condition', 'closing_condition', 'department_rule', 'urgency', 'limit'], ['class_kind', 'territory_code', 'disposal', 'class_name']);
  const issues: FieldIssue[] = [];
  const out: (CaseStandardInput & { line: number })[] = [];
  for (const { line, values: v } of rows) {
    const limit = parseTimeLimitLabel(v.limit ?? '', 'limit');
    const input: Partial<CaseStandardInput> = {
      classKind: (v.class_kind || 'matter') as 'component' | 'matter',
      classCode: v.class_code,
      territoryCode: v.territory_code || null,
      disposal: v.disposal || '处置',
      registrationCondition: v.registration_condition,
      closingCondition: v.closing_condition,
      departmentRule: v.department_rule,
      urgency: URGENCY_BY_LABEL[v.urgency ?? ''],
      ...(limit.ok ? { limit: limit.limit } : {}),
    };
    const rowIssues = fieldIssues(input, line);
    if (!limit.ok) for (const e of limit.errors) rowIssues.push({ row: line, field: e.field, message: e.message });
    issues.push(...rowIssues);
    if (rowIssues.length === 0) out.push({ ...(input as CaseStandardInput), line });
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/** Resolves class and territory codes to ids; problems are reported per row. */
async function resolveRefs(db: Executor, inputs: (CaseStandardInput & { line?: number })[]) {
  const versionId = await activeCatalogVersionId(db);
  const classes = await db.selectFrom('catalog_classes').select(['id', 'kind', 'code']).where('version_id', '=', versionId).execute();
  const classId = new Map(classes.map((c) => [`${c.kind}:${c.code}`, c.id]));
  const territoryCodes = [...new Set(inputs.map((i) => i.territoryCode).filter((c): c is string => !!c))];
  const nodes = territoryCodes.length ? await db.selectFrom('territory_nodes').select(['id', 'code']).where('code', 'in', territoryCodes).execute() : [];
  const nodeId = new Map(nodes.map((n) => [n.code, n.id]));
  const issues: FieldIssue[] = [];
  const resolved = inputs.map((i) => {
    const at = (field: string, message: string) => issues.push(i.line === undefined ? { field, message } : { field, message, row: i.line });
    const cid = classId.get(`${i.classKind}:${i.classCode}`);
    if (cid === undefined) at('class_code', `no ${i.classKind} class ${i.classCode} in the active catalog`);
    const tid = i.territoryCode ? nodeId.get(i.territoryCode) : null;
    if (i.territoryCode && tid === undefined) at('territory_code', `no territory node ${i.territoryCode}`);
    return { input: i, classId: cid ?? 0, territoryId: tid ?? null };
  });
  if (issues.length) throw new ValidationError(issues);
  return resolved;
}

function rowValues(r: { input: CaseStandardInput; classId: number; territoryId: number | null }, actor: Actor, now: number) {
  const rule = parseDepartmentRule(r.input.departmentRule);
  return {
    class_id: r.classId, territory_node_id: r.territoryId, disposal: r.input.disposal,
    registration_condition: r.input.registrationCondition.trim(), closing_condition: r.input.closingCondition.trim(),
    department_rule: 'steps' in rule ? formatDepartmentRule(rule.steps) : r.input.departmentRule,
    urgency: r.input.urgency, limit_value: r.input.limit.value, limit_unit: r.input.limit.unit, active: 1,
    updated_at: now, updated_by: actor.kind === 'user' ? actor.id : null,
  };
}

/** Upserts rows keyed by (class, territory, disposal), all or nothing. */
export async function importCaseStandards(db: Kysely<Database>, actor: Actor, inputs: (CaseStandardInput & { line?: number })[], now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const resolved = await resolveRefs(trx, inputs);
    const existing = await trx.selectFrom('case_standards').select(['id', 'class_id', 'territory_node_id', 'disposal']).execute();
    const idByKey = new Map(existing.map((e) => [`${e.class_id}|${e.territory_node_id ?? 0}|${e.disposal}`, e.id]));
    let created = 0;
    let updated = 0;
    for (const r of resolved) {
      const values = rowValues(r, actor, now);
      const id = idByKey.get(`${r.classId}|${r.territoryId ?? 0}|${r.input.disposal}`);
      if (id !== undefined) {
        await trx.updateTable('case_standards').set(values).where('id', '=', id).execute();
        updated++;
      } else {
        const row = await trx.insertInto('case_standards').values(values).returning('id').executeTakeFirstOrThrow();
        idByKey.set(`${r.classId}|${r.territoryId ?? 0}|${r.input.disposal}`, row.id);
        created++;
      }
    }
    await recordAudit(trx, actor, 'case_standard.import', { type: 'case_standard' }, { created, updated }, now);
    return { created, updated };
  });
}

export async function updateCaseStandard(db: Kysely<Database>, actor: Actor, id: number, patch: Partial<CaseStandardInput>, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const current = await findCaseStandards(trx, { id, limit: 1, offset: 0 });
    const before = current.items[0];
    if (!before) throw notFound(`case standard ${id}`);
    const merged: CaseStandardInput = { ...before, ...patch, limit: patch.limit ?? before.limit } as CaseStandardInput;
    const issues = fieldIssues(merged);
    if (issues.length) throw new ValidationError(issues);
    const [r] = await resolveRefs(trx, [merged]);
    // (class, territory, disposal) is the row's key: another disposal of the same class may not be taken twice.
    if (patch.disposal !== undefined && patch.disposal !== before.disposal) {
      let clash = trx.selectFrom('case_standards').select('id').where('class_id', '=', r!.classId).where('disposal', '=', merged.disposal).where('id', '!=', id);
      clash = r!.territoryId === null ? clash.where('territory_node_id', 'is', null) : clash.where('territory_node_id', '=', r!.territoryId);
      if (await clash.executeTakeFirst()) throw conflict(`${before.classCode} already has a row for disposal ${merged.disposal}`, [{ field: 'disposal', message: 'is taken by another row of this class' }]);
    }
    await trx.updateTable('case_standards').set(rowValues(r!, actor, now)).where('id', '=', id).execute();
    await recordAudit(trx, actor, 'case_standard.update', { type: 'case_standard', ref: id }, { before, patch }, now);
    return (await findCaseStandards(trx, { id, limit: 1, offset: 0 })).items[0]!;
  });
}

export async function findCaseStandards(db: Executor, filter: { id?: number; classCode?: string; limit: number; offset: number }) {
  let query = db.selectFrom('case_standards as s').innerJoin('catalog_classes as c', 'c.id', 's.class_id').leftJoin('territory_nodes as t', 't.id', 's.territory_node_id');
  if (filter.id !== undefined) query = query.where('s.id', '=', filter.id);
  if (filter.classCode) query = query.where('c.code', '=', filter.classCode);
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const rows = await query
    .select(['s.id', 'c.kind', 'c.code', 'c.name', 't.code as territory_code', 's.disposal', 's.registration_condition', 's.closing_condition', 's.department_rule', 's.urgency', 's.limit_value', 's.limit_unit', 's.updated_at'])
    .orderBy('c.code').orderBy('c.kind').orderBy('s.disposal').limit(filter.limit).offset(filter.offset).execute();
  return {
    total: Number(total),
    items: rows.map((r) => {
      const limit = { value: r.limit_value, unit: r.limit_unit as TimeLimitUnit };
      return {
        id: r.id, classKind: r.kind, classCode: r.code, className: r.name, territoryCode: r.territory_code ?? null, disposal: r.disposal,
        registrationCondition: r.registration_condition, closingCondition: r.closing_condition, departmentRule: r.department_rule,
        urgency: r.urgency, limit, limitLabel: formatTimeLimit(limit, 'zh'), updatedAt: r.updated_at,
      };
    }),
  };
}
