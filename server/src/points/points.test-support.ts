// A month of findings and cases that both points tests work from by hand. The evaluation's four-district city
// (evaluation.test-support.ts); in district 990101 three overlays:
//   R1  road segment  [118.8000,32.0000]–[118.8010,32.0010]  street 990101001, no department → the street answers
//   F1  frontage      [118.8000,32.0000]–[118.8004,32.0004]  inside R1, department HWC → HWC answers
//   D2A duty area     [118.8010,32.0000]–[118.8015,32.0005]  street 990101001 → the street answers
// October 2025 (an ended year, so it can be closed), third-party findings of the test checklist (A01 暴露垃圾
// 06010, A03 非法小广告 07001), each opening its rectification case at the same place and time:
//   fA F1  A01 × 2  13 Oct 09:00     fB R1 (outside F1) A03 × 1  14 Oct 09:00     fC D2A A01 × 3  15 Oct 09:00
//   fD no overlay A01 × 1  15 Oct 09:30     fE F1  A01 × 1  21 Oct 09:00
// Cases: cA and cE accepted and registered (cE: the same class in F1 eight days after cA, a repeat); cA dispatched
// to HWC on 13 Oct 10:00 and cC (registered) on 15 Oct 10:00, neither handled: both overdue.
import type { Actor } from '@cityops/domain/access/scope';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { actorForSession } from '../access/access.service.ts';
import type { GrantInput } from '../access/users.service.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { applyTransition, type ActionRequest } from '../cases/case-transitions.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import { buildEvaluationCity, TEST_CHECKLIST, TEST_SCHEME, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { square } from '../test/fixtures.ts';
import type { TestClient } from '../test/http.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';

export const PLACES = {
  fA: { lon: 118.8002, lat: 32.0002 }, fB: { lon: 118.8008, lat: 32.0008 }, fC: { lon: 118.8012, lat: 32.0003 }, fD: { lon: 118.8018, lat: 32.0008 }, fE: { lon: 118.8001, lat: 32.0001 },
};

export interface PointsWorld extends EvaluationWorld {
  admin: string;
  hwc: { id: number; token: string };
  findings: Record<'fA' | 'fB' | 'fC' | 'fD' | 'fE', { id: number; caseId: number }>;
  dueAt: { cA: number; cC: number };
  /** Takes a workflow step on a case as one of the world's staff, at a Beijing time ('2025-10-13 09:20') or an instant. */
  act: (who: 'acceptor' | 'shiftChief' | 'dispatcher' | 'department' | 'inspector', caseId: number, action: string, at: string | number, input?: ActionRequest) => Promise<unknown>;
}

async function ok(res: { statusCode: number; body: string; json(): unknown }, status = 200) {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json() as Record<string, unknown>;
}

export async function buildPointsWorld(client: TestClient): Promise<PointsWorld> {
  const db = client.database.db;
  const world = await buildEvaluationCity(client);
  const now = Date.now();
  const cityId = (await db.selectFrom('territory_nodes').select('id').where('code', '=', '990100').executeTakeFirstOrThrow()).id;
  const hwcId = (await db.insertInto('departments').values({ code: 'HWC', name: '市环境卫生管理处', kind: 'professional', territory_node_id: cityId, parent_id: null, phone: null, active: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  const admin = await client.tokenFor([{ role: 'admin', territoryCode: '990100' }]);
  const overlay = (code: string, name: string, kind: string, geometry: unknown, department: string | null) => ({ type: 'Feature', geometry, properties: { code, name, kind, territory_code: '990101001', department_code: department, responsible_person: '张路长' } });
  await ok(await client.request('POST', '/api/territory/responsibility-areas/import', { token: admin, body: { type: 'FeatureCollection', features: [
    overlay('R1', '中山路(一段)', 'road_segment', square(118.8, 32.0, 0.001), null),
    overlay('F1', '中山路1号门前', 'frontage', square(118.8, 32.0, 0.0004), 'HWC'),
    overlay('D2A', '第一责任区', 'duty_area', square(118.801, 32.0, 0.0005), null),
  ] } }));

  const office = (method: 'POST' | 'PUT', url: string, body: unknown) => client.request(method, url, { token: world.tokens.office, body });
  await ok(await office('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST }));
  await ok(await office('PUT', '/api/evaluation/schemes/city-2025', { scheme: { ...TEST_SCHEME, year: 2025, name: '2025年度考评市月度综合考评方案' } }));
  const round = await ok(await office('POST', '/api/evaluation/rounds', { schemeCode: 'city-2025', period: '2025-10', seed: 7 }), 201);
  const points = round.points as { id: number; unit: { code: string }; evaluator: { id: number } }[];
  const p = points.find((x) => x.unit.code === '990101')!;
  const token = p.evaluator.id === world.userIds.evaluator1 ? world.tokens.evaluator1 : world.tokens.evaluator2;
  const find = async (place: { lon: number; lat: number }, itemCode: string, occurrences: number, foundAt: string) => {
    const body = await ok(await client.request('POST', `/api/evaluation/rounds/${round.id as number}/findings`, { token, body: { pointId: p.id, itemCode, occurrences, location: place, foundAt, attachmentId: await uploadPhoto(client, token) } }), 201);
    return { id: body.findingId as number, caseId: body.caseId as number };
  };
  const findings = {
    fA: await find(PLACES.fA, 'A01', 2, '2025-10-13 09:00'),
    fB: await find(PLACES.fB, 'A03', 1, '2025-10-14 09:00'),
    fC: await find(PLACES.fC, 'A01', 3, '2025-10-15 09:00'),
    fD: await find(PLACES.fD, 'A01', 1, '2025-10-15 09:30'),
    fE: await find(PLACES.fE, 'A01', 1, '2025-10-21 09:00'),
  };

  const actorOf = async (role: GrantInput['role'], grant: { territoryCode: string }) => (await actorForSession(db, await client.tokenFor([{ role, ...grant }])))!;
  const city = { territoryCode: '990100' };
  const actors: Record<string, Actor> = { acceptor: await actorOf('acceptor', city), shiftChief: await actorOf('shift_chief', city), dispatcher: await actorOf('dispatcher', city), inspector: await actorOf('inspector', city) };
  const act = (who: string, caseId: number, action: string, at: string | number, input: ActionRequest = {}) =>
    db.transaction().execute(async (trx) => applyTransition(trx, await workflowDeps({ calendars: new CalendarCache(db), locator: new TerritoryLocator(db) }, trx), actors[who]!, caseId, action, input, typeof at === 'number' ? at : bj(at)));
  for (const [c, day] of [[findings.fA.caseId, '2025-10-13'], [findings.fC.caseId, '2025-10-15'], [findings.fE.caseId, '2025-10-21']] as const) {
    await act('acceptor', c, 'accept', `${day} 09:20`);
    await act('shiftChief', c, 'register', `${day} 09:40`);
  }
  await act('dispatcher', findings.fA.caseId, 'dispatch', '2025-10-13 10:00', { departmentId: hwcId });
  await act('dispatcher', findings.fC.caseId, 'dispatch', '2025-10-15 10:00', { departmentId: hwcId });
  const due = async (id: number) => Number((await db.selectFrom('cases').select('handling_due_at').where('id', '=', id).executeTakeFirstOrThrow()).handling_due_at);
  const hwcToken = await client.tokenFor([{ role: 'department', departmentCode: 'HWC' }]);
  actors.department = (await actorForSession(db, hwcToken))!;
  return { ...world, admin, hwc: { id: hwcId, token: hwcToken }, findings, dueAt: { cA: await due(findings.fA.caseId), cC: await due(findings.fC.caseId) }, act };
}

/** Thresholds small enough for a month by hand. */
export const TEST_RULES = {
  name: '测试累计加减分规则',
  overlayPrecedence: ['frontage', 'road_segment', 'duty_area'],
  events: {
    finding: { frontage: -1, road_segment: -1, duty_area: -0.5 },
    case_overdue: { frontage: -2, road_segment: -2, duty_area: -1 },
    case_repeated: { frontage: -1, road_segment: -1, duty_area: -1 },
  },
  repeatWindowDays: 30,
  bonusMax: 5,
  thresholds: {
    frontage: { warning: -2, yellow_card: -4 },
    road_segment: { warning: -3 },
    duty_area: { warning: -2 },
    department: { warning: -5, yellow_card: -10 },
    territory: { warning: -3, yellow_card: -5 },
  },
};

/** A sweep's counts without its window (which names the wall-clock time the test ran). */
export function sweepCounts(summary: unknown): Record<string, unknown> {
  const { window: _window, ...counts } = summary as Record<string, unknown>;
  return counts;
}
