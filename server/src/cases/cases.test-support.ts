// Shared set-up of the case tests: departments, 立结案标准 rows and a user per role on the fixture city.
import type { Actor } from '@cityops/domain/access/scope';
import { cliActor } from '../audit/audit.ts';
import { actorForSession } from '../access/access.service.ts';
import { importCaseStandards } from '../catalog/case-standards.service.ts';
import type { TestClient } from '../test/http.ts';
import { bj } from '@cityops/domain/calendar/test-fixtures';
import { CalendarCache } from '../calendar/calendar.service.ts';
import type { Executor } from '../db/database.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { workflowDeps } from './case-deps.ts';
import { intakeCase, type IntakeInput } from './case-intake.ts';
import { applyTransition, type ActionRequest } from './case-transitions.ts';
import { FIXTURE } from '../test/fixtures.ts';

/** Points inside the fixture grids (see fixtures.ts): grid 001 is the SW square. */
export const POINT_GRID1 = { lon: 118.8005, lat: 32.0005 };

export interface CaseWorld {
  departments: { hwc: number; szc: number; street: number };
  tokens: Record<'admin' | 'acceptor' | 'shiftChief' | 'dispatcher' | 'inspector' | 'hwc' | 'szc' | 'leader' | 'public', string>;
  actor(token: string): Promise<Actor>;
}

export async function setUpCaseWorld(client: TestClient): Promise<CaseWorld> {
  const db = client.database.db;
  const now = Date.now();
  const cityId = (await db.selectFrom('territory_nodes').select('id').where('code', '=', FIXTURE.city).executeTakeFirstOrThrow()).id;
  const streetId = (await db.selectFrom('territory_nodes').select('id').where('code', '=', FIXTURE.street).executeTakeFirstOrThrow()).id;
  const dept = async (code: string, name: string, kind: string, territoryId: number) =>
    (await db.insertInto('departments').values({ code, name, kind, territory_node_id: territoryId, parent_id: null, phone: null, active: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  const departments = { hwc: await dept('HWC', '市环境卫生管理处', 'professional', cityId), szc: await dept('SZC', '市市政设施管理处', 'professional', cityId), street: await dept('JD-990102001', '测试街道办事处', 'territorial', streetId) };
  await importCaseStandards(db, cliActor(), [
    { classKind: 'matter', classCode: '06010', territoryCode: null, disposal: '处置', registrationCondition: '公共区域出现暴露垃圾', closingCondition: '清除完毕', departmentRule: 'department:HWC|territorial:street', urgency: 'normal', limit: { value: 4, unit: 'working_hours' } },
    { classKind: 'matter', classCode: '01001', territoryCode: null, disposal: '处置', registrationCondition: '井盖丢失', closingCondition: '已补齐', departmentRule: 'maintainer|department:SZC', urgency: 'urgent', limit: { value: 1, unit: 'urgent_hours' } },
  ]);
  const city = { territoryCode: FIXTURE.city };
  const tokens = {
    admin: await client.tokenFor([{ role: 'admin', ...city }]),
    acceptor: await client.tokenFor([{ role: 'acceptor', ...city }]),
    shiftChief: await client.tokenFor([{ role: 'shift_chief', ...city }]),
    dispatcher: await client.tokenFor([{ role: 'dispatcher', ...city }]),
    inspector: await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.street }]),
    hwc: await client.tokenFor([{ role: 'department', departmentCode: 'HWC' }]),
    szc: await client.tokenFor([{ role: 'department', departmentCode: 'SZC' }]),
    leader: await client.tokenFor([{ role: 'leader', ...city }]),
    public: await client.tokenFor([{ role: 'public' }]),
  };
  return {
    departments,
    tokens,
    async actor(token: string) {
      const actor = await actorForSession(db, token);
      if (!actor) throw new Error('no session');
      return actor;
    },
  };
}

/** A tiny valid PNG (1×1), enough for the type check by magic bytes. */
export const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export async function uploadPhoto(client: TestClient, token: string): Promise<number> {
  const res = await client.app.inject({ method: 'POST', url: '/api/attachments?filename=site.png', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, payload: PNG_1PX });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id as number;
}

/**
 * Drives the workflow directly at chosen Beijing wall times ('2026-10-08 10:00'), each step in its own
 * transaction, as the API would: for tests that need steps at given instants (clocks, rounds, indicators).
 */
export async function workflowHarness(client: TestClient, w: CaseWorld) {
  const db = client.database.db;
  const actors: Record<string, Actor> = Object.fromEntries(await Promise.all(Object.entries(w.tokens).map(async ([k, t]) => [k, await w.actor(t)] as const)));
  // Read through the transaction: on SQLite a query on the root handle would wait for it forever.
  const deps = async (trx: Executor) => workflowDeps({ calendars: new CalendarCache(db), locator: new TerritoryLocator(db) }, trx);
  return {
    actors,
    deps,
    act: (who: string, caseId: number, action: string, at: string, input: ActionRequest = {}) =>
      db.transaction().execute(async (trx) => applyTransition(trx, await deps(trx), actors[who]!, caseId, action, input, bj(at))),
    report: (who: string, input: Partial<IntakeInput> & { source: IntakeInput['source'] }, at: string) =>
      db.transaction().execute(async (trx) => intakeCase(trx, await deps(trx), actors[who]!, {
        classCode: '06010', description: '暴露垃圾', lon: POINT_GRID1.lon, lat: POINT_GRID1.lat, ...input,
      }, bj(at))),
  };
}
