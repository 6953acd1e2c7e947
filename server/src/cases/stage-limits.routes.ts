import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { formatTimeLimit, parseTimeLimit } from '@cityops/domain/calendar/time-limits';
import { ValidationError } from '@cityops/domain/errors';
import { STAGES } from '@cityops/domain/workflow/case-states';
import { DEFAULT_STAGE_LIMITS, TIMED_STAGES } from '@cityops/domain/workflow/stage-limits';
import type { AppContext } from '../http/context.ts';
import { recordAudit } from '../audit/audit.ts';
import { loadStageLimits } from './case-clock.ts';

const tags = ['cases'];

export async function stageLimitRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/stage-limits', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Stage time limits (受理, 核实, 立案, 派遣, 签收, 核查, 结案) in force, and the defaults' },
  }, async () => {
    const limits = await loadStageLimits(ctx.db);
    return { items: TIMED_STAGES.map((stage) => ({ stage, ...STAGES[stage], limit: limits[stage], label: formatTimeLimit(limits[stage]), default: DEFAULT_STAGE_LIMITS[stage] })) };
  });

  app.put('/api/stage-limits/:stage', {
    config: { access: 'stage_limit.write' },
    schema: {
      tags, summary: 'Set a stage time limit; it applies to cases entering the stage from now on',
      params: Type.Object({ stage: Type.Union(TIMED_STAGES.map((s) => Type.Literal(s))) }),
      body: Type.Object({ limit: Type.Object({ value: Type.Number(), unit: Type.String() }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { stage } = request.params as { stage: string };
    const parsed = parseTimeLimit((request.body as { limit: unknown }).limit, 'limit');
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    const now = Date.now();
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('stage_time_limits').values({ stage, limit_value: parsed.limit.value, limit_unit: parsed.limit.unit, updated_at: now, updated_by: request.actor.kind === 'user' ? request.actor.id : null })
        .onConflict((oc) => oc.column('stage').doUpdateSet({ limit_value: parsed.limit.value, limit_unit: parsed.limit.unit, updated_at: now, updated_by: request.actor.kind === 'user' ? request.actor.id : null }))
        .execute();
      await recordAudit(trx, request.actor, 'stage_limit.update', { type: 'stage_limit', ref: stage }, parsed.limit, now);
    });
    return { stage, limit: parsed.limit, label: formatTimeLimit(parsed.limit) };
  });
}
