// The accumulated points (累计加减分) over HTTP: the rule sets of both ledgers, the year's totals per overlay and
// unit within the caller's scope, the ledger's entries and alerts, the office's bonuses, corrections, sweeps
// and year closes, and the year's report as XLSX or PDF.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { beijingYear } from '@cityops/domain/points/engine';
import type { AppContext } from '../http/context.ts';
import { Paging } from '../http/schemas.ts';
import { creditFreeze } from './credit.service.ts';
import { sweepCredit } from './credit-sweep.ts';
import { tablesPdf, tablesXlsx, responsibilityTables } from './points-report.ts';
import { areaTotals, listAlerts, listEntries, listYears, scopeOf, unitInScope, unitTotals } from './responsibility.queries.ts';
import { closeYear, correctEntry, enterBonus, responsibilityFreeze } from './responsibility.service.ts';
import { sweepResponsibility } from './responsibility-sweep.ts';
import { assertLedger, currentRules, ruleVersions, saveRules } from './rule-sets.service.ts';

const tags = ['points'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Year = Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year (Beijing); this year when left out' }));
const yearOr = (year: number | undefined) => year ?? beijingYear(Date.now());

export async function pointsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const CodeParams = Type.Object({ code: Type.String({ maxLength: 40, description: 'responsibility or credit' }) });
  app.get('/api/points/rules/:code', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'A points rule set (responsibility: 累计加减分; credit: 信用积分): the current version and every version', params: CodeParams },
  }, async (request) => {
    const ledger = assertLedger((request.params as { code: string }).code);
    return { current: await currentRules(ctx.db, ledger), versions: await ruleVersions(ctx.db, ledger) };
  });

  const RulesBody = Type.Object({ rules: Type.Object({}, { additionalProperties: true }), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
  app.put('/api/points/rules/:code', {
    config: { access: 'points.manage' },
    schema: { tags, summary: 'Save a new version of a points rule set (validated; each problem names its field under rules.)', params: CodeParams, body: RulesBody },
  }, async (request) => {
    const ledger = assertLedger((request.params as { code: string }).code);
    const b = request.body as Static<typeof RulesBody>;
    return saveRules(ctx.db, request.actor, ledger, b.rules, b.reason?.trim() || null, Date.now());
  });

  app.get('/api/points/areas', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'The year\'s accumulated points of each road segment, frontage and duty area in your scope, with the level reached', querystring: Type.Object({ year: Year, kind: Type.Optional(Type.Union(['road_segment', 'frontage', 'duty_area'].map((k) => Type.Literal(k)))) }) },
  }, async (request) => {
    const q = request.query as { year?: number; kind?: string };
    return areaTotals(ctx.db, scopeOf(request.actor, 'points.read'), { year: yearOr(q.year), kind: q.kind });
  });

  app.get('/api/points/units', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'The year\'s accumulated points of each unit (department, street or district government) in your scope', querystring: Type.Object({ year: Year }) },
  }, async (request) => unitTotals(ctx.db, scopeOf(request.actor, 'points.read'), { year: yearOr((request.query as { year?: number }).year) }));

  app.get('/api/points/entries', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'The ledger\'s entries of the year (who, what, when, why, source), newest first', querystring: Type.Object({
      year: Year, area: Type.Optional(Type.String({ maxLength: 60, description: 'An overlay\'s code: its entries' })),
      unit: Type.Optional(Type.String({ maxLength: 60, description: 'A unit\'s code (department, or street or district government): the entries that count in its total' })),
      unitKind: Type.Optional(Type.Union([Type.Literal('department'), Type.Literal('territory')], { description: 'Only when a department and a government share the code' })),
      event: Type.Optional(Type.String({ maxLength: 40 })), ...Paging,
    }) },
  }, async (request) => {
    const q = request.query as { year?: number; area?: string; unit?: string; unitKind?: 'department' | 'territory'; event?: string; limit: number; offset: number };
    const scope = scopeOf(request.actor, 'points.read');
    const unit = q.unit ? await unitInScope(ctx.db, scope, q.unit, q.unitKind) : undefined;
    return listEntries(ctx.db, scope, { year: yearOr(q.year), areaCode: q.area, unit, event: q.event, limit: q.limit, offset: q.offset });
  });

  const BonusBody = Type.Object({
    areaCode: Type.Optional(Type.String({ maxLength: 60 })), departmentCode: Type.Optional(Type.String({ maxLength: 60 })), territoryCode: Type.Optional(Type.String({ maxLength: 30 })),
    points: Type.Number(), reason: Type.String({ maxLength: 1000 }), evidence: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })), date: Type.Optional(Type.String({ maxLength: 10 })),
  }, { additionalProperties: false });
  app.post('/api/points/entries', {
    config: { access: 'points.manage' },
    schema: { tags, summary: 'Enter a bonus (加分) for an overlay or a unit, with its reason and evidence', body: BonusBody },
  }, async (request, reply) => {
    reply.code(201);
    return enterBonus(ctx.db, request.actor, request.body as Static<typeof BonusBody>, Date.now());
  });

  const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
  app.post('/api/points/entries/:id/correction', {
    config: { access: 'points.manage' },
    schema: { tags, summary: 'Correct an entry of either ledger: a reversing entry with the reason (an entry is reversed once)', params: IdParams, body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    reply.code(201);
    return correctEntry(ctx.db, request.actor, (request.params as { id: number }).id, (request.body as { reason: string }).reason, Date.now());
  });

  app.get('/api/points/alerts', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'Warnings and yellow cards of the year in your scope: each level once per subject, with the date it was reached', querystring: Type.Object({ year: Year }) },
  }, async (request) => listAlerts(ctx.db, scopeOf(request.actor, 'points.read'), { year: yearOr((request.query as { year?: number }).year) }));

  app.post('/api/points/sweep', {
    config: { access: 'points.manage' },
    schema: { tags, summary: 'Record now what happened since the last sweep in both ledgers (the hourly job does the same), each source once; with a year, re-read that whole year (records written with past dates, such as an import)', body: Type.Object({ year: Year }, { additionalProperties: false }) },
  }, async (request) => {
    const year = (request.body as { year?: number }).year;
    const now = Date.now();
    return { responsibility: await sweepResponsibility(ctx.db, request.actor, year ? [year] : null, now), credit: await sweepCredit(ctx.db, request.actor, year ? [year] : null, now) };
  });

  app.get('/api/points/years', { config: { access: 'points.read' }, schema: { tags, summary: 'The closed years of both ledgers' } }, async () => ({ items: await listYears(ctx.db) }));

  const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
  app.post('/api/points/years/:year/close', {
    config: { access: 'points.manage' },
    schema: { tags, summary: 'Close an ended year of a ledger: a last sweep, then every total frozen with its level', params: YearParams, body: Type.Object({ ledger: Type.Union([Type.Literal('responsibility'), Type.Literal('credit')]) }, { additionalProperties: false }) },
  }, async (request) => {
    const { year } = request.params as { year: number };
    const { ledger } = request.body as { ledger: 'responsibility' | 'credit' };
    const now = Date.now();
    return closeYear(ctx.db, request.actor, ledger, year, now, (trx) => (ledger === 'responsibility' ? responsibilityFreeze(trx, year) : creditFreeze(trx, year)));
  });

  app.get('/api/points/report', {
    config: { access: 'points.read' },
    schema: { tags, summary: 'The year\'s accumulated points per overlay and unit, and the alerts, as XLSX or PDF (your scope)', querystring: Type.Object({ year: Year, format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]) }) },
  }, async (request, reply) => {
    const q = request.query as { year?: number; format: 'xlsx' | 'pdf' };
    const year = yearOr(q.year);
    const scope = scopeOf(request.actor, 'points.read');
    const areas = await areaTotals(ctx.db, scope, { year });
    const tables = responsibilityTables({ year, closedAt: areas.closedAt, areas: areas.items, units: (await unitTotals(ctx.db, scope, { year })).items, alerts: (await listAlerts(ctx.db, scope, { year })).items });
    const title = `${year}年度责任区累计加减分`;
    const file = `points-${year}`;
    if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await tablesXlsx(title, tables));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await tablesPdf(title, tables));
  });
}
