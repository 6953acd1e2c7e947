import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { DEFAULT_TIMETABLE, DEFAULT_TIMEZONE, DEFAULT_WEEKEND_DAYS, type CalendarYearFile } from '@cityops/domain/calendar/calendar-definition';
import type { Database } from '../db/schema.ts';
import { createCalendar } from '../calendar/calendar.service.ts';
import { importCatalog, parseCatalogCsv } from '../catalog/catalog-import.ts';

/**
 * The server package's seed-data folder: the nearest one above this module, which is server/src/seed when run
 * from source and server/dist once compiled (server/rolldown.config.ts).
 */
function findSeedDataDir(): URL {
  for (let dir = new URL('./', import.meta.url); dir.pathname !== '/'; dir = new URL('../', dir)) {
    const candidate = new URL('seed-data/', dir);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no seed-data folder above ${import.meta.url}`);
}

export const SEED_DATA_DIR = findSeedDataDir();

export function readSeedFile(name: string): string {
  return readFileSync(new URL(name, SEED_DATA_DIR), 'utf8');
}

/**
 * The data every city starts from, whatever its territory: the national catalog (GB/T 47678.5-2026
 * transcription plus the local extension classes) and the mainland work calendar 2023–2027 (2023–2024 for
 * imported history).
 * Idempotent: parts already present are left alone.
 */
export async function seedBaseData(db: Kysely<Database>, actor: Actor): Promise<{ calendar: boolean; catalog: boolean }> {
  const result = { calendar: false, catalog: false };
  if (!(await db.selectFrom('work_calendars').select('id').where('code', '=', 'cn-mainland').executeTakeFirst())) {
    const dir = new URL('calendar/', SEED_DATA_DIR);
    const years = readdirSync(dir).filter((f) => /^cn-mainland-\d{4}\.json$/.test(f)).sort()
      .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as CalendarYearFile);
    await createCalendar(db, actor, {
      code: 'cn-mainland', name: '中国大陆法定工作日历', timezone: DEFAULT_TIMEZONE, timetable: [...DEFAULT_TIMETABLE], weekendDays: [...DEFAULT_WEEKEND_DAYS], isDefault: true, years,
    });
    result.calendar = true;
  }
  if (!(await db.selectFrom('catalog_versions').select('id').executeTakeFirst())) {
    const options = { versionCode: 'GBT47678.5-2026', versionName: 'GB/T 47678.5-2026 管理部件和事项 + 本地扩展', standard: 'GB/T 47678.5-2026', activate: true };
    await importCatalog(db, actor, parseCatalogCsv(readSeedFile('catalog-gbt47678-5.csv')), { ...options, deriveComponentMatters: true });
    await importCatalog(db, actor, parseCatalogCsv(readSeedFile('catalog-local-extensions.csv')), { ...options, deriveComponentMatters: false });
    result.catalog = true;
  }
  return result;
}
