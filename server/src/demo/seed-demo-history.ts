// Seeds the demo city's year of cases: generate the log, then import it through the history import,
// so the demo's cases are checked by the same rules as any city's imported history.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { cliActor } from '../audit/audit.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { importHistory, type HistoryImportResult } from '../cases/history/history-import.ts';
import { loadReplayWorld } from '../cases/history/replay-world.ts';
import type { TerritoryNodeSeed } from './city-layout.ts';
import { generateDemoHistory } from './demo-history.ts';
import { FLOW } from './demo-history-mix.ts';
import type { StaffDirectory } from './demo-case-flow.ts';
import { createRandom } from '@cityops/domain/random';

export interface DemoStaff {
  usernames: string[];
  departmentUsers: Map<string, string>;
}

export async function seedDemoHistory(
  db: Kysely<Database>,
  nodes: readonly TerritoryNodeSeed[],
  staff: DemoStaff,
  options: { seed: number; until: number; casesPerGridYear: number },
): Promise<HistoryImportResult & { records: number }> {
  const locator = new TerritoryLocator(db);
  const deps = await workflowDeps({ calendars: new CalendarCache(db), locator }, db);
  const components = (await db.selectFrom('components as p').innerJoin('catalog_classes as c', 'c.id', 'p.class_id')
    .select(['p.code', 'c.code as class_code', 'p.lon', 'p.lat', 'p.maintainer_department_id']).orderBy('p.id').execute())
    .map((p) => ({ code: p.code, classCode: p.class_code, lon: p.lon, lat: p.lat, maintainerDepartmentId: p.maintainer_department_id }));
  const world = await loadReplayWorld(db, deps, deps.locator, { usernames: new Set(), componentCodes: new Set(), caseCodes: new Set(), refs: [], fromMs: 0, toMs: 0, windowMs: 0 });
  const byPrefix = (prefix: string) => staff.usernames.filter((u) => new RegExp(`^${prefix}\\d+$`).test(u));
  const speedRandom = createRandom(options.seed ^ 0xdeb7);
  const speeds = new Map([...staff.departmentUsers.keys()].sort().map((code) => [code, FLOW.departmentSpeed[0] + (FLOW.departmentSpeed[1] - FLOW.departmentSpeed[0]) * speedRandom()]));
  const directory: StaffDirectory = {
    inspectorOf: (streetCode) => `jdy${streetCode}`,
    acceptors: byPrefix('shouli'),
    shiftChiefs: byPrefix('zhibanzhang'),
    dispatchers: byPrefix('paiqian'),
    evaluators: byPrefix('dsf'),
    publicUsers: byPrefix('public'),
    departmentUser: (code) => staff.departmentUsers.get(code) ?? null,
    departmentSpeed: (code) => speeds.get(code) ?? 1,
    dispatchable: [...staff.departmentUsers.keys()].filter((code) => world.departments.get(code)?.kind === 'professional').sort(),
  };
  const records = await generateDemoHistory({ world, calendar: deps.calendar, nodes, components, staff: directory }, options);
  const result = await db.transaction().execute(async (trx) => importHistory(trx, await workflowDeps({ calendars: new CalendarCache(db), locator }, trx), cliActor(), records, options.until));
  return { ...result, records: records.length };
}
