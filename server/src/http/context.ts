import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { DialectName } from '../db/database.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';

/** What every feature's routes and services are given: no globals, so tests build their own. */
export interface AppContext {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Pick<Config, 'sessionTtlHours'>;
  locator: TerritoryLocator;
  calendars: CalendarCache;
  checkDatabase(): Promise<{ ok: boolean; latencyMs: number }>;
}

export function createContext(db: Kysely<Database>, dialect: DialectName, config: Pick<Config, 'sessionTtlHours'>): AppContext {
  return {
    db,
    dialect,
    config,
    locator: new TerritoryLocator(db),
    calendars: new CalendarCache(db),
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
