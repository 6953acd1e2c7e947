// The office's editors and review: checklist standards and schemes read version by version, and an
// inspection round's findings with what the review needs (where, when, by whom, photo, the case opened).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_CHECKLIST } from '@cityops/domain/evaluation/checklist';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { uploadPhoto } from '../cases/cases.test-support.ts';
import { DISTRICTS, TEST_CHECKLIST, TEST_SCHEME, buildEvaluationCity, type EvaluationWorld } from './evaluation.test-support.ts';

describeOnBothDatabases('evaluation definitions by version, and a round\'s findings for review', (database) => {
  let client: TestClient;
  let world: EvaluationWorld;
  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    world = await buildEvaluationCity(client);
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => client.request(method, url, { token: world.tokens.office, body });

  test('the shipped checklist is version 0 until saved; each save is a version readable later, a refused one adds none', async () => {
    const list = await office('GET', '/api/evaluation/checklists');
    assert.deepEqual(list.json().items, [{ code: 'default', version: 0, name: DEFAULT_CHECKLIST.name }]);
    const shipped = await office('GET', '/api/evaluation/checklists/default/versions');
    assert.deepEqual(shipped.json().items.map((v: { version: number; items: number }) => [v.version, v.items]), [[0, DEFAULT_CHECKLIST.items.length]]);
    assert.equal((await office('GET', '/api/evaluation/checklists/default?version=0')).json().definition.items.length, DEFAULT_CHECKLIST.items.length);

    assert.equal((await office('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST, reason: '初版' })).statusCode, 200);
    const changed = { ...TEST_CHECKLIST, items: [{ ...TEST_CHECKLIST.items[0]!, deduction: 1 }, ...TEST_CHECKLIST.items.slice(1)] };
    const second = await office('PUT', '/api/evaluation/checklists/test', { standard: changed, reason: '提高暴露垃圾扣分' });
    assert.equal(second.json().version, 2);
    const badCap = await office('PUT', '/api/evaluation/checklists/test', { standard: { ...changed, items: [{ ...changed.items[0]!, cap: 0.5 }] } });
    assert.equal(badCap.statusCode, 400);
    assert.deepEqual(badCap.json().error.issues.map((i: { field: string }) => i.field), ['standard.items[0].cap']);

    const versions = (await office('GET', '/api/evaluation/checklists/test/versions')).json().items as { version: number; reason: string; savedByName: string; items: number }[];
    assert.deepEqual(versions.map((v) => [v.version, v.reason, v.items]), [[2, '提高暴露垃圾扣分', 3], [1, '初版', 3]]);
    assert.ok(versions[0]!.savedByName, 'who saved it, by name');
    assert.equal((await office('GET', '/api/evaluation/checklists/test?version=1')).json().definition.items[0].deduction, 0.5);
    assert.equal((await office('GET', '/api/evaluation/checklists/test')).json().definition.items[0].deduction, 1);
    assert.equal((await office('GET', '/api/evaluation/checklists/test?version=7')).statusCode, 404);
    assert.equal((await office('GET', '/api/evaluation/checklists/nothing/versions')).statusCode, 404);
    assert.deepEqual((await office('GET', '/api/evaluation/checklists')).json().items.map((c: { code: string; version: number }) => [c.code, c.version]), [['default', 0], ['test', 2]]);
  });

  test('a scheme\'s earlier versions stay readable; the list names who saved each', async () => {
    assert.equal((await office('PUT', '/api/evaluation/schemes/city', { scheme: TEST_SCHEME, reason: '2026 方案' })).statusCode, 200);
    const reweighted = { ...TEST_SCHEME, components: TEST_SCHEME.components.map((c) => ({ ...c, weight: c.code === 'inspection' ? 50 : c.code === 'survey' ? 30 : c.weight })) };
    assert.equal((await office('PUT', '/api/evaluation/schemes/city', { scheme: reweighted, reason: '调整权重' })).json().version, 2);
    const broken = await office('PUT', '/api/evaluation/schemes/city', { scheme: { ...reweighted, components: reweighted.components.map((c) => ({ ...c, weight: c.code === 'survey' ? 35 : c.weight })) } });
    assert.deepEqual([broken.statusCode, broken.json().error.issues.map((i: { field: string }) => i.field)], [400, ['scheme.components']]);
    assert.deepEqual((await office('GET', '/api/evaluation/schemes/city?version=1')).json().definition.components.map((c: { weight: number }) => c.weight), [60, 20, 20]);
    assert.deepEqual((await office('GET', '/api/evaluation/schemes/city')).json().definition.components.map((c: { weight: number }) => c.weight), [50, 20, 30]);
    assert.equal((await office('GET', '/api/evaluation/schemes/city?version=3')).statusCode, 404);
    const listed = (await office('GET', '/api/evaluation/schemes')).json().items as { version: number; reason: string; savedByName: string | null }[];
    assert.deepEqual(listed.map((s) => [s.version, s.reason]), [[2, '调整权重'], [1, '2026 方案']]);
    assert.ok(listed.every((s) => s.savedByName));
  });

  test('a round lists its findings with unit, item, deduction, evaluator, time, GPS, photo and the rectification case with its state', async () => {
    const round = (await office('POST', '/api/evaluation/rounds', { schemeCode: 'city', period: '2026-10', seed: 3 })).json() as { id: number; points: { id: number; unit: { code: string }; grid: { lon: number; lat: number }; evaluator: { id: number } }[] };
    const point = round.points.find((p) => p.unit.code === DISTRICTS[1])!;
    const token = point.evaluator.id === world.userIds.evaluator1 ? world.tokens.evaluator1 : world.tokens.evaluator2;
    const attachmentId = await uploadPhoto(client, token);
    const recorded = await client.request('POST', `/api/evaluation/rounds/${round.id}/findings`, { token, body: {
      pointId: point.id, itemCode: 'A01', occurrences: 3, location: { lon: point.grid.lon, lat: point.grid.lat }, foundAt: '2026-10-20 10:00', attachmentId, note: '路口东侧',
    } });
    assert.equal(recorded.statusCode, 201, recorded.body);
    const detail = await office('GET', `/api/evaluation/rounds/${round.id}`);
    assert.equal(detail.statusCode, 200, detail.body);
    const body = detail.json();
    // The round took the checklist's newest version: A01 at 1 point per occurrence, so 3 × 1.
    assert.deepEqual(body.items.map((i: { code: string; deduction: number }) => [i.code, i.deduction]), [['A01', 1], ['A02', 2], ['A03', 0.2]]);
    assert.equal(body.findings.length, 1);
    const f = body.findings[0];
    const evaluatorName = (await client.database.db.selectFrom('users').select('display_name').where('id', '=', point.evaluator.id).executeTakeFirstOrThrow()).display_name;
    const kase = await client.database.db.selectFrom('cases').select(['id', 'code', 'state']).where('id', '=', recorded.json().caseId).executeTakeFirstOrThrow();
    assert.deepEqual({ ...f, id: 0 }, {
      id: 0, pointId: point.id, unit: DISTRICTS[1], unitName: '第2区', seq: f.seq, grid: f.grid, itemCode: 'A01', itemName: { zh: '暴露垃圾', en: 'Exposed garbage' }, occurrences: 3,
      deduction: 3, evaluator: { id: point.evaluator.id, name: evaluatorName }, foundAt: '2026-10-20T02:00:00.000Z', location: { lon: point.grid.lon, lat: point.grid.lat },
      note: '路口东侧', photoId: attachmentId, voidedByAppealId: null,
      case: { id: kase.id, code: kase.code, state: kase.state, stateName: { zh: '待受理', en: 'Awaiting acceptance' } },
    });
    assert.equal(kase.state, 'pending_accept');
    // The office may read the photo of the finding it reviews.
    assert.equal((await office('GET', `/api/attachments/${attachmentId}`)).statusCode, 200);
    // Outside the office the round is not readable.
    assert.equal((await client.request('GET', `/api/evaluation/rounds/${round.id}`, { token: world.tokens.gov[0] })).statusCode, 403);
  });
});
