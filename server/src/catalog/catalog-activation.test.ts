import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../audit/audit.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { importCaseStandards } from './case-standards.service.ts';
import { importCatalog } from './catalog-import.ts';

const POINT = { lon: 118.8005, lat: 32.0005 };

describeOnBothDatabases('putting a new catalog version in use (启用)', (database) => {
  let client: TestClient;
  let admin: string;
  before(async () => {
    client = await buildTestApp(database());
    admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    const db = client.database.db;
    await importCaseStandards(db, cliActor(), [
      { classKind: 'matter', classCode: '06010', territoryCode: null, disposal: '处置', registrationCondition: '暴露垃圾', closingCondition: '清除', departmentRule: 'territorial:street', urgency: 'normal', limit: { value: 4, unit: 'working_hours' } },
      { classKind: 'matter', classCode: '06011', territoryCode: null, disposal: '处置', registrationCondition: '积存垃圾渣土', closingCondition: '清除', departmentRule: 'territorial:street', urgency: 'normal', limit: { value: 8, unit: 'working_hours' } },
    ]);
    // Two manhole covers in the inventory, of 01001 and 01002.
    const classId = async (code: string) => Number((await db.selectFrom('catalog_classes').select('id').where('code', '=', code).where('kind', '=', 'component').executeTakeFirstOrThrow()).id);
    const cover = async (code: string, classCode: string) => db.insertInto('components').values({
      code, class_id: await classId(classCode), name: '井盖', state: 'intact', owner_department_id: null, maintainer_department_id: null, grid_id: null,
      lon: POINT.lon, lat: POINT.lat, initial_date: '2026-01-01', changed_date: null, data_source: null, note: null, created_at: 0, updated_at: 0,
    }).execute();
    await cover('0100199010200001', '01001');
    await cover('0100299010200002', '01002');
    // The new version keeps 06010 and 01001, and drops 06011 and 01002.
    await importCatalog(db, cliActor(), [
      { line: 2, kind: 'matter', majorCode: '06', majorName: '市容环境类', code: '06010', name: '暴露垃圾', sourceNote: '', origin: 'standard' },
      { line: 3, kind: 'component', majorCode: '01', majorName: '市政公用设施', code: '01001', name: '供水井盖', sourceNote: '', origin: 'standard' },
    ], { versionCode: 'LOCAL-2027', versionName: '本市2027版', standard: 'GB/T 47678.5-2026', deriveComponentMatters: false, activate: false });
  });
  after(() => client.close());

  test('the standards move to the new classes of the same code; what has none is reported; intake goes on with the new class', async () => {
    const db = client.database.db;
    const before = await db.selectFrom('catalog_versions').select(['code', 'status']).orderBy('id').execute();
    const res = await client.request('POST', '/api/catalog/versions/LOCAL-2027/activate', { token: admin });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { version: 'LOCAL-2027', standardsCarried: 1, componentsMoved: 1, leftBehind: ['01002', '06011'] });
    const covers = await db.selectFrom('components as p').innerJoin('catalog_classes as k', 'k.id', 'p.class_id').innerJoin('catalog_versions as v', 'v.id', 'k.version_id')
      .select(['p.code', 'v.code as version']).orderBy('p.code').execute();
    assert.deepEqual(covers.map((r) => [r.code, r.version === 'LOCAL-2027']), [['0100199010200001', true], ['0100299010200002', false]]);
    const after = await db.selectFrom('catalog_versions').select(['code', 'status']).orderBy('id').execute();
    assert.deepEqual(after.map((v) => v.status), [...before.slice(0, -1).map(() => 'retired'), 'active']);
    const reporter = await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.city }]);
    const created = await client.request('POST', '/api/cases', { token: reporter, body: { source: 'inspector', classCode: '06010', description: '新目录下的暴露垃圾', location: POINT } });
    assert.equal(created.statusCode, 201, created.body);
    const c = await db.selectFrom('cases as c').innerJoin('catalog_classes as k', 'k.id', 'c.class_id').innerJoin('catalog_versions as v', 'v.id', 'k.version_id')
      .select(['v.code', 'c.standard_id']).where('c.id', '=', created.json().caseId).executeTakeFirstOrThrow();
    assert.equal(c.code, 'LOCAL-2027');
    assert.ok(c.standard_id !== null, 'the carried 立结案标准 applies');
    // Again: nothing to do, nothing changes.
    assert.deepEqual((await client.request('POST', '/api/catalog/versions/LOCAL-2027/activate', { token: admin })).json(), { version: 'LOCAL-2027', standardsCarried: 0, componentsMoved: 0, leftBehind: [] });
    assert.equal((await client.request('POST', '/api/catalog/versions/NOPE/activate', { token: admin })).statusCode, 404);
  });
});
