// Intake (信息收集): a report from any source becomes a case, placed in its grid, classed by the
// catalog, given the 立结案标准's urgency, limit and department, flagged if it looks like a duplicate.
// Reports are taken in batches (one report is a batch of one): what they read is loaded once for the
// batch, and what they write goes in one multi-row statement per table, so that a busy intake costs a
// few statements per batch rather than twenty per report (issue 8). A report refused for what it says
// (place, class, rights) is refused alone before anything is written; a failure while writing fails
// the batch, whose caller then takes its reports one at a time (case-intake-batcher.ts).
import { sql } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { ROLE_SCOPE } from '@cityops/domain/access/roles';
import { grantCovers } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { DEFAULT_DUPLICATE_RULE, distanceM } from '@cityops/domain/workflow/duplicates';
import type { Executor } from '../db/database.ts';
import type { ReferenceSnapshot } from '../db/reference-cache.ts';
import { HttpError } from '../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import type { GridAssignment, TerritoryLocator } from '../territory/territory-locator.ts';
import { insertAll, insertRows, rowInsert } from '../db/row-insert.ts';
import { CANDIDATES_PER_REPORT, findDuplicates } from './case-duplicate-search.ts';
import { newCaseRow } from './case-new-row.ts';
import { beijingDay } from './case-codes.ts';
import { loadIntakeReference, type IntakeComponent } from './case-intake-reference.ts';
import type { StandardSuggestion } from './case-standard-lookup.ts';
import type { WorkflowDeps } from './case-transition-plan.ts';
import { applyTransition } from './case-transitions.ts';
import { caseItems, newCaseFacts } from '../indicators/kept-cell-items.ts';
import { KeptTally, tallyInserts } from '../indicators/kept-cells.ts';
import { postStepInsert } from '../indicators/kept-post-steps.ts';

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
  /**
   * The report was made elsewhere and the actor enters it (a 12345 hotline order, a batch import): the case is
   * recorded as reported through that channel (`reported_by_kind`, no id), not by the actor, so it is not in the
   * actor's own reports and the reporter's contact data are not tied to the actor's account. The actor stays the
   * one who took the intake step on the timeline and in the audit.
   */
  enteredFor?: 'import';
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


/** What intake needs besides the transaction: the workflow's rules, the grid locator, the reference data. */
export type IntakeDeps = WorkflowDeps & { locator: TerritoryLocator; reference: ReferenceSnapshot };

export interface IntakeItem {
  actor: Actor;
  input: IntakeInput;
  options?: IntakeOptions;
}

/** Each report's own answer: its case, or the error that refused it (nothing of it was written). */
export type IntakeOutcome = { ok: true; result: IntakeResult } | { ok: false; error: Error };

interface Accepted {
  index: number;
  item: IntakeItem;
  place: GridAssignment;
  cls: { id: number; code: string; kind: string };
  component: { id: number; maintainer_department_id: number | null } | undefined;
  suggestion: StandardSuggestion;
  reportedAt: number;
}

const rowIssue = (options: IntakeOptions | undefined, field: string, message: string): ValidationError =>
  new ValidationError([options?.row === undefined ? { field, message } : { field, message, row: options.row }]);

/** What can refuse a report before anything is written: its fields, its place, the reporter's rights, its class and 立结案标准. */
async function accept(items: IntakeItem[], deps: IntakeDeps, trx: Executor, now: number): Promise<{ accepted: Accepted[]; refused: Map<number, Error> }> {
  const refused = new Map<number, Error>();
  const placed: { index: number; item: IntakeItem; place: GridAssignment }[] = [];
  for (const [index, item] of items.entries()) {
    try {
      validateIntake(item.input, now, item.options?.row);
      const place = await deps.locator.locate(item.input.lon, item.input.lat);
      if (!place) throw rowIssue(item.options, 'location', `(${item.input.lon}, ${item.input.lat}) is outside every grid of the city`);
      checkReporter(item.actor, item.input.source, place.gridPath, item.options ?? {});
      placed.push({ index, item, place });
    } catch (error) {
      refused.set(index, error as Error);
    }
  }
  if (!placed.length) return { accepted: [], refused };
  const reference = await loadIntakeReference(trx, deps.reference, {
    componentCodes: placed.flatMap((p) => (p.item.input.componentCode ? [p.item.input.componentCode] : [])),
  });
  const accepted: Accepted[] = [];
  for (const { index, item, place } of placed) {
    try {
      const { input, options } = item;
      const cls = reference.classOf(input.classCode);
      if (!cls || cls.active !== 1) throw rowIssue(options, 'classCode', `no active class ${input.classCode} in the catalog`);
      let component: IntakeComponent | undefined;
      if (input.componentCode) {
        const found = reference.componentOf(input.componentCode);
        if (!found) throw rowIssue(options, 'componentCode', `no component ${input.componentCode} in the inventory`);
        // A case about a component is classed as the component or as its "<component>异常" matter.
        if (cls.kind === 'component' && found.class_code !== cls.code) throw rowIssue(options, 'componentCode', `component ${input.componentCode} is of class ${found.class_code}, not ${cls.code}`);
        component = found;
      }
      const suggestion = reference.suggest(cls.id, place, { standardId: input.standardId, componentMaintainerId: component?.maintainer_department_id ?? null });
      accepted.push({ index, item, place, cls, component, suggestion, reportedAt: input.reportedAt ?? now });
    } catch (error) {
      refused.set(index, error as Error);
    }
  }
  return { accepted, refused };
}

/** Thrown when a batch taken with assumed reference data finds the reference changed: the batch is taken again. */
export class ReferenceMoved extends Error {
  constructor() { super('the reference data changed while the batch was taken'); }
}

/**
 * Case numbers for the accepted reports, in order: one counter upsert per reporting day (usually one). The same
 * statement returns the reference generation, so that a batch taken with assumed reference data (workflowDeps'
 * assumeLatest) learns before writing any case whether that data was still current.
 */
async function allocateCodes(trx: Executor, accepted: Accepted[], reference: ReferenceSnapshot): Promise<string[]> {
  const byDay = new Map<string, number[]>();
  accepted.forEach((a, i) => {
    const day = beijingDay(a.reportedAt);
    const positions = byDay.get(day);
    if (positions) positions.push(i);
    else byDay.set(day, [i]);
  });
  const codes: string[] = new Array(accepted.length);
  for (const [day, positions] of byDay) {
    const row = await trx.insertInto('case_code_counters').values({ day, last: positions.length })
      .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ last: eb('case_code_counters.last', '+', eb.ref('excluded.last')) })))
      .returning(['last', sql<number>`(select n from reference_generation where id = 1)`.as('generation')]).executeTakeFirstOrThrow();
    if (reference.assumed && Number(row.generation) !== reference.generation) throw new ReferenceMoved();
    const first = Number(row.last) - positions.length + 1;
    positions.forEach((p, k) => { codes[p] = `${day}${String(first + k).padStart(5, '0')}`; });
  }
  return codes;
}

/**
 * Takes a batch of reports in the caller's transaction. Reports refused for what they say come back as
 * errors and leave no trace; the rest become cases. An error while writing is thrown: the transaction
 * must then be rolled back, and the caller may take the reports one at a time to find the culprit.
 */
export async function intakeCases(trx: Executor, deps: IntakeDeps, items: IntakeItem[], now: number, options: IntakeBatchOptions = {}): Promise<IntakeOutcome[]> {
  // A whole 12345 file is one call: its reports are written a chunk at a time, within the databases' limits on
  // bound parameters (SQLite 32,766, PostgreSQL 65,535; a case row has about sixty). A later chunk finds the
  // earlier ones' cases as duplicates through the database, in the same transaction, so only a single chunk
  // may look for them elsewhere.
  const duplicatesFrom = items.length <= REPORTS_PER_CHUNK ? options.duplicatesFrom ?? trx : trx;
  const outcomes: IntakeOutcome[] = [];
  for (let i = 0; i < items.length; i += REPORTS_PER_CHUNK) outcomes.push(...await intakeChunk(trx, deps, items.slice(i, i + REPORTS_PER_CHUNK), now, duplicatesFrom));
  return outcomes;
}

export interface IntakeBatchOptions {
  /**
   * Where earlier cases are looked for as duplicates, when not in the batch's transaction: PostgreSQL's lookup
   * connections (lookupsOf), which plan that search once. It then sees what is committed, as another process's
   * batch would anyway; the batch's own earlier reports are compared in memory.
   */
  duplicatesFrom?: Executor | undefined;
}

/** Reports written by one set of multi-row statements. */
export const REPORTS_PER_CHUNK = 200;

async function intakeChunk(trx: Executor, deps: IntakeDeps, items: IntakeItem[], now: number, duplicatesFrom: Executor): Promise<IntakeOutcome[]> {
  const { accepted, refused } = await accept(items, deps, trx, now);
  const outcomes: IntakeOutcome[] = items.map((_, i) => ({ ok: false, error: refused.get(i) ?? new Error('not taken') }));
  if (!accepted.length) return outcomes;

  // Duplicates: earlier cases in the database, then earlier reports of this batch (the rule is the same).
  const rule = DEFAULT_DUPLICATE_RULE;
  const stored = await findDuplicates(duplicatesFrom, accepted.map((a) => ({ classId: a.cls.id, lon: a.item.input.lon, lat: a.item.input.lat, reportedAt: a.reportedAt })));
  const duplicates = accepted.map((a, i) => {
    const inBatch: { position: number; distanceM: number }[] = [];
    for (let j = 0; j < i && stored[i]!.length + inBatch.length < CANDIDATES_PER_REPORT; j++) {
      const b = accepted[j]!;
      if (b.cls.id !== a.cls.id || Math.abs(b.reportedAt - a.reportedAt) > rule.windowMs) continue;
      const d = Math.round(distanceM(a.item.input.lon, a.item.input.lat, b.item.input.lon, b.item.input.lat) * 10) / 10;
      if (d <= rule.radiusM) inBatch.push({ position: j, distanceM: d });
    }
    return { stored: stored[i]!, inBatch };
  });

  // Numbers last among the reads: the day's counter row stays locked until the commit (PostgreSQL), so the
  // batches of several processes take turns only for the writes.
  const codes = await allocateCodes(trx, accepted, deps.reference);
  const rows = accepted.map((a, i) => newCaseRow({
    code: codes[i]!, source: a.item.input.source, externalRef: a.item.input.externalRef ?? null, cls: a.cls, componentId: a.component?.id ?? null,
    suggestion: a.suggestion, description: a.item.input.description, address: a.item.input.address ?? null, lon: a.item.input.lon, lat: a.item.input.lat,
    place: a.place, reportedAt: a.reportedAt, reportedBy: a.item.options?.enteredFor ? { kind: a.item.options.enteredFor, id: null } : { kind: a.item.actor.kind, id: a.item.actor.id },
    duplicateFlag: duplicates[i]!.stored.length + duplicates[i]!.inBatch.length > 0, now, mediaUrl: a.item.input.mediaUrl ?? null,
  }, deps));
  let inserted: { id: number; code: string }[];
  try {
    inserted = await insertRows<'cases', { id: number; code: string }>(trx, 'cases', rows, { returning: ['id', 'code'] });
  } catch (error) {
    const single = accepted.length === 1 ? accepted[0]!.item.input : null;
    if (single?.externalRef && /unique|duplicate key/i.test((error as Error).message)) {
      throw new HttpError(409, 'duplicate_external_ref', `a case from ${single.source} with reference ${single.externalRef} exists already`, [{ field: 'externalRef', message: 'already imported' }]);
    }
    throw error;
  }
  const idOfCode = new Map(inserted.map((r) => [r.code, r.id]));
  const ids = codes.map((code) => idOfCode.get(code)!);
  const found = accepted.map((_, i) => [
    ...duplicates[i]!.stored,
    ...duplicates[i]!.inBatch.map((d) => ({ caseId: ids[d.position]!, code: codes[d.position]!, distanceM: d.distanceM })),
  ]);

  const reporters = accepted.flatMap((a, i) => {
    const { reporter } = a.item.input;
    const isUser = a.item.actor.kind === 'user' && !a.item.options?.enteredFor;
    if (!(reporter && (reporter.name || reporter.phone || reporter.email)) && !isUser) return [];
    return [{ case_id: ids[i]!, name: reporter?.name?.trim() || null, phone: reporter?.phone?.trim() || null, email: reporter?.email?.trim() || null, user_id: isUser ? a.item.actor.id : null }];
  });
  const candidates = found.flatMap((list, i) => list.map((d) => ({ case_id: ids[i]!, candidate_id: d.caseId, distance_m: d.distanceM })));
  // The first event of each case (seq 1: the case is new, so no racing writer can hold its timeline).
  const events = accepted.map((a, i) => ({
    case_id: ids[i]!, seq: 1, action: 'report', from_state: null, to_state: rows[i]!.state, at: now,
    actor_kind: a.item.actor.kind, actor_id: a.item.actor.id, actor_name: a.item.actor.name, actor_role: null, department_id: null, reason: null, on_time: null,
    data: JSON.stringify({
      source: a.item.input.source, classCode: a.cls.code, suggestedDepartmentId: a.suggestion.departmentId, standardId: a.suggestion.standardId,
      ...(found[i]!.length ? { duplicateCandidates: found[i]!.map((d) => d.code) } : {}),
    }),
  }));
  // Everything else the cases bring, written together (one statement on PostgreSQL): the kept counts, the
  // reporters, the duplicate candidates and the events, whose ids the photos are claimed under.
  const eventIds = await insertAll<{ id: number; case_id: number }>(trx, [
    ...tallyInserts(new KeptTally().add(rows.flatMap((r) => caseItems(newCaseFacts(r))))),
    postStepInsert(accepted.map((a) => ({ at: now, actorKind: a.item.actor.kind, actorId: a.item.actor.id, action: 'report', onTime: null }))),
    rowInsert('case_reporters', reporters),
    rowInsert('case_duplicate_candidates', candidates),
    rowInsert('case_events', events, { returning: ['id', 'case_id'] }),
  ]);
  const eventOf = new Map(eventIds.map((e) => [e.case_id, e.id]));

  for (const [i, a] of accepted.entries()) {
    const { input, actor } = a.item;
    const attachmentIds = input.attachmentIds ?? [];
    // Photos of a self-handled report are the evidence of the fix; they go with that event instead.
    if (attachmentIds.length && !input.selfHandled) await claimAttachments(trx, actor, attachmentIds, ids[i]!, eventOf.get(ids[i]!)!);
    let state: string = rows[i]!.state as string;
    if (input.selfHandled) state = (await applyTransition(trx, deps, actor, ids[i]!, 'self_handle', { attachmentIds }, now)).toState;
    outcomes[a.index] = { ok: true, result: { caseId: ids[i]!, code: codes[i]!, state, duplicateCandidates: found[i]! } };
  }
  return outcomes;
}

/** One report in the caller's transaction: its case, or the error that refused it. */
export async function intakeCase(
  trx: Executor,
  deps: IntakeDeps,
  actor: Actor,
  input: IntakeInput,
  now: number,
  options: IntakeOptions = {},
): Promise<IntakeResult> {
  const [outcome] = await intakeCases(trx, deps, [{ actor, input, options }], now);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.result;
}
