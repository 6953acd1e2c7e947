import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import { INDICATORS } from '@cityops/domain/indicators/indicators';
import { MEASURES } from '@cityops/domain/indicators/measures';
import { PERIOD_KINDS } from '@cityops/domain/indicators/periods';
import { grantsFor } from '@cityops/domain/access/scope';
import { territoryScopes } from '../access/grant-scope.ts';
import type { AppContext } from '../http/context.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { indicatorTable } from '../performance/evaluate.ts';
import { mayReadDepartment, mayReadNode, mayReadPerson } from '../performance/performance-access.ts';
import { PeriodQuery, periodFrom } from './period-param.ts';
import { findNodeByCode } from '../territory/territory.queries.ts';
import { loadPeriodMeasures } from './period-measures.ts';

const tags = ['indicators'];

export async function indicatorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/indicators/definitions', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Every count and indicator with its definition (docs/indicators.md), and the period forms' },
  }, async () => ({
    measures: Object.entries(MEASURES).map(([code, m]) => ({ code, ...m })),
    indicators: Object.entries(INDICATORS).map(([code, i]) => ({ code, ...i })),
    periods: Object.entries(PERIOD_KINDS).map(([kind, k]) => ({ kind, ...k })),
  }));

  app.get('/api/indicators', {
    config: { access: 'indicator.read' },
    schema: {
      tags, summary: 'Counts and indicators of a territory node, department or person for a period, as of its end (a past period reads the same whenever it is run)',
      querystring: Type.Object({
        period: Type.Optional(PeriodQuery),
        territory: Type.Optional(Type.String({ description: 'code of a territory node (default: your own area; a department user: its department)' })),
        department: Type.Optional(Type.Integer({ minimum: 1 })),
        person: Type.Optional(Type.Integer({ minimum: 1 })),
        breakdown: Type.Optional(Type.Literal('children', { description: 'also list the node\'s children' })),
      }),
    },
  }, async (request) => {
    const q = request.query as { period?: string; territory?: string; department?: number; person?: number; breakdown?: 'children' };
    const now = Date.now();
    const period = periodFrom(q.period, now);
    if ([q.territory, q.department, q.person].filter((x) => x !== undefined).length > 1) {
      throw new ValidationError([{ field: 'territory', message: 'name one of territory, department or person' }]);
    }
    const actor = request.actor;
    let target: { kind: 'territory'; id: number } | { kind: 'department'; id: number } | { kind: 'person'; id: number };
    if (q.department !== undefined) {
      if (!mayReadDepartment(actor, 'indicator.read', q.department)) throw forbidden('that department\'s indicators are outside your scope');
      target = { kind: 'department', id: q.department };
    } else if (q.person !== undefined) {
      if (!mayReadPerson(actor, 'indicator.read', q.person)) throw forbidden('a person\'s indicators are for themselves, the office and leaders');
      target = { kind: 'person', id: q.person };
    } else {
      // By default one's own area, or (a department, whose grant's node is only its home) one's department.
      const own = territoryScopes(actor, 'indicator.read')[0];
      const code = q.territory ?? own?.split('/').filter(Boolean).at(-1);
      if (!code) {
        const dept = grantsFor(actor, 'indicator.read').find((g) => g.departmentId !== null);
        if (!dept) throw new ValidationError([{ field: 'territory', message: 'name a territory, department or person' }]);
        target = { kind: 'department', id: dept.departmentId! };
      } else {
        const node = await findNodeByCode(ctx.db, code);
        if (!node) throw new ValidationError([{ field: 'territory', message: `no territory node ${code}` }]);
        if (!mayReadNode(actor, 'indicator.read', node.path)) throw forbidden(`${node.name} is outside your scope`);
        target = { kind: 'territory', id: node.id };
      }
    }
    const pm = await loadPeriodMeasures(ctx.db, period, now);
    const base = { period, asOf: new Date(pm.asOf).toISOString() };
    if (target.kind === 'department') {
      const d = pm.departments.get(target.id);
      if (!d) throw notFound(`department ${target.id}`);
      return { ...base, unit: { ...d.ref, departmentKind: d.ref.kind, kind: 'department' }, measures: d.measures, indicators: indicatorTable(d.measures) };
    }
    if (target.kind === 'person') {
      const p = pm.persons.get(target.id);
      if (!p) throw notFound(`person ${target.id}`);
      return { ...base, unit: { kind: 'person', id: p.ref.id, code: p.ref.username, name: p.ref.name, roles: p.ref.roles.map((r) => r.role) }, measures: p.measures, indicators: indicatorTable(p.measures) };
    }
    const node = pm.nodes.get(target.id)!;
    const measures = pm.territory.get(node.id)!;
    const children = q.breakdown === 'children'
      ? [...pm.nodes.values()].filter((n) => n.parentId === node.id).sort((a, b) => a.code.localeCompare(b.code))
        .map((n) => ({ unit: { kind: 'territory', id: n.id, code: n.code, name: n.name, level: n.level }, measures: pm.territory.get(n.id)!, indicators: indicatorTable(pm.territory.get(n.id)!) }))
      : undefined;
    return { ...base, unit: { kind: 'territory', id: node.id, code: node.code, name: node.name, level: node.level }, measures, indicators: indicatorTable(measures), ...(children ? { children } : {}) };
  });
}
