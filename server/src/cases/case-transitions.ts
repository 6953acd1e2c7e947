// Applies one workflow action to one case, in one transaction: plan it by the table (pure), check the
// records it refers to, write the new state under an optimistic version check, append the event, claim
// the photos.
import type { Actor } from '@cityops/domain/access/scope';
import type { Role } from '@cityops/domain/access/roles';
import { ValidationError } from '@cityops/domain/errors';
import { CASE_STATES, isCaseState } from '@cityops/domain/workflow/case-states';
import type { ActionInput } from '@cityops/domain/workflow/decide';
import type { Executor } from '../db/database.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { claimAttachments } from '../attachments/attachments.service.ts';
import { canReadCase, coveringRoles } from './case-access.ts';
import { appendCaseEvent } from './case-events.ts';
import { planTransition, type CaseRecord, type WorkflowDeps } from './case-transition-plan.ts';
import type { RoundPlan } from './case-rounds.ts';
import { caseItems, changeItems, mergedRegistrationItems, roundItems, rulingItems, type KeptItem, type RoundFacts } from '../indicators/kept-cell-items.ts';
import { keepItems, registrationsOf } from '../indicators/kept-cells.ts';

export { snapshotOf, type WorkflowDeps } from './case-transition-plan.ts';

export interface ActionRequest extends ActionInput {
  attachmentIds?: number[];
  note?: string | null;
  expectedVersion?: number;
}

export async function loadCaseRow(db: Executor, caseId: number): Promise<CaseRecord | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

/** Checks on other records that the table cannot see: the dispatch target and the merge target. */
async function checkReferences(db: Executor, actor: Actor, row: CaseRecord, action: string, input: ActionRequest): Promise<void> {
  if (action === 'dispatch' && input.departmentId) {
    const dept = await db.selectFrom('departments').select(['id', 'active']).where('id', '=', input.departmentId).executeTakeFirst();
    if (!dept || dept.active !== 1) throw new ValidationError([{ field: 'departmentId', message: `no active department ${input.departmentId}` }]);
  }
  if (action === 'merge' && input.mergeTargetId) {
    if (input.mergeTargetId === row.id) throw new ValidationError([{ field: 'mergeTargetId', message: 'a case cannot be merged into itself' }]);
    const target = await db.selectFrom('cases').select(['id', 'state', 'territory_path', 'department_id']).where('id', '=', input.mergeTargetId).executeTakeFirst();
    if (!target || !canReadCase(actor, { territoryPath: target.territory_path, departmentId: target.department_id })) {
      throw new ValidationError([{ field: 'mergeTargetId', message: `no case ${input.mergeTargetId} in your scope` }]);
    }
    if (!isCaseState(target.state) || CASE_STATES[target.state].terminal) {
      throw new ValidationError([{ field: 'mergeTargetId', message: `case ${input.mergeTargetId} is ${target.state}; merge into an open case` }]);
    }
  }
}

/** Writes the round changes and returns what they add to the kept counts. */
async function writeRound(trx: Executor, caseId: number, round: RoundPlan): Promise<KeptItem[]> {
  const items: KeptItem[] = [];
  if (round.update && Object.keys(round.update.changes).length) {
    const current = trx.selectFrom('handling_rounds').where('case_id', '=', caseId).where('seq', '=', round.update.seq);
    const before = await current.selectAll().executeTakeFirst();
    await trx.updateTable('handling_rounds').set(round.update.changes).where('case_id', '=', caseId).where('seq', '=', round.update.seq).execute();
    if (before) items.push(...changeItems<RoundFacts>(before, { ...before, ...round.update.changes } as RoundFacts, roundItems));
  }
  if (round.open) {
    await trx.insertInto('handling_rounds').values(round.open).execute();
    items.push(...roundItems(round.open as RoundFacts));
  }
  return items;
}

export interface TransitionResult {
  caseId: number;
  action: string;
  fromState: string;
  toState: string;
  role: Role;
  eventSeq: number;
  version: number;
}

export async function applyTransition(
  trx: Executor,
  deps: WorkflowDeps,
  actor: Actor,
  caseId: number,
  action: string,
  input: ActionRequest,
  now: number,
): Promise<TransitionResult> {
  const row = await loadCaseRow(trx, caseId);
  const target = row ? { territoryPath: row.territory_path, departmentId: row.department_id } : null;
  const roles = target && row ? coveringRoles(actor, target) : [];
  if (!row || (!canReadCase(actor, target!) && roles.length === 0)) throw notFound(`case ${caseId}`);
  if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
    throw new HttpError(409, 'stale_version', `case ${row.code} has changed (version ${row.version}, you sent ${input.expectedVersion}); reload it and try again`);
  }
  const attachmentIds = input.attachmentIds ?? [];
  const plan = planTransition(row, roles, action, { ...input, attachmentCount: attachmentIds.length }, now, deps, actor.kind === 'user' ? actor.id : null);
  await checkReferences(trx, actor, row, action, input);

  const updated = await trx.updateTable('cases').set(plan.changes).where('id', '=', caseId).where('version', '=', row.version).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new HttpError(409, 'conflict', `case ${row.code} was changed by someone else at the same time; reload it and try again`);
  }
  const roundChange = await writeRound(trx, caseId, plan.round);
  const event = await appendCaseEvent(trx, { caseId, at: now, actor, ...plan.event });
  const after = { ...row, ...plan.changes } as CaseRecord;
  if (after.closed_at !== row.closed_at) await trx.updateTable('handling_rounds').set({ case_closed_at: after.closed_at }).where('case_id', '=', caseId).execute();
  await keepItems(trx, [
    ...changeItems(row, after, caseItems), ...roundChange,
    ...rulingItems({ action, at: now, departmentId: plan.event.departmentId }, row.grid_id),
    ...(action === 'merge' ? mergedRegistrationItems(after.ended_at ?? now, await registrationsOf(trx, caseId)) : []),
  ]);
  if (attachmentIds.length) await claimAttachments(trx, actor, attachmentIds, caseId, event.id);
  return { caseId, action, fromState: row.state, toState: plan.to, role: plan.role, eventSeq: event.seq, version: row.version + 1 };
}
