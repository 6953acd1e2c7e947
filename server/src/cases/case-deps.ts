import { DEFAULT_WORKFLOW_POLICY } from '@cityops/domain/workflow/decide';
import type { Executor } from '../db/database.ts';
import { ReferenceCache, type ReferenceSnapshot } from '../db/reference-cache.ts';
import type { AppContext } from '../http/context.ts';
import { loadStageLimits } from './case-clock.ts';
import type { WorkflowDeps } from './case-transition-plan.ts';

/**
 * What the workflow needs from the app, read inside the caller's transaction, and only through it: on
 * SQLite a query on the root handle would wait for that very transaction (one connection) and hang.
 */
export async function workflowDeps(
  ctx: Pick<AppContext, 'calendars' | 'locator'> & Partial<Pick<AppContext, 'references'>>, db: Executor,
  options: { assumeLatest?: boolean } = {},
): Promise<WorkflowDeps & { locator: AppContext['locator']; reference: ReferenceSnapshot }> {
  // The default calendar, the stage limits and the pinned grid index are taken again only when the reference
  // generation has moved (reference-cache.ts): one read for all three. Without the app's cache (a command-line
  // run), a cache of its own that lives for this call. `assumeLatest`: not even that read; the caller checks the
  // generation when it writes (intake's batches, which check it in the day counter's upsert).
  const references = ctx.references ?? new ReferenceCache();
  const reference = (options.assumeLatest ? references.assumeLatest() : null) ?? await references.snapshot(db);
  const [calendar, stageLimits, locator] = await Promise.all([
    reference.get('calendar', () => ctx.calendars.get(undefined, db)),
    reference.get('stage-limits', () => loadStageLimits(db)),
    reference.get('locator', () => ctx.locator.pinned(db)),
  ]);
  return { calendar, stageLimits, policy: DEFAULT_WORKFLOW_POLICY, locator, reference };
}
