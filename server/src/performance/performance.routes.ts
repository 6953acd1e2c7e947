import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import { PERFORMANCE_SUBJECTS, type PerformanceSubject } from '@cityops/domain/performance/scheme';
import { childPath } from '@cityops/domain/territory/levels';
import type { AppContext } from '../http/context.ts';
import { PeriodQuery, periodFrom } from '../indicators/period-param.ts';
import { notFound } from '../http/errors.ts';
import { findNodeByCode } from '../territory/territory.queries.ts';
import { evaluatePerformance, indicatorTable, SUBJECT_NAMES } from './evaluate.ts';
import { assertMayReadRanking, homeRankingParent, mayReadRanking } from './performance-access.ts';
import { currentScheme, saveScheme, schemeHistory } from './schemes.service.ts';

const tags = ['performance'];
const SubjectParams = Type.Object({ subject: Type.Union(SUBJECT_NAMES.map((s) => Type.Literal(s))) });
export async function performanceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/performance', {
    config: { access: 'performance.read' },
    schema: { tags, summary: 'The rankings the caller may read: the subjects, and the region ranking to open first (its parent node\'s code)' },
  }, async (request) => {
    const home = homeRankingParent(request.actor);
    return { subjects: SUBJECT_NAMES.filter((s) => (s === 'region' ? home !== null : mayReadRanking(request.actor, s, null))), home };
  });

  app.get('/api/performance/:subject', {
    config: { access: 'performance.read' },
    schema: {
      tags, summary: 'Performance evaluation (绩效评价) of regions, departments or a post for a period: scores, grades, ranks and change from the previous period',
      params: SubjectParams,
      querystring: Type.Object({ period: Type.Optional(PeriodQuery), parent: Type.Optional(Type.String({ description: 'regions: the node whose children are ranked (default the city)' })) }),
    },
  }, async (request) => {
    const { subject } = request.params as { subject: PerformanceSubject };
    const q = request.query as { period?: string; parent?: string };
    const now = Date.now();
    const period = periodFrom(q.period, now);
    let parentId: number | null | undefined;
    let parentPath: string | null = null;
    if (subject === 'region') {
      const node = q.parent ? await findNodeByCode(ctx.db, q.parent) : await ctx.db.selectFrom('territory_nodes').selectAll().where('level', '=', 'city').executeTakeFirst();
      if (!node) throw q.parent ? new ValidationError([{ field: 'parent', message: `no territory node ${q.parent}` }]) : notFound('the city');
      if (node.level === 'grid') throw new ValidationError([{ field: 'parent', message: 'a grid has no children to rank' }]);
      parentId = node.id;
      parentPath = node.path;
    }
    assertMayReadRanking(request.actor, subject, parentPath);
    const evaluation = await evaluatePerformance(ctx.db, subject, period, now, { parentId });
    return {
      subject, subjectName: PERFORMANCE_SUBJECTS[subject].zh, period: evaluation.period, asOf: evaluation.asOf, scheme: evaluation.scheme, parent: evaluation.parent,
      items: evaluation.units.map((u) => ({
        rank: u.rank, tied: u.tied, unit: u.unit, score: u.result.score, grade: u.result.grade, partial: u.result.partial,
        // A region whose children's ranking the caller may open (a grid has none).
        ...(subject === 'region' ? { drillable: u.unit.level !== 'grid' && parentPath !== null && mayReadRanking(request.actor, 'region', childPath(parentPath, u.unit.code)) } : {}),
        components: u.result.components, change: u.change,
        indicators: indicatorTable(u.measures).filter((i) => i.denominator > 0 || i.numerator > 0),
      })),
    };
  });

  app.get('/api/performance-schemes/:subject', {
    config: { access: 'performance.read' },
    schema: { tags, summary: 'The current performance scheme of a subject (components, weights, bands, grades) and its versions', params: SubjectParams },
  }, async (request) => {
    const { subject } = request.params as { subject: PerformanceSubject };
    const [current, versions] = await Promise.all([currentScheme(ctx.db, subject), schemeHistory(ctx.db, subject)]);
    return { ...current, versions };
  });

  const SaveBody = Type.Object({ scheme: Type.Unknown(), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
  app.put('/api/performance-schemes/:subject', {
    config: { access: 'performance_scheme.write' },
    schema: { tags, summary: 'Save a new version of a performance scheme; it is validated first (weights add to 100, bands ascend, indicators fit the subject)', params: SubjectParams, body: SaveBody },
  }, async (request) => {
    const { subject } = request.params as { subject: PerformanceSubject };
    const body = request.body as Static<typeof SaveBody>;
    return saveScheme(ctx.db, request.actor, subject, body.scheme, body.reason?.trim() || null, Date.now());
  });
}
