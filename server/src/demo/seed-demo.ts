import type { Kysely } from 'kysely';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import { bboxOf } from '@cityops/domain/geo/geometry';
import type { Database } from '../db/schema.ts';
import { cliActor } from '../audit/audit.ts';
import { hashPassword } from '../access/passwords.ts';
import { createApiKey } from '../access/access.service.ts';
import { createUser, type GrantInput } from '../access/users.service.ts';
import { importTerritory } from '../territory/territory-import.ts';
import { importOverlays } from '../territory/responsibility-areas.ts';
import { importCaseStandards, parseCaseStandardsCsv } from '../catalog/case-standards.service.ts';
import { importComponents, parseComponentFeatures } from '../components/components.service.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { readSeedFile, seedBaseData } from '../seed/base-data.ts';
import { generateCityLayout } from './city-layout.ts';
import { demoFrontages } from './demo-frontages.ts';
import { seedDemoHistory } from './seed-demo-history.ts';
import { seedDemoEvaluations } from './seed-demo-evaluations.ts';
import { seedDemoCredit } from './seed-demo-credit.ts';
import { seedDemoKeyTasks } from './seed-demo-key-tasks.ts';
import { createRandom } from '@cityops/domain/random';
import { DEMO_COMPONENT_MIX, DEMO_COMPONENT_STATES, demoDepartments, personName } from './demo-organisation.ts';

/** Every demo account signs in with this password (README.md); the Open311 key of the demo city is `demo`. */
export const DEMO_PASSWORD = 'demo12345';
export const DEMO_API_KEY = 'demo';

export interface DemoOptions {
  seed: number;
  targetGrids: number;
  /** Cases a grid sees in the year of history (0: no history). Default 10. */
  casesPerGridYear?: number;
  /** The history ends here (default: now); the same seed and end give the same cases. */
  historyUntil?: number;
  /** Twelve months of comprehensive evaluations over the history (default: whenever there is a history). */
  evaluations?: boolean;
  log?: (message: string) => void;
}

export async function seedDemoCityIfEmpty(db: Kysely<Database>, options: DemoOptions): Promise<boolean> {
  const any = await db.selectFrom('territory_nodes').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  await seedDemoCity(db, options);
  return true;
}

/**
 * A fictional city, deterministic from the seed: territory with polygons, departments, staff in every
 * role, components, 立结案标准 and the documented demo API key. Everything goes through the same import
 * paths an operator uses, so the demo city is checked by the same rules as real data.
 */
export async function seedDemoCity(db: Kysely<Database>, options: DemoOptions) {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const existing = await db.selectFrom('territory_nodes').select('id').limit(1).executeTakeFirst();
  if (existing) throw new Error('the database already has a territory; seed the demo city into an empty database');
  const actor = cliActor();
  const random = createRandom(options.seed);
  await seedBaseData(db, actor);

  const layout = generateCityLayout({ seed: options.seed, targetGrids: options.targetGrids });
  const territory = await importTerritory(db, actor, layout.nodes.map((n, i) => ({
    row: i + 1, code: n.code, name: n.name, level: n.level, parentCode: n.parentCode, areaClass: n.areaClass, kind: n.kind ?? null, geometry: n.geometry,
  })));
  log(`territory: ${JSON.stringify(territory.byLevel)}`);

  const city = layout.nodes.find((n) => n.level === 'city')!;
  const districts = layout.nodes.filter((n) => n.level === 'district');
  const streets = layout.nodes.filter((n) => n.level === 'street');
  const communities = layout.nodes.filter((n) => n.level === 'community');
  const grids = layout.nodes.filter((n) => n.level === 'grid');
  const departments = demoDepartments(city, districts, streets);
  const now = Date.now();
  const nodeIds = new Map((await db.selectFrom('territory_nodes').select(['id', 'code']).where('level', '!=', 'grid').execute()).map((n) => [n.code, n.id]));
  for (let i = 0; i < departments.length; i += 200) {
    await db.insertInto('departments').values(departments.slice(i, i + 200).map((d) => ({
      code: d.code, name: d.name, kind: d.kind, territory_node_id: nodeIds.get(d.territoryCode)!, parent_id: null,
      phone: `0${990 + (i % 9)}-${String(81000000 + Math.floor(random() * 999999)).slice(0, 8)}`, active: 1, created_at: now, updated_at: now,
    }))).execute();
  }
  const deptIds = new Map((await db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const units = [
    ...districts.map((d) => ({ territory_node_id: nodeIds.get(d.code)!, department_id: deptIds.get(`${d.code}-ZF`)!, duty: 'territorial' })),
    ...streets.map((s) => ({ territory_node_id: nodeIds.get(s.code)!, department_id: deptIds.get(`${s.code}-BSC`)!, duty: 'territorial' })),
  ];
  for (let i = 0; i < units.length; i += 300) await db.insertInto('territory_responsible_units').values(units.slice(i, i + 300)).execute();
  log(`departments: ${departments.length}`);

  // Overlays: every community is a 考核网格; each street has a 责任区, a 路长 road segment across it and 门前三包
  // frontages along that road.
  const overlays = [
    ...communities.map((c, i) => ({ row: i + 1, code: `EG${c.code}`, name: `${c.name}考核网格`, kind: 'evaluation_grid' as const, territoryCode: c.parentCode!, departmentCode: null, person: null, geometry: c.geometry })),
    ...streets.map((s, i) => ({ row: i + 1, code: `DA${s.code}`, name: `${s.name}责任区`, kind: 'duty_area' as const, territoryCode: s.code, departmentCode: `${s.code}-BSC`, person: personName(random), geometry: s.geometry })),
    ...streets.flatMap((s, i) => {
      const [minLon, minLat, maxLon, maxLat] = bboxOf(s.geometry);
      const lat = minLat + (maxLat - minLat) * (0.3 + 0.4 * random());
      const half = 0.00015; // about 30 m wide
      const strip = { type: 'Polygon' as const, coordinates: [[[minLon, lat - half], [maxLon, lat - half], [maxLon, lat + half], [minLon, lat + half], [minLon, lat - half]] as [number, number][]] };
      return [{ row: i + 1, code: `RS${s.code}01`, name: `${s.name.replace(/(街道|镇|乡)$/, '')}大道路段`, kind: 'road_segment' as const, territoryCode: s.code, departmentCode: `${s.code}-BSC`, person: personName(random), geometry: strip }];
    }),
  ];
  // 门前三包: a stretch of shops on each road, from a random stream of their own so that nothing else changes.
  const streetGeometry = new Map(streets.map((s) => [s.code, s.geometry]));
  const frontages = demoFrontages(overlays.filter((o) => o.kind === 'road_segment'), (code) => streetGeometry.get(code)!, createRandom(options.seed * 7_919 + 17));
  await importOverlays(db, actor, [...overlays, ...frontages]);
  log(`overlays: ${communities.length} evaluation grids, ${streets.length} duty areas, ${streets.length} road segments, ${frontages.length} frontages`);

  const standards = await importCaseStandards(db, actor, parseCaseStandardsCsv(readSeedFile('case-standards-default.csv')));
  log(`case standards: ${standards.created}`);

  // Staff: one shared hash, because every demo account has the same documented password.
  const hash = await hashPassword(DEMO_PASSWORD);
  const staff: { username: string; grants: GrantInput[] }[] = [
    { username: 'admin', grants: [{ role: 'admin', territoryCode: city.code }] },
    { username: 'kpb', grants: [{ role: 'evaluation_office', territoryCode: city.code }] },
    { username: 'leader', grants: [{ role: 'leader', territoryCode: city.code }] },
    ...[1, 2, 3, 4].map((n) => ({ username: `shouli${n}`, grants: [{ role: 'acceptor', territoryCode: city.code }] })),
    ...[1, 2].map((n) => ({ username: `zhibanzhang${n}`, grants: [{ role: 'shift_chief', territoryCode: city.code }] })),
    ...[1, 2, 3].map((n) => ({ username: `paiqian${n}`, grants: [{ role: 'dispatcher', territoryCode: city.code }] })),
    ...[1, 2, 3].map((n) => ({ username: `dsf${n}`, grants: [{ role: 'third_party_evaluator', territoryCode: city.code }] })),
    ...districts.map((d) => ({ username: `qu${d.code}`, grants: [{ role: 'territory_government', territoryCode: d.code }] })),
    ...districts.map((d) => ({ username: `leader${d.code}`, grants: [{ role: 'leader', territoryCode: d.code }] })),
    ...streets.map((s) => ({ username: `jd${s.code}`, grants: [{ role: 'territory_government', territoryCode: s.code }] })),
    ...streets.map((s) => ({ username: `jdy${s.code}`, grants: [{ role: 'inspector', territoryCode: s.code }] })),
    ...departments.filter((d) => d.kind === 'professional' || d.kind === 'collaborative' || d.kind === 'territorial')
      .map((d) => ({ username: `bm-${d.code.toLowerCase()}`, grants: [{ role: 'department', departmentCode: d.code }] })),
    ...[1, 2, 3].map((n) => ({ username: `public${n}`, grants: [{ role: 'public' }] })),
  ];
  for (const s of staff) {
    await createUser(db, actor, { username: s.username, displayName: personName(random), password: DEMO_PASSWORD, grants: s.grants }, now, hash);
  }
  log(`users: ${staff.length}`);

  // Components: a few per grid, placed at random points inside the grid polygon.
  const index = new GridIndex(grids.map((g, i) => ({ id: i, geometry: g.geometry })));
  const totalWeight = DEMO_COMPONENT_MIX.reduce((s, c) => s + c.weight, 0);
  const sequence = new Map<string, number>();
  const features = [];
  for (let gi = 0; gi < grids.length; gi++) {
    const grid = grids[gi]!;
    const [minLon, minLat, maxLon, maxLat] = bboxOf(grid.geometry);
    const count = 2 + Math.floor(random() * 5);
    for (let k = 0; k < count; k++) {
      let lon = 0;
      let lat = 0;
      for (let attempt = 0; attempt < 20; attempt++) {
        // Rounded before the check: the stored point is the rounded one, and it must stay in this grid.
        lon = Math.round((minLon + (maxLon - minLon) * random()) * 1e7) / 1e7;
        lat = Math.round((minLat + (maxLat - minLat) * random()) * 1e7) / 1e7;
        if (index.locate(lon, lat) === gi) break;
      }
      if (index.locate(lon, lat) !== gi) continue;
      let pick = random() * totalWeight;
      const mix = DEMO_COMPONENT_MIX.find((c) => (pick -= c.weight) < 0) ?? DEMO_COMPONENT_MIX[0]!;
      const districtCode = grid.code.slice(0, 6);
      const key = `${districtCode}${mix.classCode}`;
      const seq = (sequence.get(key) ?? 0) + 1;
      sequence.set(key, seq);
      let roll = random();
      const state = DEMO_COMPONENT_STATES.find(([, p]) => (roll -= p) < 0)?.[0] ?? 'intact';
      features.push({
        type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { code: `${key}${String(seq).padStart(6, '0')}`, class_code: mix.classCode, state, maintainer_department_code: mix.maintainer, owner_department_code: mix.maintainer, initial_date: '20250315', data_source: '实测' },
      });
    }
  }
  const components = await importComponents(db, new TerritoryLocator(db), actor, parseComponentFeatures({ type: 'FeatureCollection', features }));
  log(`components: ${components.created}`);

  await db.transaction().execute((trx) => createApiKey(trx, actor, { name: 'demo', client: 'Open311 demo client' }, DEMO_API_KEY));

  const casesPerGridYear = options.casesPerGridYear ?? 10;
  let history: Awaited<ReturnType<typeof seedDemoHistory>> | null = null;
  if (casesPerGridYear > 0) {
    const departmentUsers = new Map(staff.flatMap((s) => s.grants.flatMap((g) => (g.role === 'department' && g.departmentCode ? [[g.departmentCode, s.username] as const] : []))));
    history = await seedDemoHistory(db, layout.nodes, { usernames: staff.map((s) => s.username), departmentUsers }, { seed: options.seed, until: options.historyUntil ?? Date.now(), casesPerGridYear });
    log(`case history: ${history.cases} cases, ${history.events} events (${history.from} – ${history.to})`);
    if (options.evaluations !== false) {
      const evaluations = await seedDemoEvaluations(db, { seed: options.seed, cityCode: city.code, districtCodes: districts.map((d) => d.code), until: options.historyUntil ?? Date.now() });
      log(`comprehensive evaluations: ${evaluations.months} months published, ${evaluations.findings} findings, ${evaluations.appeals} appeals`);
    }
    const credit = await seedDemoCredit(db, { seed: options.seed, until: options.historyUntil ?? Date.now() });
    log(`credit register: ${credit.subjects} subjects, ${credit.entries} entries; shops at ${credit.shops.map((s) => s.frontage).join(', ')}`);
    const keyTasks = await seedDemoKeyTasks(db, { cityCode: city.code, districtCodes: districts.map((d) => d.code), until: options.historyUntil ?? Date.now() });
    log(`key tasks: ${keyTasks.tasks} tasks, ${keyTasks.milestones} milestones, ${keyTasks.reports} progress reports, ${keyTasks.flagged} overdue`);
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  log(`demo city seeded in ${seconds} s`);
  return { territory: territory.byLevel, departments: departments.length, users: staff.length, components: components.created, caseStandards: standards.created, cases: history?.cases ?? 0, caseEvents: history?.events ?? 0, apiKey: DEMO_API_KEY, seconds };
}
