// Appeals (申诉): a unit's government contests a finding or an entered score of its preliminary result,
// with its reasons and evidence, while the window is open; the office rules each one with its reasons.
// An upheld appeal against a finding voids it (it deducts nothing from the final result); against an
// entered score or adjustment it sets the value the ruling gives. The preliminary result stays as it
// was issued; the final one is computed from the rulings.
import type { Actor } from '@cityops/domain/access/scope';
import { grantsFor, territoryScopeOf } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { APPEAL_OUTCOMES, type AppealOutcome } from '@cityops/domain/evaluation/lifecycle';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { schemeById } from './definitions.service.ts';
import { assertManages, entryIssues, loadRun } from './runs.service.ts';

export interface AppealInput {
  unitCode: string;
  findingId?: number | undefined;
  entryCode?: string | undefined;
  text: string;
  attachmentIds?: number[] | undefined;
}

export async function fileAppeal(db: Kysely<Database>, actor: Actor, runId: number, input: AppealInput, now: number): Promise<number> {
  if (actor.kind !== 'user') throw forbidden('an appeal is filed by a unit\'s account');
  return db.transaction().execute(async (trx) => {
    const run = await loadRun(trx, runId);
    const scheme = await schemeById(trx, run.scheme_id);
    const unit = await trx.selectFrom('territory_nodes').select(['id', 'code', 'path']).where('code', '=', input.unitCode).where('parent_id', '=', scheme.parentNodeId).executeTakeFirst();
    if (!unit) throw new ValidationError([{ field: 'unitCode', message: `${input.unitCode} is not a unit of this evaluation` }]);
    // Only the unit's own government appeals for it.
    if (!grantsFor(actor, 'evaluation.appeal').some((g) => territoryScopeOf(g) === unit.path)) throw forbidden(`you do not act for ${unit.code}`);
    if (run.state !== 'preliminary') throw new HttpError(409, 'invalid_state', `appeals are filed against a preliminary result; this one is ${run.state}`);
    if (run.appeal_deadline !== null && now >= Number(run.appeal_deadline)) throw new HttpError(409, 'appeal_window_closed', `the appeal window closed at ${new Date(Number(run.appeal_deadline)).toISOString()}`);
    const issues: FieldIssue[] = [];
    if (!input.text?.trim()) issues.push({ field: 'text', message: 'state the grounds of the appeal' });
    if ((input.findingId === undefined) === (input.entryCode === undefined)) issues.push({ field: 'findingId', message: 'name either the finding or the entered score (entryCode) appealed against' });
    if (input.findingId !== undefined) {
      const finding = await trx.selectFrom('inspection_findings as f').innerJoin('inspection_rounds as r', 'r.id', 'f.round_id').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
        .select(['f.id', 'f.unit_node_id', 'f.voided_by_appeal_id']).where('f.id', '=', input.findingId).where('s.code', '=', run.scheme_code).where('r.period_code', '=', run.period_code).executeTakeFirst();
      if (!finding || finding.unit_node_id !== unit.id) issues.push({ field: 'findingId', message: `no finding ${input.findingId} of ${unit.code} in this month's rounds` });
      else if (finding.voided_by_appeal_id !== null) issues.push({ field: 'findingId', message: `finding ${input.findingId} was voided already` });
    }
    if (input.entryCode !== undefined && entryIssues(scheme.definition, input.entryCode, 0).some((i) => i.field === 'code')) {
      issues.push({ field: 'entryCode', message: `no entered score or bonus/penalty item ${input.entryCode} in the scheme` });
    }
    const evidence = [...new Set(input.attachmentIds ?? [])];
    if (evidence.length) {
      const mine = await trx.selectFrom('attachments').select('id').where('id', 'in', evidence).where('uploaded_by_kind', '=', 'user').where('uploaded_by_id', '=', actor.id!).execute();
      const found = new Set(mine.map((m) => Number(m.id)));
      evidence.forEach((id, i) => { if (!found.has(id)) issues.push({ field: `attachmentIds[${i}]`, message: `no attachment ${id} uploaded by you` }); });
    }
    if (issues.length) throw new ValidationError(issues);
    const appeal = await trx.insertInto('evaluation_appeals').values({
      run_id: runId, unit_node_id: unit.id, finding_id: input.findingId ?? null, entry_code: input.entryCode ?? null, text: input.text.trim(),
      attachment_ids: JSON.stringify(evidence), filed_at: now, filed_by: actor.id!, outcome: null, ruling: null, new_value: null, ruled_at: null, ruled_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    if (evidence.length) await trx.updateTable('attachments').set({ appeal_id: appeal.id }).where('id', 'in', evidence).execute();
    await recordAudit(trx, actor, 'evaluation_appeal.file', { type: 'evaluation_appeal', ref: appeal.id }, { run: runId, unit: unit.code, findingId: input.findingId, entryCode: input.entryCode }, now);
    return appeal.id;
  });
}

export async function ruleAppeal(db: Kysely<Database>, actor: Actor, appealId: number, input: { outcome: string; ruling: string; newValue?: number | undefined }, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const appeal = await trx.selectFrom('evaluation_appeals').selectAll().where('id', '=', appealId).executeTakeFirst();
    if (!appeal) throw notFound(`appeal ${appealId}`);
    const run = await loadRun(trx, appeal.run_id);
    const scheme = await schemeById(trx, run.scheme_id);
    const parent = await trx.selectFrom('territory_nodes').select('path').where('id', '=', scheme.parentNodeId).executeTakeFirstOrThrow();
    assertManages(actor, parent.path);
    if (run.state !== 'preliminary') throw new HttpError(409, 'invalid_state', `appeals are ruled before the result is final; it is ${run.state}`);
    if (appeal.outcome !== null) throw new HttpError(409, 'appeal_ruled', `appeal ${appealId} was ruled already (${appeal.outcome})`);
    const issues: FieldIssue[] = [];
    if (!Object.hasOwn(APPEAL_OUTCOMES, input.outcome)) issues.push({ field: 'outcome', message: `must be one of ${Object.keys(APPEAL_OUTCOMES).join(', ')}` });
    if (!input.ruling?.trim()) issues.push({ field: 'ruling', message: 'give the reasons of the ruling' });
    const upheldEntry = input.outcome === 'upheld' && appeal.entry_code !== null;
    if (upheldEntry) {
      if (input.newValue === undefined) issues.push({ field: 'newValue', message: `an upheld appeal against ${appeal.entry_code} sets its value: give it` });
      else issues.push(...entryIssues(scheme.definition, appeal.entry_code!, input.newValue).map((i) => ({ ...i, field: i.field === 'value' ? 'newValue' : i.field })));
    } else if (input.newValue !== undefined) issues.push({ field: 'newValue', message: 'only an upheld appeal against an entered score or adjustment sets a value' });
    if (issues.length) throw new ValidationError(issues);
    const outcome = input.outcome as AppealOutcome;
    const ruled = await trx.updateTable('evaluation_appeals').set({ outcome, ruling: input.ruling.trim(), new_value: upheldEntry ? input.newValue! : null, ruled_at: now, ruled_by: actor.kind === 'user' ? actor.id : null })
      .where('id', '=', appealId).where('outcome', 'is', null).executeTakeFirst();
    if (Number(ruled.numUpdatedRows) !== 1) throw new HttpError(409, 'appeal_ruled', `appeal ${appealId} was ruled at the same time by someone else`);
    if (outcome === 'upheld' && appeal.finding_id !== null) await trx.updateTable('inspection_findings').set({ voided_by_appeal_id: appealId }).where('id', '=', appeal.finding_id).execute();
    if (upheldEntry) {
      const reason = `申诉 ${appealId} 成立:${input.ruling.trim()}`;
      const by = actor.kind === 'user' ? actor.id : null;
      await trx.insertInto('evaluation_entries').values({ run_id: run.id, unit_node_id: appeal.unit_node_id, code: appeal.entry_code!, value: input.newValue!, reason, entered_at: now, entered_by: by })
        .onConflict((oc) => oc.columns(['run_id', 'unit_node_id', 'code']).doUpdateSet({ value: input.newValue!, reason, entered_at: now, entered_by: by })).execute();
    }
    await recordAudit(trx, actor, 'evaluation_appeal.rule', { type: 'evaluation_appeal', ref: appealId }, { outcome, ruling: input.ruling.trim(), newValue: input.newValue }, now);
  });
}
