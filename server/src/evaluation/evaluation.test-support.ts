// A small city for the comprehensive evaluation: four districts side by side (990101–990104), each with
// one street, one community and two grids; the office, two third-party evaluators and each district's
// government; a checklist and a scheme whose month can be worked out by hand.
import type { Actor } from '@cityops/domain/access/scope';
import type { ChecklistStandard } from '@cityops/domain/evaluation/checklist';
import type { ComprehensiveScheme } from '@cityops/domain/evaluation/scheme';
import { actorForSession } from '../access/access.service.ts';
import { cliActor } from '../audit/audit.ts';
import { importCaseStandards } from '../catalog/case-standards.service.ts';
import { square } from '../test/fixtures.ts';
import { TEST_PASSWORD, type TestClient } from '../test/http.ts';
import { importTerritory, parseTerritoryFeatures } from '../territory/territory-import.ts';

export const CITY = '990100';
export const DISTRICTS = ['990101', '990102', '990103', '990104'] as const;

export function fourDistrictTerritory() {
  const feature = (code: string, name: string, level: string, parent: string | null, geometry: unknown) => ({ type: 'Feature', properties: { code, name, level, parent_code: parent }, geometry });
  const features = [feature(CITY, '考评市', 'city', null, { type: 'Polygon', coordinates: [[[118.8, 32.0], [118.808, 32.0], [118.808, 32.002], [118.8, 32.002], [118.8, 32.0]]] })];
  DISTRICTS.forEach((d, k) => {
    const lon = 118.8 + 0.002 * k;
    const whole = square(lon, 32.0, 0.002);
    features.push(
      feature(d, `第${k + 1}区`, 'district', CITY, whole),
      feature(`${d}001`, `第${k + 1}区街道`, 'street', d, whole),
      feature(`${d}001001`, `第${k + 1}区社区`, 'community', `${d}001`, whole),
      feature(`${d}001001001`, `第${k + 1}区网格一`, 'grid', `${d}001001`, square(lon, 32.0, 0.001)),
      feature(`${d}001001002`, `第${k + 1}区网格二`, 'grid', `${d}001001`, square(lon + 0.001, 32.0, 0.001)),
    );
  });
  return { type: 'FeatureCollection', features };
}

export const TEST_CHECKLIST: ChecklistStandard = {
  name: '测试考评标准',
  items: [
    { code: 'A01', area: 'sanitation', zh: '暴露垃圾', en: 'Exposed garbage', deduction: 0.5, cap: 5, evidence: ['photo', 'gps'], classCode: '06010' },
    { code: 'A02', area: 'facilities', zh: '井盖缺失', en: 'Missing manhole cover', deduction: 2, cap: 6, evidence: ['photo', 'gps'], classCode: '01023' },
    { code: 'A03', area: 'appearance', zh: '非法小广告', en: 'Illegal flyers', deduction: 0.2, cap: 3, evidence: ['photo', 'gps'], classCode: '07001' },
  ],
};

/** Inspection 60, two entered components of 20; 4 points per district, deductions scaled to 8 points (× 2). */
export const TEST_SCHEME: ComprehensiveScheme = {
  name: '2026年度考评市月度综合考评方案', year: 2026, parentCode: CITY,
  components: [
    { code: 'inspection', zh: '第三方暗访', en: 'Third-party inspection', kind: 'inspection', weight: 60 },
    { code: 'special_tasks', zh: '专项工作', en: 'Special tasks', kind: 'entered', weight: 20 },
    { code: 'survey', zh: '群众满意度调查', en: 'Public survey', kind: 'entered', weight: 20 },
  ],
  inspection: { checklistCode: 'test', pointsPerUnit: 4, referencePoints: 8 },
  adjustments: [
    { code: 'major_event', zh: '重大活动保障', en: 'Support of major events', kind: 'bonus', cap: 5 },
    { code: 'media_exposure', zh: '媒体曝光', en: 'Exposed by the media', kind: 'penalty', cap: 5 },
  ],
  handicaps: [{ unitCode: '990101', points: -1, reason: '中心城区下调一个百分点' }],
  warningShare: 0.3, minScoredWeight: 60,
  ties: { breakBy: ['inspection'], money: 'split' },
  ladder: { rewards: [1_000_000, 500_000], penalties: [1_000_000, 300_000] },
  appealDays: 5,
};

export interface EvaluationWorld {
  tokens: { office: string; evaluator1: string; evaluator2: string; gov: string[]; leader: string };
  actors: { office: Actor };
  userIds: Record<string, number>;
}

export async function buildEvaluationCity(client: TestClient): Promise<EvaluationWorld> {
  const db = client.database.db;
  await importTerritory(db, cliActor(), parseTerritoryFeatures(fourDistrictTerritory()));
  // The rectification cases of the findings need the 立结案标准 of their classes.
  const standard = (classCode: string, limit: number) => ({
    classKind: 'matter' as const, classCode, territoryCode: null, disposal: '处置', registrationCondition: '第三方暗访发现', closingCondition: '整改完毕',
    departmentRule: 'territorial:street', urgency: 'normal' as const, limit: { value: limit, unit: 'working_hours' as const },
  });
  await importCaseStandards(db, cliActor(), [standard('06010', 4), standard('01023', 2), standard('07001', 8)]);
  const login = async (username: string, grants: { role: string; territoryCode: string }[]) => {
    await client.createUser(grants, username);
    const res = await client.request('POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
    return res.json().token as string;
  };
  const office = await login('office', [{ role: 'evaluation_office', territoryCode: CITY }]);
  const evaluator1 = await login('evaluator1', [{ role: 'third_party_evaluator', territoryCode: CITY }]);
  const evaluator2 = await login('evaluator2', [{ role: 'third_party_evaluator', territoryCode: CITY }]);
  const leader = await login('leader', [{ role: 'leader', territoryCode: CITY }]);
  const gov: string[] = [];
  for (const d of DISTRICTS) gov.push(await login(`gov${d}`, [{ role: 'territory_government', territoryCode: d }]));
  const users = await db.selectFrom('users').select(['id', 'username']).execute();
  return {
    tokens: { office, evaluator1, evaluator2, gov, leader },
    actors: { office: (await actorForSession(db, office))! },
    userIds: Object.fromEntries(users.map((u) => [u.username, u.id])),
  };
}
