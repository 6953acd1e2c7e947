import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { DialectName } from '../db/database.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { ReferenceCache } from '../db/reference-cache.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limits.ts';
import { IntakeBatcher } from '../cases/case-intake-batcher.ts';

/** The settings the app reads at run time; callers may pass the whole Config. */
export type ContextConfig = Pick<Config, 'sessionTtlHours'> & Partial<Pick<Config, 'attachmentMaxBytes'>> & { rateLimits?: Partial<RateLimits> };

export interface ContextOptions {
  /** Where uploaded photos go; without one, uploads fail (a context for the CLI never needs them). */
  attachments?: AttachmentStore;
}

/** What every feature's routes and services are given: no globals, so tests build their own. */
export interface AppContext {
  db: Kysely<Database>;
  dialect: DialectName;
  config: ContextConfig;
  locator: TerritoryLocator;
  calendars: CalendarCache;
  /** Reference data kept per reference generation (catalog, standards, departments, calendar, stage limits, grid index). */
  references: ReferenceCache;
  attachments: AttachmentStore;
  attachmentMaxBytes: number;
  rateLimits: RateLimits;
  /** Reports over HTTP, written in batches (group commit). */
  intake: IntakeBatcher;
  checkDatabase(): Promise<{ ok: boolean; latencyMs: number }>;
}

const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const noAttachmentStore: AttachmentStore = {
  put: () => Promise.reject(new Error('no attachment store configured: pass one to createContext')),
  get: () => Promise.resolve(null),
};

export function createContext(db: Kysely<Database>, dialect: DialectName, config: ContextConfig, options: ContextOptions = {}): AppContext {
  const locator = new TerritoryLocator(db);
  const calendars = new CalendarCache(db);
  const references = new ReferenceCache();
  return {
    db,
    dialect,
    config,
    locator,
    calendars,
    references,
    intake: new IntakeBatcher({ db, locator, calendars, references }),
    attachments: options.attachments ?? noAttachmentStore,
    attachmentMaxBytes: config.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    async checkDatabase() {
      const started = performance.now();
      try {
        await sql`select 1`.execute(db);
        return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
      } catch {
        return { ok: false, latencyMs: -1 };
      }
    },
  };
}
