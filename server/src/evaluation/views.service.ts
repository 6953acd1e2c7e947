// What a run shows: the ranking table (rank, unit, score, change from the previous month, reward or
// penalty), the settlement list for the finance bureau, the trace of every point of a unit's score to
// its findings, cases, entries and rulings, the quarterly and year-end rankings, and the public page.
import type { Actor } from '@cityops/domain/access/scope';
import { grantsFor, territoryScopeOf } from '@cityops/domain/access/scope';
import { RESULT_STATES, resultActionsFor } from '@cityops/domain/evaluation/lifecycle';
import { aggregateMonths } from '@cityops/domain/evaluation/ladder';
import { previousPeriod, type Period } from '@cityops/domain/indicators/periods';
import type { Executor } from '../db/database.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { schemeById } from './definitions.service.ts';
import { periodOf, type ResultBreakdown } from './run-compute.ts';
import { loadRun, type RunRow } from './runs.service.ts';
import { sealOfRun } from '../integrity/seal.service.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const yuan = (fen: number) => Number(fen) / 100;

/** Who reads a run: the office, leaders and admins over its territory in every state; the evaluated units once it is issued. */
export function readAccess(actor: Actor, parentPath: string, unitPaths: string[], state: string): 'all' | 'unit' | null {
  const grants = grantsFor(actor, 'evaluation.read');
  const scopes = grants.map((g) => ({ role: g.role, path: territoryScopeOf(g) }));
  if (scopes.some((g) => g.role !== 'territory_government' && g.path !== null && parentPath.startsWith(g.path))) return 'all';
  // Once issued, the evaluated units (their government, their leaders, anyone scoped inside one) read it too.
  if (state !== 'draft' && scopes.some(({ path }) => path !== null && (parentPath.startsWith(path) || unitPaths.some((u) => path.startsWith(u))))) return 'unit';
  return null;
}

async function runContext(db: Executor, actor: Actor, runId: number) {
  const run = await loadRun(db, runId);
  const scheme = await schemeById(db, run.scheme_id);
  const parent = await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'path', 'level']).where('id', '=', scheme.parentNodeId).executeTakeFirstOrThrow();
  const units = await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'path']).where('parent_id', '=', parent.id).orderBy('code').execute();
  const access = readAccess(actor, parent.path, units.map((u) => u.path), run.state);
  if (!access) throw notFound(`evaluation run ${runId}`);
  return { run, scheme, parent, units, access };
}

/** Whether the actor may see an appeal's evidence: whoever reads the whole run (the office), or the appealing unit's own people. */
export async function appealEvidenceReadable(db: Executor, actor: Actor, appealId: number): Promise<boolean> {
  const appeal = await db.selectFrom('evaluation_appeals as a').innerJoin('territory_nodes as u', 'u.id', 'a.unit_node_id')
    .select(['a.run_id', 'u.path']).where('a.id', '=', appealId).executeTakeFirst();
  if (!appeal) return false;
  try {
    if ((await runContext(db, actor, Number(appeal.run_id))).access === 'all') return true;
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 404) return false;
    throw error;
  }
  return grantsFor(actor, 'evaluation.read').some((g) => territoryScopeOf(g)?.startsWith(appeal.path) ?? false);
}

/** The stage a reader sees: the final results once computed, else the preliminary ones. */
async function results(db: Executor, run: RunRow) {
  const stage = run.state === 'final' || run.state === 'published' || run.state === 'superseded' ? 'final' : 'preliminary';
  const rows = await db.selectFrom('evaluation_results').selectAll().where('run_id', '=', run.id).where('stage', '=', stage).execute();
  return { stage, rows: rows.map((r) => ({ ...r, breakdown: JSON.parse(r.breakdown) as ResultBreakdown })) };
}

/** The published result of the month before, for the change column. */
async function previousPublished(db: Executor, schemeCode: string, period: Period) {
  const prev = previousPeriod(period);
  const run = await db.selectFrom('evaluation_runs').select('id').where('scheme_code', '=', schemeCode).where('period_code', '=', prev.code).where('state', '=', 'published').executeTakeFirst();
  if (!run) return new Map<number, { total: number | null; rank: number | null }>();
  const rows = await db.selectFrom('evaluation_results').select(['unit_node_id', 'total', 'rank']).where('run_id', '=', run.id).where('stage', '=', 'final').execute();
  return new Map(rows.map((r) => [r.unit_node_id, { total: r.total === null ? null : Number(r.total), rank: r.rank }]));
}

function rankingRows(rows: Awaited<ReturnType<typeof results>>['rows'], before: Map<number, { total: number | null; rank: number | null }>) {
  return rows.map((r) => {
    const b = r.breakdown;
    const p = before.get(r.unit_node_id);
    const total = r.total === null ? null : Number(r.total);
    return {
      place: r.place, rank: r.rank, tied: r.tied === 1, unit: b.unit, total,
      change: {
        previousTotal: p?.total ?? null, previousRank: p?.rank ?? null,
        total: p?.total != null && total !== null ? Math.round((total - p.total) * 100) / 100 : null,
        rank: p?.rank != null && r.rank !== null ? p.rank - r.rank : null,
      },
      amountYuan: yuan(Number(r.amount_fen)),
      components: b.components, inspection: { score: b.inspection.score, deductions: b.inspection.deductions, sampledPoints: b.inspection.sampledPoints },
      adjustments: b.adjustments, handicap: b.handicap, warnings: b.warnings, rectification: b.rectification,
    };
  }).sort((a, b) => (a.place ?? Infinity) - (b.place ?? Infinity) || a.unit.code.localeCompare(b.unit.code));
}

export async function runView(db: Executor, actor: Actor, runId: number) {
  const { run, scheme, parent, access } = await runContext(db, actor, runId);
  const period = periodOf(run.period_code);
  const [res, before, events, appeals, versions] = await Promise.all([
    results(db, run), previousPublished(db, run.scheme_code, period),
    db.selectFrom('evaluation_run_events').selectAll().where('run_id', '=', runId).orderBy('id').execute(),
    db.selectFrom('evaluation_appeals as a').innerJoin('territory_nodes as u', 'u.id', 'a.unit_node_id')
      .select(['a.id', 'u.code as unit_code', 'u.name as unit_name', 'a.finding_id', 'a.entry_code', 'a.text', 'a.filed_at', 'a.outcome', 'a.ruling', 'a.new_value', 'a.ruled_at', 'a.attachment_ids'])
      .where('a.run_id', '=', runId).orderBy('a.id').execute(),
    db.selectFrom('evaluation_runs').select(['id', 'version', 'state', 'reason', 'published_at']).where('scheme_code', '=', run.scheme_code).where('period_code', '=', run.period_code).orderBy('version').execute(),
  ]);
  const ranking = rankingRows(res.rows, before);
  return {
    id: run.id, scheme: { code: scheme.code, version: scheme.version, name: scheme.definition.name },
    components: scheme.definition.components.map((c) => ({ code: c.code, zh: c.zh, en: c.en, kind: c.kind, weight: c.weight })),
    adjustmentItems: scheme.definition.adjustments.map((a) => ({ code: a.code, zh: a.zh, en: a.en, kind: a.kind, cap: a.cap })),
    componentNames: Object.fromEntries([...scheme.definition.components, ...scheme.definition.adjustments].map((c) => [c.code, c.zh])) as Record<string, string>,
    parent: { code: parent.code, name: parent.name, level: parent.level },
    period: { code: period.code, zh: period.zh, en: period.en }, version: run.version, state: run.state, stateName: RESULT_STATES[run.state],
    lockVersion: run.lock_version, reason: run.reason, supersedesId: run.supersedes_id, appealDeadline: iso(run.appeal_deadline), publishedAt: iso(run.published_at),
    actions: access === 'all' ? resultActionsFor(run.state, actor.grants.map((g) => g.role)) : [],
    stage: res.stage, ranking,
    settlement: ranking.filter((r) => r.amountYuan !== 0).map((r) => ({ unit: r.unit, rank: r.rank, amountYuan: r.amountYuan, kind: r.amountYuan > 0 ? 'reward' : 'penalty' })),
    ladder: scheme.definition.ladder,
    appeals: appeals.map((a) => ({
      id: a.id, unit: { code: a.unit_code, name: a.unit_name }, findingId: a.finding_id, entryCode: a.entry_code, text: a.text, evidence: JSON.parse(a.attachment_ids) as number[], filedAt: iso(a.filed_at),
      outcome: a.outcome, ruling: a.ruling, newValue: a.new_value, ruledAt: iso(a.ruled_at),
    })),
    events: events.map((e) => ({ action: e.action, from: e.from_state, to: e.to_state, at: iso(e.at), actor: e.actor_name, reason: e.reason })),
    versions: versions.map((v) => ({ id: v.id, version: v.version, state: v.state, reason: v.reason, publishedAt: iso(v.published_at) })),
    /** The integrity ledger's entry sealing this version and its hash, printed with the results so that they can be checked later (decision 0017). */
    seal: run.state === 'published' || run.state === 'superseded' ? await sealOfRun(db, run.id) : null,
  };
}

/** Every point of a unit's score, back to its evidence. */
export async function unitTrace(db: Executor, actor: Actor, runId: number, unitCode: string) {
  const { run, units, scheme } = await runContext(db, actor, runId);
  const unit = units.find((u) => u.code === unitCode);
  if (!unit) throw notFound(`unit ${unitCode} in evaluation run ${runId}`);
  const res = await results(db, run);
  const row = res.rows.find((r) => r.unit_node_id === unit.id);
  if (!row) throw notFound(`result of ${unitCode}`);
  const findings = await db.selectFrom('inspection_findings as f').innerJoin('inspection_rounds as r', 'r.id', 'f.round_id').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id')
    .innerJoin('inspection_points as p', 'p.id', 'f.point_id').innerJoin('territory_nodes as g', 'g.id', 'p.grid_id').leftJoin('cases as c', 'c.id', 'f.case_id')
    .select(['f.id', 'f.round_id', 'f.item_code', 'f.occurrences', 'f.lon', 'f.lat', 'f.found_at', 'f.note', 'f.attachment_id', 'f.voided_by_appeal_id', 'p.seq as point_seq', 'g.code as grid_code',
      'c.id as case_id', 'c.code as case_code', 'c.state as case_state', 'c.closed_at as case_closed_at', 'c.overdue_rounds as case_overdue_rounds'])
    .where('s.code', '=', run.scheme_code).where('r.period_code', '=', run.period_code).where('f.unit_node_id', '=', unit.id).orderBy('f.id').execute();
  const entries = await db.selectFrom('evaluation_entries').select(['code', 'value', 'reason', 'entered_at', 'entered_by']).where('run_id', '=', runId).where('unit_node_id', '=', unit.id).orderBy('code').execute();
  const appeals = await db.selectFrom('evaluation_appeals').selectAll().where('run_id', '=', runId).where('unit_node_id', '=', unit.id).orderBy('id').execute();
  return {
    run: { id: run.id, version: run.version, state: run.state, period: run.period_code, stage: res.stage },
    unit: { code: unit.code, name: unit.name }, total: row.total === null ? null : Number(row.total), rank: row.rank, amountYuan: yuan(Number(row.amount_fen)),
    names: Object.fromEntries([...scheme.definition.components, ...scheme.definition.adjustments].map((c) => [c.code, { zh: c.zh, en: c.en }])) as Record<string, { zh: string; en: string }>,
    handicapReason: scheme.definition.handicaps.find((h) => h.unitCode === unit.code)?.reason ?? null,
    score: row.breakdown,
    findings: findings.map((f) => ({
      id: f.id, roundId: f.round_id, itemCode: f.item_code, occurrences: f.occurrences, point: { seq: f.point_seq, grid: f.grid_code }, location: f.lon === null ? null : { lon: f.lon, lat: f.lat },
      foundAt: iso(f.found_at), note: f.note, photoId: f.attachment_id, voidedByAppealId: f.voided_by_appeal_id,
      case: f.case_id === null ? null : { id: f.case_id, code: f.case_code, state: f.case_state, closedAt: iso(f.case_closed_at), onTime: f.case_closed_at === null ? null : f.case_overdue_rounds === 0 },
    })),
    entries: entries.map((e) => ({ code: e.code, value: e.value, reason: e.reason, enteredAt: iso(e.entered_at), enteredBy: e.entered_by })),
    appeals: appeals.map((a) => ({ id: a.id, findingId: a.finding_id, entryCode: a.entry_code, text: a.text, evidence: JSON.parse(a.attachment_ids) as number[], filedAt: iso(a.filed_at), outcome: a.outcome, ruling: a.ruling, newValue: a.new_value })),
  };
}

export async function listRuns(db: Executor, actor: Actor, filter: { schemeCode?: string | undefined; period?: string | undefined }) {
  let q = db.selectFrom('evaluation_runs as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id').innerJoin('territory_nodes as n', 'n.id', 's.parent_node_id')
    .select(['r.id', 'r.scheme_code', 'r.period_code', 'r.version', 'r.state', 'r.published_at', 'r.appeal_deadline', 's.name as scheme_name', 'n.code as parent_code', 'n.path as parent_path', 'n.id as parent_id']);
  if (filter.schemeCode) q = q.where('r.scheme_code', '=', filter.schemeCode);
  if (filter.period) q = q.where('r.period_code', '=', filter.period);
  const rows = await q.orderBy('r.period_code', 'desc').orderBy('r.scheme_code').orderBy('r.version', 'desc').limit(500).execute();
  const unitPaths = new Map<number, string[]>();
  const out = [];
  for (const r of rows) {
    if (!unitPaths.has(r.parent_id)) unitPaths.set(r.parent_id, (await db.selectFrom('territory_nodes').select('path').where('parent_id', '=', r.parent_id).execute()).map((u) => u.path));
    if (!readAccess(actor, r.parent_path, unitPaths.get(r.parent_id)!, r.state)) continue;
    out.push({ id: r.id, scheme: { code: r.scheme_code, name: r.scheme_name }, parent: r.parent_code, period: r.period_code, version: r.version, state: r.state, publishedAt: iso(r.published_at), appealDeadline: iso(r.appeal_deadline) });
  }
  return out;
}

/** Quarterly or year-end ranking of a scheme: the mean of the published monthly totals and the money settled. */
export async function periodRanking(db: Executor, schemeCode: string, period: Period) {
  const runs = await db.selectFrom('evaluation_runs').select(['id', 'period_code']).where('scheme_code', '=', schemeCode).where('state', '=', 'published')
    .where('period_code', '>=', period.code.slice(0, 4)).execute();
  const months = runs.filter((r) => { const p = periodOf(r.period_code); return p.fromMs >= period.fromMs && p.toMs <= period.toMs; });
  const rows = months.length ? await db.selectFrom('evaluation_results as e').innerJoin('territory_nodes as u', 'u.id', 'e.unit_node_id')
    .select(['e.run_id', 'u.code', 'u.name', 'e.total', 'e.amount_fen']).where('e.run_id', 'in', months.map((m) => m.id)).where('e.stage', '=', 'final').execute() : [];
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const totals = aggregateMonths(months.map((m) => rows.filter((r) => r.run_id === m.id).map((r) => ({ unitCode: r.code, total: r.total === null ? null : Number(r.total), amountFen: Number(r.amount_fen) }))));
  return {
    scheme: schemeCode, period: { code: period.code, zh: period.zh, en: period.en }, months: months.map((m) => m.period_code).sort(),
    ranking: totals.map((t) => ({ rank: t.rank, tied: t.tied, unit: { code: t.unitCode, name: names.get(t.unitCode) ?? t.unitCode }, months: t.months, average: t.average, amountYuan: yuan(t.amountFen) })),
  };
}

/** The published rankings for the public page: units, scores, ranks, change and money; nothing about persons. */
export async function publishedRankings(db: Executor, filter: { schemeCode?: string | undefined; period?: string | undefined }) {
  let q = db.selectFrom('evaluation_runs as r').innerJoin('evaluation_schemes as s', 's.id', 'r.scheme_id').innerJoin('territory_nodes as n', 'n.id', 's.parent_node_id')
    .select(['r.id', 'r.scheme_code', 'r.period_code', 'r.version', 'r.published_at', 'r.reason', 's.name as scheme_name', 'n.code as parent_code', 'n.name as parent_name'])
    .where('r.state', '=', 'published');
  if (filter.schemeCode) q = q.where('r.scheme_code', '=', filter.schemeCode);
  if (filter.period) q = q.where('r.period_code', '=', filter.period);
  const runs = await q.orderBy('r.period_code', 'desc').orderBy('r.scheme_code').limit(24).execute();
  const out = [];
  for (const r of runs) {
    const rows = await db.selectFrom('evaluation_results').selectAll().where('run_id', '=', r.id).where('stage', '=', 'final').execute();
    const before = await previousPublished(db, r.scheme_code, periodOf(r.period_code));
    const ranking = rankingRows(rows.map((x) => ({ ...x, breakdown: JSON.parse(x.breakdown) as ResultBreakdown })), before);
    out.push({
      scheme: { code: r.scheme_code, name: r.scheme_name }, territory: { code: r.parent_code, name: r.parent_name }, period: r.period_code, version: r.version,
      correction: r.version > 1 ? r.reason : null, publishedAt: iso(r.published_at), seal: await sealOfRun(db, r.id),
      ranking: ranking.map((x) => ({ rank: x.rank, tied: x.tied, unit: { code: x.unit.code, name: x.unit.name }, total: x.total, change: x.change, amountYuan: x.amountYuan })),
    });
  }
  return out;
}
