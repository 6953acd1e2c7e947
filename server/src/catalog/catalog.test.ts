import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';

describeOnBothDatabases('catalog and 立结案标准', (database) => {
  let client: TestClient;
  let admin: string;
  let reader: string;
  before(async () => {
    client = await buildTestApp(database());
    admin = await client.tokenFor([{ role: 'admin', territoryCode: FIXTURE.city }]);
    reader = await client.tokenFor([{ role: 'dispatcher', territoryCode: FIXTURE.city }]);
  });
  after(() => client.close());

  test('the seeded catalog holds the standard classes, one 异常 matter per component, and the local extensions', async () => {
    const count = async (query: string) => (await client.request('GET', `/api/catalog/classes?${query}&limit=1`, { token: reader })).json().total;
    assert.equal(await count('kind=component'), 153);
    // 153 derived "<component>异常" + 97 matters of classes 06–10 + 5 local extensions
    assert.equal(await count('kind=matter'), 255);
    assert.equal(await count('kind=matter&major=06'), 51);
    const cover = (await client.request('GET', '/api/catalog/classes?kind=matter&q=01002', { token: reader })).json().items[0];
    assert.deepEqual([cover.code, cover.name, cover.origin, cover.componentCode], ['01002', '污水井盖异常', 'derived', '01002']);
  });

  test('a CSV with bad rows names line and column and imports nothing', async () => {
    const csv = 'kind,major_code,major_name,code,name\nmatter,99,扩展,99101,新类\nmatter,99,扩展,98102,错大类\nthing,99,扩展,99103,怪\nmatter,99,扩展,99101,重复\n';
    const res = await client.request('POST', '/api/catalog/import?version=GBT47678.5-2026', { token: admin, body: csv, contentType: 'text/csv' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error.issues.map((i: { row: number; field: string }) => [i.row, i.field]), [[3, 'code'], [4, 'kind'], [5, 'code']]);
    const found = (await client.request('GET', '/api/catalog/classes?q=99101', { token: reader })).json();
    assert.equal(found.total, 0);
    const header = await client.request('POST', '/api/catalog/import', { token: admin, body: 'kind,code,name\n', contentType: 'text/csv' });
    assert.deepEqual(header.json().error.issues.map((i: { field: string }) => i.field), ['major_code', 'major_name']);
  });

  test('the default 立结案标准 carries the limits of real tables', async () => {
    const find = async (code: string) => (await client.request('GET', `/api/case-standards?classCode=${code}`, { token: reader })).json().items;
    // The default table is seed data for the demo city; a test database starts without it.
    const { readSeedFile } = await import('../seed/base-data.ts');
    const res = await client.request('POST', '/api/case-standards/import', { token: admin, body: readSeedFile('case-standards-default.csv'), contentType: 'text/csv' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().created, 257);
    const garbage = await find('06010');
    assert.equal(garbage[0].limitLabel, '4 工作时');
    const building = (await find('06001')).map((s: { disposal: string; limitLabel: string }) => [s.disposal, s.limitLabel]);
    assert.deepEqual(building.sort(), [['处罚', '7 工作日'], ['拆除', '20 工作日'], ['停工', '4 工作时']].sort());
    const cover = (await find('01002')).find((s: { classKind: string }) => s.classKind === 'matter');
    assert.deepEqual([cover.urgency, cover.limit], ['urgent', { value: 1, unit: 'urgent_hours' }]);
  });

  test('a 立结案标准 edit is validated field by field and audited', async () => {
    const [row] = (await client.request('GET', '/api/case-standards?classCode=06010', { token: reader })).json().items;
    const bad = await client.request('PATCH', `/api/case-standards/${row.id}`, { token: admin, body: { departmentRule: 'whoever', limit: { value: -2, unit: 'working_hours' } } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.issues.map((i: { field: string }) => i.field).sort(), ['department_rule', 'limit.value']);
    const ok = await client.request('PATCH', `/api/case-standards/${row.id}`, { token: admin, body: { limit: { value: 2, unit: 'working_hours' } } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().limitLabel, '2 工作时');
    const audit = await database().db.selectFrom('audit_log').select(['action', 'entity_ref']).where('action', '=', 'case_standard.update').execute();
    assert.deepEqual(audit.map((a) => ({ ...a })), [{ action: 'case_standard.update', entity_ref: String(row.id) }]);
    assert.equal((await client.request('PATCH', `/api/case-standards/${row.id}`, { token: reader, body: { limit: { value: 3, unit: 'working_hours' } } })).statusCode, 403);
  });

  test('a 立结案标准 row\'s disposal can be renamed, but not to another row\'s disposal of the same class', async () => {
    const rows = (await client.request('GET', '/api/case-standards?classCode=06001', { token: reader })).json().items as { id: number; disposal: string }[];
    const stop = rows.find((r) => r.disposal === '停工')!;
    const taken = await client.request('PATCH', `/api/case-standards/${stop.id}`, { token: admin, body: { disposal: '拆除' } });
    assert.equal(taken.statusCode, 409, taken.body);
    assert.deepEqual(taken.json().error.issues.map((i: { field: string }) => i.field), ['disposal']);
    const renamed = await client.request('PATCH', `/api/case-standards/${stop.id}`, { token: admin, body: { disposal: '责令停工' } });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().disposal, '责令停工');
    const after = (await client.request('GET', '/api/case-standards?classCode=06001', { token: reader })).json().items.map((r: { disposal: string }) => r.disposal).sort();
    assert.deepEqual(after, ['处罚', '拆除', '责令停工'].sort());
    const empty = await client.request('PATCH', `/api/case-standards/${stop.id}`, { token: admin, body: { disposal: '' } });
    assert.equal(empty.statusCode, 400);
  });

  test('local extension classes can be added but not twice', async () => {
    const body = { kind: 'matter', majorCode: '99', majorName: '突发事件类（本地扩展）', code: '99010', name: '井喷' };
    assert.equal((await client.request('POST', '/api/catalog/classes', { token: admin, body })).statusCode, 201);
    assert.equal((await client.request('POST', '/api/catalog/classes', { token: admin, body })).statusCode, 409);
    const wrong = await client.request('POST', '/api/catalog/classes', { token: admin, body: { ...body, code: '98011' } });
    assert.deepEqual(wrong.json().error.issues, [{ field: 'code', message: 'must start with its major code 99' }]);
  });
});
