// Rate limits on what the public can write (Open311 requests and updates, per API key and per client
// address): fixed one-minute windows counted in the database, so that every app process behind a load
// balancer shares the same count. The limits are data; a deployment (or a test) may set its own.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS = {
  /** Writes through one Open311 API key (a whole client app, such as a FixMyStreet site). */
  open311_write_per_key: { limit: 600, windowMs: 60_000 },
  /** Writes from one client address, whatever the key. */
  open311_write_per_address: { limit: 60, windowMs: 60_000 },
  /** Reports and ratings on the public portal from one client address. */
  portal_write_per_address: { limit: 10, windowMs: 60_000 },
  /** Wrong passwords for one username: guessing stops after ten in a quarter of an hour (the user waits, or an admin resets). */
  login_failures_per_user: { limit: 10, windowMs: 15 * 60_000 },
  /** Wrong passwords from one client address, whatever the username (a whole office may share an address). */
  login_failures_per_address: { limit: 100, windowMs: 15 * 60_000 },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;
export type RateLimits = Record<RateLimitName, RateLimit>;

/** Counts one hit of `subject` against the limit; returns how long to wait when it is over (0: go ahead). */
export async function hitRateLimit(db: Executor, name: RateLimitName, limits: RateLimits, subject: string, now: number): Promise<number> {
  const { limit, windowMs } = limits[name];
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const bucket = `${name}:${subject}`;
  const row = await db.insertInto('rate_limit_windows').values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limit_windows.hits + 1` }))
    .returning('hits').executeTakeFirstOrThrow();
  // Ended windows are of no use: the first hit of a new window now and then sweeps this limit's earlier ones.
  if (Number(row.hits) === 1 && Math.random() < 0.05) await db.deleteFrom('rate_limit_windows').where('bucket', 'like', `${name}:%`).where('window_start', '<', windowStart).execute();
  return Number(row.hits) > limit ? windowStart + windowMs - now : 0;
}

/** How long `subject` must wait before its next hit of the limit (0: it may go ahead); counts nothing. */
export async function rateLimitWait(db: Executor, name: RateLimitName, limits: RateLimits, subject: string, now: number): Promise<number> {
  const { limit, windowMs } = limits[name];
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const row = await db.selectFrom('rate_limit_windows').select('hits').where('bucket', '=', `${name}:${subject}`).where('window_start', '=', windowStart).executeTakeFirst();
  return row && Number(row.hits) >= limit ? windowStart + windowMs - now : 0;
}
