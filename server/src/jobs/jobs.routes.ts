import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { JOBS } from './jobs.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export async function jobRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/jobs', {
    config: { access: 'system.read' },
    schema: { tags: ['system'], summary: 'The scheduled jobs, how often each runs, and its last run (which process, when, what it did or the error)' },
  }, async () => {
    const items = [];
    for (const job of JOBS) {
      const last = await ctx.db.selectFrom('job_runs').selectAll().where('job', '=', job.name).orderBy('slot', 'desc').limit(1).executeTakeFirst();
      items.push({
        name: job.name, zh: job.zh, everyMs: job.everyMs,
        last: last ? { slot: iso(last.slot), host: last.host, startedAt: iso(last.started_at), finishedAt: iso(last.finished_at), result: last.result ? JSON.parse(last.result) as unknown : null, error: last.error } : null,
      });
    }
    return { items };
  });
}
