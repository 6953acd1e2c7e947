// A small credit register (信用积分) for the demo city, so the office's and the public credit pages show
// something on a fresh demo: shops, sanitation contractors and muck-transport companies with valid unified
// social credit codes (drawn from the seed, check character computed). Three shops of the demo's streets are
// registered with their 门前三包 frontage (demo-frontages.ts): the one whose frontage saw the most 店外经营 (09005)
// cases this year, the one with the most 乱堆杂物 (06036), and a clean one praised for good conduct; two
// contractors are linked to a duty area and a road segment. The points sweep (the hourly job) then prices the
// cases in those overlays: a shop's violations are the demo's own cases at its door. Muck-transport companies
// have no overlay: the office attributes a few cases of the current year to them, through the same services it
// uses. The shipped credit rules (version 0) price them. Deterministic for a seed and history.
import type { Actor } from '@cityops/domain/access/scope';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import type { Polygon } from '@cityops/domain/geo/geometry';
import { beijingYear, beijingYearRange } from '@cityops/domain/points/engine';
import { creditCodeCheckCharacter } from '@cityops/domain/points/credit-code';
import { createRandom, pick } from '@cityops/domain/random';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadGrants } from '../access/access.service.ts';
import { createSubject, enterCreditEntry } from '../points/credit.service.ts';
import { currentRules } from '../points/rule-sets.service.ts';
import { personName } from './demo-organisation.ts';
import { parseFrontageName } from './demo-frontages.ts';

/** A valid code: registration authority and kind (91 enterprise, 92 individual business), the division, a drawn 9-digit organisation code, the check character. */
export function demoCreditCode(random: () => number, prefix: '91' | '92', division: string): string {
  const org = String(Math.floor(random() * 1e9)).padStart(9, '0');
  const first17 = `${prefix}${division}${org}`;
  return first17 + creditCodeCheckCharacter(first17);
}

interface DemoSubject { kind: 'frontage_shop' | 'sanitation_contractor' | 'muck_transport'; name: string; address: string; division: string; areaCode?: string; contact?: string; cases?: { classCode: string; count: number }; goodConduct?: { points: number; reason: string } }

/** The registered shops: which frontage each is drawn from (by the cases at its door) and what the office enters. */
const DEMO_SHOPS: ({ mostCasesOf: string } | { clean: true; goodConduct: { points: number; reason: string } })[] = [
  { mostCasesOf: '09005' },
  { mostCasesOf: '06036' },
  { clean: true, goodConduct: { points: 2, reason: '主动清理门前乱堆物料，落实门前三包' } },
];

interface Frontage { code: string; name: string; person: string | null; streetCode: string; geometry: Polygon }

/**
 * The shops to register, each with its frontage: the frontage with the most cases of the shop's class this year
 * (then the most priced cases of any class, then the first code); a clean shop's has no priced case in the
 * sweep's two years.
 */
async function demoShops(db: Kysely<Database>, random: () => number, until: number): Promise<DemoSubject[]> {
  const frontages: Frontage[] = (await db.selectFrom('responsibility_areas as a').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id')
    .select(['a.code', 'a.name', 'a.responsible_person', 'a.geometry', 't.code as street_code']).where('a.kind', '=', 'frontage').orderBy('a.code').execute())
    .map((f) => ({ code: f.code, name: f.name, person: f.responsible_person, streetCode: f.street_code, geometry: JSON.parse(f.geometry) as Polygon }));
  if (!frontages.length) return [];
  const { rules } = await currentRules(db, 'credit');
  const priced = [...new Set(rules.violations.filter((v) => v.subjectKinds.includes('frontage_shop')).map((v) => v.classCode))];
  const year = beijingYear(until);
  const thisYear = beijingYearRange(year).fromMs;
  const cases = await db.selectFrom('cases').select(['class_code', 'lon', 'lat', 'reported_at']).where('class_code', 'in', priced).where('registered_at', 'is not', null)
    .where('merged_into_id', 'is', null).where('reported_at', '>=', beijingYearRange(year - 1).fromMs).where('reported_at', '<', until).execute();
  const index = new GridIndex(frontages.map((f, i) => ({ id: i, geometry: f.geometry })));
  const counts = frontages.map(() => ({ both: 0, year: 0, byClass: new Map<string, number>() }));
  for (const c of cases) {
    const i = index.locate(c.lon, c.lat);
    if (i < 0) continue;
    const n = counts[i]!;
    n.both++;
    if (Number(c.reported_at) < thisYear) continue;
    n.year++;
    n.byClass.set(c.class_code, (n.byClass.get(c.class_code) ?? 0) + 1);
  }
  const districts = new Map((await db.selectFrom('territory_nodes').select(['code', 'name']).where('level', '=', 'district').execute()).map((d) => [d.code, d.name]));
  const taken = new Set<number>();
  const shops: DemoSubject[] = [];
  for (const spec of DEMO_SHOPS) {
    const free = frontages.map((_, i) => i).filter((i) => !taken.has(i));
    if (!free.length) break;
    let chosen: number;
    if ('mostCasesOf' in spec) {
      const ofClass = (i: number) => counts[i]!.byClass.get(spec.mostCasesOf) ?? 0;
      chosen = free.reduce((best, i) => (ofClass(i) > ofClass(best) || (ofClass(i) === ofClass(best) && counts[i]!.year > counts[best]!.year) ? i : best));
    } else {
      const clean = free.filter((i) => counts[i]!.both === 0);
      chosen = clean.length ? pick(random, clean) : free.reduce((best, i) => (counts[i]!.both < counts[best]!.both ? i : best));
    }
    taken.add(chosen);
    const f = frontages[chosen]!;
    const named = parseFrontageName(f.name);
    const districtName = districts.get(f.streetCode.slice(0, 6)) ?? '';
    shops.push({
      kind: 'frontage_shop', name: `${districtName.replace(/(区|县|市)$/, '')}${named?.shop ?? f.name}`, address: named ? `${districtName}${named.road}${named.houseNumber}号` : districtName,
      division: f.streetCode.slice(0, 6), areaCode: f.code, ...(f.person ? { contact: f.person } : {}), ...('goodConduct' in spec ? { goodConduct: spec.goodConduct } : {}),
    });
  }
  return shops;
}

export async function seedDemoCredit(db: Kysely<Database>, options: { seed: number; until: number }): Promise<{ subjects: number; entries: number; shops: { name: string; frontage: string }[] }> {
  const random = createRandom(options.seed * 104_729 + 31);
  const user = await db.selectFrom('users').select(['id', 'username']).where('username', '=', 'kpb').executeTakeFirstOrThrow();
  const office: Actor = { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
  const duty = await db.selectFrom('responsibility_areas').select(['code', 'name']).where('kind', '=', 'duty_area').orderBy('code').executeTakeFirst();
  const road = await db.selectFrom('responsibility_areas').select(['code', 'name']).where('kind', '=', 'road_segment').orderBy('code').executeTakeFirst();
  const district = await db.selectFrom('territory_nodes').select(['code', 'name']).where('level', '=', 'district').orderBy('code').executeTakeFirstOrThrow();
  const place = district.name.replace(/(区|县|市)$/, '');
  const division = district.code.slice(0, 6);
  const subjects: DemoSubject[] = [
    ...(await demoShops(db, random, options.until)),
    ...(duty ? [{ kind: 'sanitation_contractor' as const, name: `${place}洁美环境卫生服务有限公司`, address: `${district.name}工业园3号`, division, areaCode: duty.code }] : []),
    ...(road ? [{ kind: 'sanitation_contractor' as const, name: `${place}绿城保洁有限公司`, address: `${district.name}环城东路55号`, division, areaCode: road.code }] : []),
    { kind: 'muck_transport', name: `${place}顺达渣土运输有限公司`, address: `${district.name}物流园9号`, division, cases: { classCode: '06014', count: 2 } },
    { kind: 'muck_transport', name: `${place}宏基建筑垃圾清运有限公司`, address: `${district.name}城南路88号`, division, cases: { classCode: '06014', count: 1 } },
  ];
  // Attributed cases of the current year only: the credit list shows this year, and each case is attributed once.
  const { fromMs } = beijingYearRange(beijingYear(options.until));
  const used = new Set<string>();
  let entries = 0;
  for (const s of subjects) {
    const enterprise = s.kind !== 'frontage_shop';
    const { id } = await createSubject(db, office, {
      kind: s.kind, name: s.name, creditCode: demoCreditCode(random, enterprise ? '91' : '92', s.division), address: s.address, areaCode: s.areaCode ?? null,
      contactName: s.contact ?? personName(random), contactPhone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    }, options.until);
    if (s.cases) {
      const cases = await db.selectFrom('cases').select('code').where('class_code', '=', s.cases.classCode).where('registered_at', 'is not', null).where('merged_into_id', 'is', null)
        .where('reported_at', '>=', fromMs).where('reported_at', '<', options.until).orderBy('code').execute();
      for (const c of cases.filter((x) => !used.has(x.code)).slice(0, s.cases.count)) {
        used.add(c.code);
        await enterCreditEntry(db, office, id, { kind: 'violation', caseCode: c.code }, options.until);
        entries++;
      }
    }
    if (s.goodConduct) {
      await enterCreditEntry(db, office, id, { kind: 'good_conduct', ...s.goodConduct }, options.until);
      entries++;
    }
  }
  return { subjects: subjects.length, entries, shops: subjects.filter((s) => s.kind === 'frontage_shop').map((s) => ({ name: s.name, frontage: s.areaCode! })) };
}
