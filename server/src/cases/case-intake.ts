// Intake (信息收集): a report from any source becomes a case, placed in its grid, classed by the
// catalog, given the 立结案标准's urgency, limit and department, flagged if it looks like a duplicate.
import type { Actor } from '@cityops/domain/access/scope';
import { ROLE_SCOPE } from '@cityops/domain/access/roles';
import { grantCovers } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { DEFAULT_DUPLICATE_RULE, distanceM, searchBox } from '@cityops/domain/workflow/duplicates';
import type { Executor } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import type { TerritoryLocator } from '../territory/territory-locator.ts';
import { newCaseRow } from './case-new-row.ts';
import { nextCaseCode } from './case-codes.ts';
import { appendCaseEvent } from './case-events.ts';
import { suggestFromStandards } from './case-standard-lookup.ts';
import type { WorkflowDeps } from './case-transition-plan.ts';
import { applyTransition } from './case-transitions.ts';
import { caseItems, newCaseFacts } from '../indicators/kept-cell-items.ts';
import { keepItems } from '../indicators/kept-cells.ts';

export interface IntakeInput {
  source: CaseSource;
  classCode: string;
  description: string;
  lon: number;
  lat: number;
  address?: string | undefined;
  componentCode?: string | undefined;
  standardId?: number | undefined;
  /** When the problem was reported (a 12345 call time); defaults to now, never in the future. */
  reportedAt?: number | undefined;
  /** The source system's own id (12345 work order, Open311 client token): unique per source. */
  externalRef?: string | undefined;
  reporter?: { name?: string | undefined; phone?: string | undefined; email?: string | undefined } | undefined;
  attachmentIds?: number[] | undefined;
  /** A photo the reporting system keeps itself (Open311 media_url). */
  mediaUrl?: string | undefined;
  /** 自处置: the inspector fixed it on the spot; the case closes at once (photos required). */
  selfHandled?: boolean | undefined;
}

export interface IntakeOptions {
  /** Open311 and other trusted channels enter their own source regardless of the actor's roles. */
  trustedSource?: boolean;
  /** Bulk imports report field issues under this row number. */
  row?: number;
}

export interface IntakeResult {
  caseId: number;
  code: string;
  state: string;
  duplicateCandidates: { caseId: number; code: string; distanceM: number }[];
}

const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export function validateIntake(input: IntakeInput, now: number, row: number | undefined): void {
  const issues: FieldIssue[] = [];
  const at = (field: string, message: string) => issues.push(row === undefined ? { field, message } : { field, message, row });
  if (!(input.lon >= -180 && input.lon <= 180)) at('lon', 'must be a longitude from -180 to 180');
  if (!(input.lat >= -90 && input.lat <= 90)) at('lat', 'must be a latitude from -90 to 90');
  if (!input.description.trim()) at('description', 'must not be empty');
  // Open311 allows 4,000 characters (GeoReport v2: description), so every channel does.
  if (input.description.length > 4000) at('description', 'must be at most 4000 characters');
  if (input.reportedAt !== undefined && !(Number.isFinite(input.reportedAt) && input.reportedAt <= now + MAX_FUTURE_SKEW_MS)) at('reportedAt', 'must be a time not in the future');
  if (input.selfHandled && input.source !== 'inspector') at('selfHandled', 'only an inspector report can be self-handled (自处置)');
  if (issues.length) throw new ValidationError(issues);
}

function checkReporter(actor: Actor, source: CaseSource, gridPath: string, options: IntakeOptions): void {
  if (options.trustedSource) return;
  const allowed = CASE_SOURCES[source].reporters as readonly string[];
  const grants = actor.grants.filter((g) => allowed.includes(g.role));
  if (grants.length === 0) throw new HttpError(403, 'forbidden', `your roles may not report cases from source ${source}`);
  // Staff report within their territory; the public reports anywhere in the city.
  const inScope = grants.some((g) => ROLE_SCOPE[g.role] === 'none' || grantCovers(g, { territoryPath: gridPath }));
  if (!inScope) throw new ValidationError([{ field: 'location', message: 'the point lies outside your territory' }]);
}

async function findDuplicates(db: Executor, classId: number, lon: number, lat: number, reportedAt: number) {
  const rule = DEFAULT_DUPLICATE_RULE;
  const box = searchBox(lon, lat, rule.radiusM);
  const rows = await db.selectFrom('cases').select(['id', 'code', 'lon', 'lat'])
    .where('class_id', '=', classId)
    .where('reported_at', '>=', reportedAt - rule.windowMs).where('reported_at', '<=', reportedAt + rule.windowMs)
    .where('lon', '>=', box.minLon).where('lon', '<=', box.maxLon).where('lat', '>=', box.minLat).where('lat', '<=', box.maxLat)
    .where('state', 'not in', ['merged', 'voided', 'not_accepted'])
    .orderBy('id').limit(20).execute();
  return rows.map((r) => ({ caseId: r.id, code: r.code, distanceM: Math.round(distanceM(lon, lat, r.lon, r.lat) * 10) / 10 })).filter((r) => r.distanceM <= rule.radiusM);
}

export async function intakeCase(
  trx: Executor,
  deps: WorkflowDeps & { locator: TerritoryLocator },
  actor: Actor,
  input: IntakeInput,
  now: number,
  options: IntakeOptions = {},
): Promise<IntakeResult> {
  validateIntake(input, now, options.row);
  const issue = (field: string, message: string): ValidationError => new ValidationError([options.row === undefined ? { field, message } : { field, message, row: options.row }]);
  const place = await deps.locator.locate(input.lon, input.lat);
  if (!place) throw issue('location', `(${input.lon}, ${input.lat}) is outside every grid of the city`);
  checkReporter(actor, input.source, place.gridPath, options);

  const versionId = await activeCatalogVersionId(trx);
  // A component's code is also the code of its derived "<component>异常" matter, which holds the 立结案标准 row.
  const classes = await trx.selectFrom('catalog_classes').select(['id', 'code', 'kind', 'active']).where('version_id', '=', versionId).where('code', '=', input.classCode).execute();
  const cls = classes.find((c) => c.kind === 'matter') ?? classes[0];
  if (!cls || cls.active !== 1) throw issue('classCode', `no active class ${input.classCode} in the catalog`);
  let component: { id: number; maintainer_department_id: number | null } | undefined;
  if (input.componentCode) {
    const found = await trx.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
      .select(['p.id', 'p.maintainer_department_id', 'c.code as class_code']).where('p.code', '=', input.componentCode).executeTakeFirst();
    if (!found) throw issue('componentCode', `no component ${input.componentCode} in the inventory`);
    // A case about a component is classed as the component or as its "<component>异常" matter.
    if (cls.kind === 'component' && found.class_code !== cls.code) throw issue('componentCode', `component ${input.componentCode} is of class ${found.class_code}, not ${cls.code}`);
    component = found;
  }
  const suggestion = await suggestFromStandards(trx, cls.id, place, { standardId: input.standardId, componentMaintainerId: component?.maintainer_department_id ?? null });

  const reportedAt = input.reportedAt ?? now;
  const code = await nextCaseCode(trx, reportedAt);
  const duplicates = await findDuplicates(trx, cls.id, input.lon, input.lat, reportedAt);
  const values = newCaseRow({
    code, source: input.source, externalRef: input.externalRef ?? null, cls, componentId: component?.id ?? null, suggestion,
    description: input.description, address: input.address ?? null, lon: input.lon, lat: input.lat, place, reportedAt,
    reportedBy: { kind: actor.kind, id: actor.id }, duplicateFlag: duplicates.length > 0, now, mediaUrl: input.mediaUrl ?? null,
  }, deps);
  const state = values.state;
  let inserted: { id: number };
  try {
    inserted = await trx.insertInto('cases').values(values).returning('id').executeTakeFirstOrThrow();
  } catch (error) {
    if (input.externalRef && /unique|duplicate key/i.test((error as Error).message)) {
      throw new HttpError(409, 'duplicate_external_ref', `a case from ${input.source} with reference ${input.externalRef} exists already`, [{ field: 'externalRef', message: 'already imported' }]);
    }
    throw error;
  }
  const caseId = inserted.id;
  await keepItems(trx, caseItems(newCaseFacts(values)));
  const reporter = input.reporter;
  if (reporter && (reporter.name || reporter.phone || reporter.email) || actor.kind === 'user') {
    await trx.insertInto('case_reporters').values({ case_id: caseId, name: reporter?.name?.trim() || null, phone: reporter?.phone?.trim() || null, email: reporter?.email?.trim() || null, user_id: actor.kind === 'user' ? actor.id : null }).execute();
  }
  if (duplicates.length) {
    await trx.insertInto('case_duplicate_candidates').values(duplicates.map((d) => ({ case_id: caseId, candidate_id: d.caseId, distance_m: d.distanceM }))).execute();
  }
  const event = await appendCaseEvent(trx, {
    caseId, action: 'report', fromState: null, toState: state, at: now, actor, role: null, departmentId: null, reason: null,
    data: { source: input.source, classCode: cls.code, suggestedDepartmentId: suggestion.departmentId, standardId: suggestion.standardId, ...(duplicates.length ? { duplicateCandidates: duplicates.map((d) => d.code) } : {}) },
  });
  const attachmentIds = input.attachmentIds ?? [];
  // Photos of a self-handled report are the evidence of the fix; they go with that event instead.
  if (attachmentIds.length && !input.selfHandled) await claimAttachments(trx, actor, attachmentIds, caseId, event.id);
  let finalState: string = state;
  if (input.selfHandled) {
    finalState = (await applyTransition(trx, deps, actor, caseId, 'self_handle', { attachmentIds }, now)).toState;
  }
  return { caseId, code, state: finalState, duplicateCandidates: duplicates };
}
