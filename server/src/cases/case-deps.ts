import { DEFAULT_WORKFLOW_POLICY } from '@cityops/domain/workflow/decide';
import type { Executor } from '../db/database.ts';
import type { AppContext } from '../http/context.ts';
import { loadStageLimits } from './case-clock.ts';
import type { WorkflowDeps } from './case-transition-plan.ts';

/**
 * What the workflow needs from the app, read inside the caller's transaction, and only through it: on
 * SQLite a query on the root handle would wait for that very transaction (one connection) and hang.
 */
export async function workflowDeps(ctx: Pick<AppContext, 'calendars' | 'locator'>, db: Executor): Promise<WorkflowDeps & { locator: AppContext['locator'] }> {
  return { calendar: await ctx.calendars.get(undefined, db), stageLimits: await loadStageLimits(db), policy: DEFAULT_WORKFLOW_POLICY, locator: await ctx.locator.pinned(db) };
}
