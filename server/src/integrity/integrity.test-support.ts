// A month of the small evaluation city (evaluation.test-support.ts) taken to publication and corrected once:
// version 1 with a rejected appeal against a finding, version 2 (a correction) whose upheld appeal voids
// another finding already sealed with version 1, and the audit log checkpointed. What the integrity tests
// tamper with, behind the app's back.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { actOnRun } from '../evaluation/runs.service.ts';
import { DISTRICTS, TEST_CHECKLIST, TEST_SCHEME, buildEvaluationCity, type EvaluationWorld } from '../evaluation/evaluation.test-support.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import type { TestClient } from '../test/http.ts';
import { checkIntegrity } from './check.service.ts';
import { checkpointAuditLog } from './seal.service.ts';

export interface PublishedMonth {
  world: EvaluationWorld;
  v1: number;
  v2: number;
  unitIds: Record<string, number>;
  /** Finding ids by district: D1's is voided by version 2's appeal, D2's appeal was rejected in version 1. */
  findings: Record<string, number>;
  photos: number[];
  appeals: { v1: number; v2: number };
}

const ok = <T extends { statusCode: number; body: string }>(res: T, status = 200): T => {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res;
};

export async function publishCorrectedMonth(client: TestClient): Promise<PublishedMonth> {
  const world = await buildEvaluationCity(client);
  const db = client.database.db;
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.office, body });
  ok(await office('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST, reason: '2026 标准' }));
  ok(await office('PUT', '/api/evaluation/schemes/city-2026', { scheme: TEST_SCHEME, reason: '2026 方案' }));
  const round = ok(await office('POST', '/api/evaluation/rounds', { schemeCode: 'city-2026', period: '2026-10', seed: 7 }), 201).json() as { id: number; points: { id: number; unit: { code: string }; grid: { lon: number; lat: number }; evaluator: { id: number } }[] };
  const findings: Record<string, number> = {};
  const photos: number[] = [];
  for (const [unit, item, occurrences, note] of [[DISTRICTS[0], 'A01', 2, '路口东侧暴露垃圾两处'], [DISTRICTS[1], 'A03', 4, '公交站台小广告']] as const) {
    const p = round.points.find((x) => x.unit.code === unit)!;
    const token = p.evaluator.id === world.userIds.evaluator1 ? world.tokens.evaluator1 : world.tokens.evaluator2;
    const attachmentId = await uploadPhoto(client, token);
    photos.push(attachmentId);
    const res = ok(await client.request('POST', `/api/evaluation/rounds/${round.id}/findings`, { token, body: {
      pointId: p.id, itemCode: item, occurrences, location: { lon: p.grid.lon, lat: p.grid.lat }, foundAt: '2026-10-20 10:00', attachmentId, note,
    } }), 201);
    findings[unit] = res.json().findingId;
  }
  const v1 = ok(await office('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-10' }), 201).json().id as number;
  for (const [k, unitCode] of DISTRICTS.entries()) {
    for (const [code, value] of [['special_tasks', 80 + k], ['survey', 90 - 2 * k]] as const) ok(await office('PUT', `/api/evaluation/runs/${v1}/entries`, { unitCode, code, value, reason: `${code} 台账` }));
  }
  const issued = ok(await office('POST', `/api/evaluation/runs/${v1}/actions/issue`, {})).json();
  const evidence = await uploadPhoto(client, world.tokens.gov[1]!);
  photos.push(evidence);
  const a1 = ok(await client.request('POST', `/api/evaluation/runs/${v1}/appeals`, { token: world.tokens.gov[1], body: { unitCode: DISTRICTS[1], findingId: findings[DISTRICTS[1]], text: '小广告已当日清除', attachmentIds: [evidence] } }), 201).json().id as number;
  ok(await office('POST', `/api/evaluation/appeals/${a1}/ruling`, { outcome: 'rejected', ruling: '发现时问题存在,扣分成立' }));
  await actOnRun(db, world.actors.office, v1, 'finalize', {}, Date.parse(issued.appealDeadline) + 1000);
  ok(await office('POST', `/api/evaluation/runs/${v1}/actions/publish`, {}));

  const v2 = ok(await office('POST', `/api/evaluation/runs/${v1}/actions/correct`, { reason: '第1区暴露垃圾点位复核' })).json().id as number;
  const reissued = ok(await office('POST', `/api/evaluation/runs/${v2}/actions/issue`, {})).json();
  const a2 = ok(await client.request('POST', `/api/evaluation/runs/${v2}/appeals`, { token: world.tokens.gov[0], body: { unitCode: DISTRICTS[0], findingId: findings[DISTRICTS[0]], text: '该点位属在建工地' } }), 201).json().id as number;
  ok(await office('POST', `/api/evaluation/appeals/${a2}/ruling`, { outcome: 'upheld', ruling: '经核实属施工单位责任' }));
  await actOnRun(db, world.actors.office, v2, 'finalize', {}, Date.parse(reissued.appealDeadline) + 1000);
  ok(await office('POST', `/api/evaluation/runs/${v2}/actions/publish`, {}));
  await checkpointAuditLog(db, Date.now());
  const units = await db.selectFrom('territory_nodes').select(['id', 'code']).where('code', 'in', [...DISTRICTS]).execute();
  return { world, v1, v2, unitIds: Object.fromEntries(units.map((u) => [u.code, u.id])), findings, photos, appeals: { v1: a1, v2: a2 } };
}

/** Runs `change` behind the app's back, checks, and puts things back with `undo`; answers the check's problems. */
export async function tampered(client: TestClient, change: (db: Executor) => Promise<unknown>, undo: (db: Executor) => Promise<unknown>) {
  const db = client.database.db;
  await change(db);
  try {
    return await checkIntegrity(db, { store: client.attachments });
  } finally {
    await undo(db);
  }
}

/** What whoever rewrites the ledger itself does first: the append-only triggers go. */
export async function withoutAppendOnlyTriggers<T>(db: Executor, body: () => Promise<T>): Promise<T> {
  const { createAppendOnlyTriggers, dropAppendOnlyTriggers } = await import('../db/migrations/20261127_019_integrity_ledger.ts');
  await dropAppendOnlyTriggers(db as never);
  try {
    return await body();
  } finally {
    await createAppendOnlyTriggers(db as never);
  }
}

export const raw = (db: Executor, text: string) => sql.raw(text).execute(db);
