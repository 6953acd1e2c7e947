// Inspection rounds (第三方暗访): the office opens a round of a scheme for a month, and the 双随机 draw
// (domain/src/evaluation/sampling.ts) picks each unit's points and their evaluators from a seed that is
// recorded, so the draw can be repeated. An evaluator records findings at the points drawn for them,
// with photo, GPS and time as the checklist item requires; each finding opens a rectification case
// (source third_party) through the case workflow, whose handling gives 按时整改率.
import { randomInt } from 'node:crypto';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { parsePeriod } from '@cityops/domain/indicators/periods';
import { drawInspection } from '@cityops/domain/evaluation/sampling';
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { intakeCase, type IntakeDeps } from '../cases/case-intake.ts';
import { checklistById, checklistRowFor, schemeForMonth } from './definitions.service.ts';

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

/** The evaluated units of a scheme (the parent's children) with the grids under each. */
export async function unitsOf(db: Executor, parentNodeId: number) {
  const units = await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'path', 'level']).where('parent_id', '=', parentNodeId).orderBy('code').execute();
  const grids = await db.selectFrom('territory_nodes as g').select(['g.id', 'g.code', 'g.path']).where('g.level', '=', 'grid').execute();
  return units.map((u) => ({ ...u, grids: grids.filter((g) => g.path.startsWith(u.path)).map((g) => ({ id: g.id, code: g.code })) }));
}

export async function openRound(db: Kysely<Database>, actor: Actor, input: { schemeCode: string; period: string; seed?: number | undefined }, now: number) {
  const { scheme, periodCode: month, issues } = await schemeForMonth(db, input.schemeCode, input.period, 'inspection rounds belong to a month (YYYY-MM)');
  if (input.seed !== undefined && !(Number.isSafeInteger(input.seed) && input.seed >= 0)) issues.push({ field: 'seed', message: 'must be a whole number of 0 or more' });
  if (issues.length) throw new ValidationError(issues);
  const s = scheme!;
  const periodCode = month!;
  return db.transaction().execute(async (trx) => {
    const parent = await trx.selectFrom('territory_nodes').select(['id', 'path']).where('code', '=', s.definition.parentCode).executeTakeFirstOrThrow();
    const units = await unitsOf(trx, parent.id);
    // Evaluators: third-party evaluators whose territory covers the evaluated units.
    const evaluators = await trx.selectFrom('user_roles as r').innerJoin('users as u', 'u.id', 'r.user_id').innerJoin('territory_nodes as n', 'n.id', 'r.territory_node_id')
      .select(['u.id', 'n.path']).where('r.role', '=', 'third_party_evaluator').where('u.status', '=', 'active').execute();
    const evaluatorIds = [...new Set(evaluators.filter((e) => parent.path.startsWith(e.path)).map((e) => e.id))];
    if (evaluatorIds.length === 0) throw new ValidationError([{ field: 'evaluators', message: `no active third-party evaluator covers ${s.definition.parentCode}: create their accounts first` }]);
    const checklist = await checklistRowFor(trx, s.definition.inspection.checklistCode, now);
    const seed = input.seed ?? randomInt(0, 2 ** 31 - 1);
    const points = drawInspection(seed, units.map((u) => ({ unitCode: u.code, grids: u.grids })), s.definition.inspection.pointsPerUnit, evaluatorIds);
    const round = await trx.insertInto('inspection_rounds').values({
      scheme_id: s.id!, checklist_id: checklist.id, period_code: periodCode, seed, state: 'open', created_at: now, created_by: userId(actor), closed_at: null, closed_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    const unitIdByCode = new Map(units.map((u) => [u.code, u.id]));
    for (let i = 0; i < points.length; i += 500) {
      await trx.insertInto('inspection_points').values(points.slice(i, i + 500).map((p) => ({
        round_id: round.id, unit_node_id: unitIdByCode.get(p.unitCode)!, seq: p.seq, grid_id: p.gridId, evaluator_id: p.evaluatorId,
      }))).execute();
    }
    await recordAudit(trx, actor, 'inspection_round.open', { type: 'inspection_round', ref: round.id }, { scheme: `${s.code}@${s.version}`, period: periodCode, seed, points: points.length }, now);
    return roundDetail(trx, round.id);
  });
}

export async function roundDetail(db: Executor, roundId: number) {
  const round = await db.selectFrom('inspection_rounds as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
    .select(['r.id', 'r.period_code', 'r.seed', 'r.state', 'r.created_at', 'r.closed_at', 'r.checklist_id', 's.code as scheme_code', 's.version as scheme_version', 's.name as scheme_name'])
    .where('r.id', '=', roundId).executeTakeFirst();
  if (!round) throw notFound(`inspection round ${roundId}`);
  const points = await db.selectFrom('inspection_points as p').innerJoin('territory_nodes as u', 'u.id', 'p.unit_node_id').innerJoin('territory_nodes as g', 'g.id', 'p.grid_id').innerJoin('users as e', 'e.id', 'p.evaluator_id')
    .select(['p.id', 'p.seq', 'u.code as unit_code', 'u.name as unit_name', 'g.code as grid_code', 'g.centroid_lon', 'g.centroid_lat', 'p.evaluator_id', 'e.display_name as evaluator_name'])
    .where('p.round_id', '=', roundId).orderBy('u.code').orderBy('p.seq').execute();
  const findings = await db.selectFrom('inspection_findings as f').innerJoin('users as e', 'e.id', 'f.evaluator_id').leftJoin('cases as c', 'c.id', 'f.case_id')
    .select(['f.id', 'f.point_id', 'f.item_code', 'f.occurrences', 'f.case_id', 'f.voided_by_appeal_id', 'f.lon', 'f.lat', 'f.found_at', 'f.note', 'f.attachment_id',
      'f.evaluator_id', 'e.display_name as evaluator_name', 'c.code as case_code', 'c.state as case_state'])
    .where('f.round_id', '=', roundId).orderBy('f.found_at').orderBy('f.id').execute();
  const checklist = await checklistById(db, round.checklist_id);
  const itemByCode = new Map(checklist.items.map((i) => [i.code, i]));
  const pointById = new Map(points.map((p) => [p.id, p]));
  return {
    id: round.id, period: round.period_code, seed: Number(round.seed), state: round.state, openedAt: new Date(Number(round.created_at)).toISOString(),
    closedAt: round.closed_at === null ? null : new Date(Number(round.closed_at)).toISOString(),
    scheme: { code: round.scheme_code, version: round.scheme_version, name: round.scheme_name }, checklistId: round.checklist_id,
    points: points.map((p) => ({
      id: p.id, unit: { code: p.unit_code, name: p.unit_name }, seq: p.seq, grid: { code: p.grid_code, lon: p.centroid_lon, lat: p.centroid_lat },
      evaluator: { id: p.evaluator_id, name: p.evaluator_name },
      findings: findings.filter((f) => f.point_id === p.id).map((f) => ({ id: f.id, itemCode: f.item_code, occurrences: f.occurrences, caseId: f.case_id, voided: f.voided_by_appeal_id !== null })),
    })),
    /** The items of the round's checklist version, for naming and filtering the findings. */
    items: checklist.items.map((i) => ({ code: i.code, area: i.area, zh: i.zh, en: i.en, deduction: i.deduction, cap: i.cap })),
    /**
     * Every finding for the office's review (审核): where, when, by whom, the photo, and the rectification
     * case it opened. `deduction` is the item's deduction per occurrence times the occurrences, before the
     * month's normalisation per sampled point and the item's cap (the unit's trace shows those).
     */
    findings: findings.map((f) => {
      const point = pointById.get(f.point_id);
      const item = itemByCode.get(f.item_code);
      return {
        id: f.id, pointId: f.point_id, unit: point ? point.unit_code : null, unitName: point?.unit_name ?? null, seq: point?.seq ?? null, grid: point?.grid_code ?? null,
        itemCode: f.item_code, itemName: item ? { zh: item.zh, en: item.en } : null, occurrences: f.occurrences,
        deduction: item ? Math.round(f.occurrences * item.deduction * 100) / 100 : null,
        evaluator: { id: f.evaluator_id, name: f.evaluator_name }, foundAt: new Date(Number(f.found_at)).toISOString(),
        location: f.lon === null || f.lat === null ? null : { lon: f.lon, lat: f.lat }, note: f.note, photoId: f.attachment_id,
        voidedByAppealId: f.voided_by_appeal_id,
        case: f.case_id === null ? null : { id: f.case_id, code: f.case_code, state: f.case_state, stateName: f.case_state && Object.hasOwn(CASE_STATES, f.case_state) ? { zh: CASE_STATES[f.case_state as CaseState].zh, en: CASE_STATES[f.case_state as CaseState].en } : null },
      };
    }),
  };
}

export interface FindingInput {
  pointId: number;
  itemCode: string;
  occurrences: number;
  lon?: number | undefined;
  lat?: number | undefined;
  foundAt: number;
  note?: string | undefined;
  attachmentId?: number | undefined;
  /** The phone's own id for the finding: a retried upload returns the finding recorded the first time. */
  clientRef?: string | undefined;
}

/**
 * Records a finding at one of the evaluator's points and opens its rectification case, in one
 * transaction: the finding and its case exist together or not at all.
 */
export async function recordFinding(trx: Executor, deps: IntakeDeps, actor: Actor, roundId: number, input: FindingInput, now: number) {
  if (actor.kind !== 'user') throw forbidden('findings are recorded by an evaluator\'s account');
  if (input.clientRef) {
    const existing = await trx.selectFrom('inspection_findings').select('id').where('evaluator_id', '=', actor.id!).where('client_ref', '=', input.clientRef).executeTakeFirst();
    if (existing) return { findingId: existing.id, replayed: true };
  }
  const round = await trx.selectFrom('inspection_rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
  if (!round) throw notFound(`inspection round ${roundId}`);
  if (round.state !== 'open') throw new HttpError(409, 'round_closed', `inspection round ${roundId} is closed`);
  const point = await trx.selectFrom('inspection_points as p').innerJoin('territory_nodes as u', 'u.id', 'p.unit_node_id')
    .select(['p.id', 'p.unit_node_id', 'p.evaluator_id', 'u.path as unit_path', 'u.code as unit_code']).where('p.id', '=', input.pointId).where('p.round_id', '=', roundId).executeTakeFirst();
  const issues: FieldIssue[] = [];
  if (!point) throw new ValidationError([{ field: 'pointId', message: `no point ${input.pointId} in round ${roundId}` }]);
  if (point.evaluator_id !== actor.id) throw forbidden(`point ${input.pointId} was drawn for another evaluator`);
  const checklist = await checklistById(trx, round.checklist_id);
  const item = checklist.items.find((i) => i.code === input.itemCode);
  if (!item) issues.push({ field: 'itemCode', message: `no item ${input.itemCode} in the round's checklist` });
  if (!Number.isInteger(input.occurrences) || input.occurrences < 1 || input.occurrences > 1000) issues.push({ field: 'occurrences', message: 'must be a whole number from 1 to 1000' });
  if (item?.evidence.includes('photo') && input.attachmentId === undefined) issues.push({ field: 'attachmentId', message: `item ${item.code} needs a photo` });
  const hasGps = input.lon !== undefined && input.lat !== undefined;
  if (item?.evidence.includes('gps') && !hasGps) issues.push({ field: 'location', message: `item ${item.code} needs the GPS position` });
  if (input.foundAt > now + 5 * 60_000) issues.push({ field: 'foundAt', message: 'is in the future' });
  const month = parsePeriod(round.period_code);
  if (month.ok && (input.foundAt < month.period.fromMs || input.foundAt >= month.period.toMs)) issues.push({ field: 'foundAt', message: `must fall in the round's month ${round.period_code}` });
  let place = null;
  if (hasGps) {
    place = await deps.locator.locate(input.lon!, input.lat!);
    if (!place || !place.gridPath.startsWith(point.unit_path)) issues.push({ field: 'location', message: `(${input.lon}, ${input.lat}) is not in ${point.unit_code}, the unit of point ${input.pointId}` });
  }
  if (issues.length) throw new ValidationError(issues);
  const finding = await trx.insertInto('inspection_findings').values({
    round_id: roundId, point_id: point.id, unit_node_id: point.unit_node_id, item_code: item!.code, occurrences: input.occurrences,
    lon: input.lon ?? null, lat: input.lat ?? null, found_at: input.foundAt, evaluator_id: actor.id!, note: input.note?.trim() || null,
    attachment_id: input.attachmentId ?? null, case_id: null, client_ref: input.clientRef ?? null, voided_by_appeal_id: null, created_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  let caseId: number | null = null;
  if (item!.classCode && hasGps) {
    const opened = await intakeCase(trx, deps, actor, {
      source: 'third_party', classCode: item!.classCode, lon: input.lon!, lat: input.lat!, reportedAt: Math.min(input.foundAt, now),
      description: `第三方暗访 ${round.period_code}:${item!.zh}${input.occurrences > 1 ? ` ${input.occurrences} 处` : ''}${input.note?.trim() ? `。${input.note.trim()}` : ''}`,
      externalRef: `finding-${finding.id}`, attachmentIds: input.attachmentId !== undefined ? [input.attachmentId] : [],
    }, now);
    caseId = opened.caseId;
    await trx.updateTable('inspection_findings').set({ case_id: caseId }).where('id', '=', finding.id).execute();
  }
  await recordAudit(trx, actor, 'inspection_finding.record', { type: 'inspection_finding', ref: finding.id }, { round: roundId, point: point.id, item: item!.code, occurrences: input.occurrences, caseId }, now);
  return { findingId: finding.id, caseId, replayed: false };
}

export async function closeRound(db: Kysely<Database>, actor: Actor, roundId: number, now: number) {
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('inspection_rounds').set({ state: 'closed', closed_at: now, closed_by: userId(actor) }).where('id', '=', roundId).where('state', '=', 'open').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const exists = await trx.selectFrom('inspection_rounds').select('state').where('id', '=', roundId).executeTakeFirst();
      if (!exists) throw notFound(`inspection round ${roundId}`);
      throw new HttpError(409, 'round_closed', `inspection round ${roundId} is closed already`);
    }
    await recordAudit(trx, actor, 'inspection_round.close', { type: 'inspection_round', ref: roundId }, null, now);
    return roundDetail(trx, roundId);
  });
}

/** The points drawn for an evaluator in open rounds: their worklist. */
export async function myPoints(db: Executor, evaluatorId: number) {
  return db.selectFrom('inspection_points as p').innerJoin('inspection_rounds as r', 'r.id', 'p.round_id').innerJoin('territory_nodes as u', 'u.id', 'p.unit_node_id').innerJoin('territory_nodes as g', 'g.id', 'p.grid_id')
    .select(['p.id', 'p.round_id', 'r.period_code', 'p.seq', 'u.code as unit_code', 'u.name as unit_name', 'g.code as grid_code', 'g.centroid_lon', 'g.centroid_lat'])
    .where('p.evaluator_id', '=', evaluatorId).where('r.state', '=', 'open').orderBy('p.round_id').orderBy('u.code').orderBy('p.seq').execute();
}

export async function listRounds(db: Executor, filter: { schemeCode?: string | undefined; period?: string | undefined }) {
  let q = db.selectFrom('inspection_rounds as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
    .select(['r.id', 'r.period_code', 'r.seed', 'r.state', 'r.created_at', 's.code as scheme_code', 's.name as scheme_name',
      (eb) => eb.selectFrom('inspection_points as p').select((e) => e.fn.countAll<number>().as('n')).whereRef('p.round_id', '=', 'r.id').as('points'),
      (eb) => eb.selectFrom('inspection_findings as f').select((e) => e.fn.countAll<number>().as('n')).whereRef('f.round_id', '=', 'r.id').as('findings')]);
  if (filter.schemeCode) q = q.where('s.code', '=', filter.schemeCode);
  if (filter.period) q = q.where('r.period_code', '=', filter.period);
  const rows = await q.orderBy('r.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: r.id, scheme: { code: r.scheme_code, name: r.scheme_name }, period: r.period_code, seed: Number(r.seed), state: r.state, openedAt: new Date(Number(r.created_at)).toISOString(), points: Number(r.points ?? 0), findings: Number(r.findings ?? 0) }));
}
