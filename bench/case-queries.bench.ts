import { sql } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { OPEN_STATES } from '@cityops/domain/workflow/case-states';
import { listCases } from '../server/src/cases/cases.queries.ts';
import { aggregateCases } from '../server/src/cases/case-aggregate.queries.ts';
import { TerritoryLocator } from '../server/src/territory/territory-locator.ts';
import type { BenchEntry } from './entry.ts';
import { CITY_DATA, DATA_UNTIL, OCTOBER, openDataSet } from './data-sets.ts';

/**
 * The case list and the map of a viewport (issue 8 targets at 10,000,000 cases: list p95 < 50 ms, map
 * aggregation p95 < 100 ms), measured on the city's kept data set: 10,000,000 cases over three years in a
 * 10,000-grid city (bench/data-sets.ts, CITY_DATA), as the administrator of the whole city sees
 * them (and, for two lists, as a street office whose grant is one street), through the same query functions
 * the routes call (no HTTP). 40 runs each after 3 warm-ups; the
 * p95 is reported. Anchors: a raw page of 50 ids by primary key (list), one COUNT(*) over every case
 * (map: the floor of a pass over the table).
 */
const RUNS = Number(process.env.BENCH_QUERIES_RUNS ?? 40);
// When the data set ends: the cases still open then are the open ones.
const NOW = DATA_UNTIL;
const OPEN = [...OPEN_STATES];

async function p95(body: () => Promise<unknown>): Promise<{ p95: number; median: number }> {
  for (let i = 0; i < 3; i++) await body();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await body();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
  return { p95: at(0.95), median: at(0.5) };
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const entries: BenchEntry[] = [];
  // 10m for 10,000,000 cases: the figure names say at what size they were taken.
  const scale = CITY_DATA.cases >= 1e6 ? `${Math.round(CITY_DATA.cases / 1e6)}m` : `${Math.round(CITY_DATA.cases / 1e3)}k`;
  for (const dialect of CITY_DATA.databases) {
    const data = await openDataSet(CITY_DATA, dialect, log);
    const { db } = data.handle;
    try {
      const city = await db.selectFrom('territory_nodes').select(['path', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
      const district = await db.selectFrom('territory_nodes').select(['path', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('level', '=', 'district').orderBy('code').executeTakeFirstOrThrow();
      const street = await db.selectFrom('territory_nodes').select(['min_lon', 'min_lat', 'max_lon', 'max_lat']).where('level', '=', 'street').orderBy('code').executeTakeFirstOrThrow();
      // The grids' boxes as the app keeps them (the territory locator, loaded once).
      const locator = new TerritoryLocator(db);
      const grids = () => locator.gridBoxes();
      await grids();
      const actor: Actor = { kind: 'user', id: null, name: 'bench', grants: [{ role: 'admin', territoryPath: city.path, departmentId: null }] };
      // A street office (街道办) of the last street by code: its scope is a grant on the street, not a filter.
      const lastStreet = await db.selectFrom('territory_nodes').select('path').where('level', '=', 'street').orderBy('code', 'desc').executeTakeFirstOrThrow();
      const streetOffice: Actor = { kind: 'user', id: null, name: 'bench', grants: [{ role: 'territory_government', territoryPath: lastStreet.path, departmentId: null }] };
      const cityView = { minLon: city.min_lon, minLat: city.min_lat, maxLon: city.max_lon, maxLat: city.max_lat };
      const districtView = { minLon: district.min_lon, minLat: district.min_lat, maxLon: district.max_lon, maxLat: district.max_lat };
      const streetView = { minLon: street.min_lon, minLat: street.min_lat, maxLon: street.max_lon, maxLat: street.max_lat };
      const figures = {
        list_open_due: await p95(() => listCases(db, actor, { states: OPEN, sort: 'due_asc', limit: 50, offset: 0 }, NOW)),
        list_district_page3: await p95(() => listCases(db, actor, { territoryPath: district.path, sort: 'reported_desc', limit: 50, offset: 100 }, NOW)),
        list_overdue_now: await p95(() => listCases(db, actor, { overdueAt: NOW, sort: 'due_asc', limit: 50, offset: 0 }, NOW)),
        list_street_office: await p95(() => listCases(db, streetOffice, { sort: 'reported_desc', limit: 50, offset: 0 }, NOW)),
        list_street_office_open_due: await p95(() => listCases(db, streetOffice, { states: OPEN, sort: 'due_asc', limit: 50, offset: 0 }, NOW)),
        map_open_city: await p95(() => aggregateCases(db, actor, { states: OPEN }, { ...cityView, zoom: 11 }, NOW, grids)),
        map_handling_district: await p95(() => aggregateCases(db, actor, { states: ['pending_handle', 'handling'], territoryPath: district.path }, { ...districtView, zoom: 12 }, NOW, grids)),
        map_month_city: await p95(() => aggregateCases(db, actor, { reportedFrom: OCTOBER.fromMs, reportedTo: OCTOBER.toMs }, { ...cityView, zoom: 11 }, NOW, grids)),
        map_all_city: await p95(() => aggregateCases(db, actor, {}, { ...cityView, zoom: 11 }, NOW, grids)),
        map_all_street: await p95(() => aggregateCases(db, actor, {}, { ...streetView, zoom: 15 }, NOW, grids)),
      };
      const page = await p95(() => sql`select id from cases order by id desc limit 50`.execute(db));
      const pass = await p95(() => sql`select count(*) from cases`.execute(db));
      log(`case queries [${dialect}] over ${CITY_DATA.cases.toLocaleString('en')} cases (p95 / median ms): ${Object.entries(figures).map(([k, v]) => `${k} ${v.p95} / ${v.median}`).join('; ')}; raw page ${page.p95}, count(*) ${pass.p95}`);
      const listAnchor = { name: 'a raw page of 50 ids by primary key', value: page.p95, unit: 'ms' };
      const mapAnchor = { name: `COUNT(*) over the ${CITY_DATA.cases.toLocaleString('en')} cases`, value: pass.p95, unit: 'ms' };
      for (const [name, f] of Object.entries(figures)) {
        const isMap = name.startsWith('map_');
        const anchor = isMap ? mapAnchor : listAnchor;
        entries.push({ name: `case_${name}_${scale}_p95`, database: dialect, value: f.p95, unit: 'ms', target: isMap ? 100 : 50, better: 'lower', anchor, ratio: anchor.value > 0 ? Math.round((f.p95 / anchor.value) * 10) / 10 : null });
      }
    } finally {
      await data.handle.close();
    }
  }
  return entries;
}
