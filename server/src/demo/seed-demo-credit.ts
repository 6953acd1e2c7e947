// A small credit register (信用积分) for the demo city, so the office's and the public credit pages show
// something on a fresh demo: shops, sanitation contractors and muck-transport companies with valid unified
// social credit codes (drawn from the seed, check character computed), two contractors linked to a duty area
// and a road segment (the hourly points sweep prices the cases there), and a few cases of the current year
// attributed by the office to shops and muck-transport companies, through the same services the office uses.
// The shipped credit rules (version 0) price them. Deterministic for a seed and history.
import type { Actor } from '@cityops/domain/access/scope';
import { beijingYear, beijingYearRange } from '@cityops/domain/points/engine';
import { creditCodeCheckCharacter } from '@cityops/domain/points/credit-code';
import { createRandom } from '@cityops/domain/random';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadGrants } from '../access/access.service.ts';
import { createSubject, enterCreditEntry } from '../points/credit.service.ts';
import { personName } from './demo-organisation.ts';

/** A valid code: registration authority and kind (91 enterprise, 92 individual business), the division, a drawn 9-digit organisation code, the check character. */
export function demoCreditCode(random: () => number, prefix: '91' | '92', division: string): string {
  const org = String(Math.floor(random() * 1e9)).padStart(9, '0');
  const first17 = `${prefix}${division}${org}`;
  return first17 + creditCodeCheckCharacter(first17);
}

interface DemoSubject { kind: 'frontage_shop' | 'sanitation_contractor' | 'muck_transport'; name: string; address: string; areaCode?: string; cases?: { classCode: string; count: number }; goodConduct?: { points: number; reason: string } }

export async function seedDemoCredit(db: Kysely<Database>, options: { seed: number; until: number }): Promise<{ subjects: number; entries: number }> {
  const random = createRandom(options.seed * 104_729 + 31);
  const user = await db.selectFrom('users').select(['id', 'username']).where('username', '=', 'kpb').executeTakeFirstOrThrow();
  const office: Actor = { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
  const duty = await db.selectFrom('responsibility_areas').select(['code', 'name']).where('kind', '=', 'duty_area').orderBy('code').executeTakeFirst();
  const road = await db.selectFrom('responsibility_areas').select(['code', 'name']).where('kind', '=', 'road_segment').orderBy('code').executeTakeFirst();
  const district = await db.selectFrom('territory_nodes').select(['code', 'name']).where('level', '=', 'district').orderBy('code').executeTakeFirstOrThrow();
  const place = district.name.replace(/(区|县|市)$/, '');
  const subjects: DemoSubject[] = [
    { kind: 'frontage_shop', name: `${place}鑫源餐馆`, address: `${district.name}人民路18号`, cases: { classCode: '09005', count: 3 } },
    { kind: 'frontage_shop', name: `${place}惠民便利店`, address: `${district.name}解放路102号`, cases: { classCode: '06036', count: 1 } },
    { kind: 'frontage_shop', name: `${place}锦华五金店`, address: `${district.name}建设路7号`, goodConduct: { points: 2, reason: '主动清理门前乱堆物料，落实门前三包' } },
    ...(duty ? [{ kind: 'sanitation_contractor' as const, name: `${place}洁美环境卫生服务有限公司`, address: `${district.name}工业园3号`, areaCode: duty.code }] : []),
    ...(road ? [{ kind: 'sanitation_contractor' as const, name: `${place}绿城保洁有限公司`, address: `${district.name}环城东路55号`, areaCode: road.code }] : []),
    { kind: 'muck_transport', name: `${place}顺达渣土运输有限公司`, address: `${district.name}物流园9号`, cases: { classCode: '06014', count: 2 } },
    { kind: 'muck_transport', name: `${place}宏基建筑垃圾清运有限公司`, address: `${district.name}城南路88号`, cases: { classCode: '06014', count: 1 } },
  ];
  // Cases of the current year only: the credit list shows this year, and each case is attributed once.
  const year = beijingYear(options.until);
  const { fromMs } = beijingYearRange(year);
  const used = new Set<string>();
  let entries = 0;
  for (const s of subjects) {
    const enterprise = s.kind !== 'frontage_shop';
    const { id } = await createSubject(db, office, {
      kind: s.kind, name: s.name, creditCode: demoCreditCode(random, enterprise ? '91' : '92', district.code.slice(0, 6)), address: s.address, areaCode: s.areaCode ?? null,
      contactName: personName(random), contactPhone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
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
  return { subjects: subjects.length, entries };
}
