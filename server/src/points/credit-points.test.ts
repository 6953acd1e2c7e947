// Credit points (信用积分) from the same month by hand (points.test-support.ts): the register refuses a bad
// unified social credit code and a wrong overlay; the sweep prices the cases and findings at each subject's
// overlay; good conduct within the cap; the public list and record carry no personal data; an appeal on the
// public route (rate-limited), upheld by the office, reverses the deduction and moves the level; a closed year
// is frozen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { buildPointsWorld, type PointsWorld, sweepCounts } from './points.test-support.ts';
import { fileAppeal } from './credit-views.service.ts';

const SHOP = '91350100M000100Y43';
const CONTRACTOR = '91310000717866389C';
const MUCK = '91110000600037341L';
const CONTACT = { contactName: '王小明', contactPhone: '13800001111' };
const CREDIT_RULES = {
  name: '测试信用积分规则', baseScore: 100, goodConductMax: 5,
  violations: [{ classCode: '06010', subjectKinds: ['frontage_shop'], points: -2 }, { classCode: '06010', subjectKinds: ['sanitation_contractor'], points: -3 }],
  findings: [{ itemCode: 'A01', subjectKinds: ['frontage_shop'], points: -1 }],
  levels: [{ code: 'A', zh: '守信', min: 95 }, { code: 'B', zh: '基本守信', min: 90 }, { code: 'C', zh: '失信', min: 80 }, { code: 'D', zh: '严重失信', min: null }],
};

describeOnBothDatabases('credit points of shops and companies (信用积分)', (database) => {
  let client: TestClient;
  let w: PointsWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    client = await buildTestApp(database(), { territory: false, config: { rateLimits: { portal_write_per_address: { limit: 4, windowMs: 60_000 } } } });
    w = await buildPointsWorld(client);
  });
  after(() => client.close());
  const office = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => client.request(method, url, { token: w.tokens.office, body });
  const levels = async () => Object.fromEntries(((await client.request('GET', '/api/public/credit?year=2025')).json().items as { name: string; score: number; level: { code: string } }[]).map((s) => [s.name, [s.score, s.level.code]]));

  test('the register checks the credit code\'s check character and the overlay a kind may be linked to', async () => {
    const bad = await office('POST', '/api/credit/subjects', { kind: 'frontage_shop', name: '好味面馆', creditCode: '91350100M000100Y44', areaCode: 'R1' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.issues.map((i: { field: string; message: string }) => [i.field, i.message]), [
      ['creditCode', 'check character is 4, the code calls for 3'], ['areaCode', 'a frontage_shop is linked to frontage, not to a road_segment'],
    ]);
    for (const [key, body] of [
      ['shop', { kind: 'frontage_shop', name: '好味面馆', creditCode: SHOP, areaCode: 'F1', address: '中山路1号', ...CONTACT }],
      ['contractor', { kind: 'sanitation_contractor', name: '洁城环卫服务有限公司', creditCode: CONTRACTOR, areaCode: 'D2A' }],
      ['muck', { kind: 'muck_transport', name: '顺达渣土运输有限公司', creditCode: MUCK }],
    ] as const) {
      const res = await office('POST', '/api/credit/subjects', body);
      assert.equal(res.statusCode, 201, res.body);
      ids[key] = res.json().id;
    }
    assert.equal((await office('POST', '/api/credit/subjects', { kind: 'muck_transport', name: '重复', creditCode: MUCK })).json().error.issues[0].field, 'creditCode');
    const badRules = await office('PUT', '/api/points/rules/credit', { rules: { ...CREDIT_RULES, levels: [{ code: 'A', zh: '守信', min: 80 }, { code: 'B', zh: '基本守信', min: 90 }, { code: 'D', zh: '严重失信', min: null }], violations: [{ classCode: '99999', subjectKinds: ['frontage_shop'], points: -1 }] } });
    assert.deepEqual(badRules.json().error.issues.map((i: { field: string }) => i.field), ['rules.violations[0].classCode', 'rules.levels[1].min']);
    assert.equal((await office('PUT', '/api/points/rules/credit', { rules: CREDIT_RULES })).statusCode, 200);
  });

  test('the sweep prices what happened at each subject\'s overlay; good conduct within its cap', async () => {
    const swept = await office('POST', '/api/points/sweep', { year: 2025 });
    assert.equal(swept.statusCode, 200, swept.body);
    // Shop (F1): cases cA, cE −2 each; findings fA −1×2, fE −1. Contractor (D2A): case cC −3 (findings of D2A are not priced for it).
    assert.deepEqual(sweepCounts(swept.json().credit), { years: [2025], violation: 3, finding: 2, reversed: 0 });
    assert.deepEqual(await levels(), { '好味面馆': [93, 'B'], '洁城环卫服务有限公司': [97, 'A'], '顺达渣土运输有限公司': [100, 'A'] });
    assert.deepEqual(sweepCounts((await office('POST', '/api/points/sweep', { year: 2025 })).json().credit), { years: [2025], violation: 0, finding: 0, reversed: 0 });
    const unpriced = await office('POST', `/api/credit/subjects/${ids.muck}/entries`, { kind: 'violation', caseCode: (await client.database.db.selectFrom('cases').select('code').where('id', '=', w.findings.fB.caseId).executeTakeFirstOrThrow()).code });
    assert.deepEqual([unpriced.statusCode, unpriced.json().error.issues[0].field], [400, 'caseCode']);
    const tooMuch = await office('POST', `/api/credit/subjects/${ids.muck}/entries`, { kind: 'good_conduct', points: 6, reason: '主动清理' });
    assert.deepEqual([tooMuch.statusCode, tooMuch.json().error.issues[0].field], [400, 'points']);
  });

  test('the public list and record show names, codes and levels and nothing about persons', async () => {
    for (const url of ['/api/public/credit?year=2025', `/api/public/credit/subjects/${SHOP}?year=2025`]) {
      const res = await client.request('GET', url);
      assert.equal(res.statusCode, 200, res.body);
      for (const value of Object.values(CONTACT)) assert.ok(!res.body.includes(value), `${url} carries ${value}`);
      for (const id of [w.findings.fA.caseId, w.findings.fE.caseId]) {
        const { code } = await client.database.db.selectFrom('cases').select('code').where('id', '=', id).executeTakeFirstOrThrow();
        assert.ok(!res.body.includes(code), `${url} carries case ${code} (the office's record)`);
      }
    }
    const office_ = (await office('GET', `/api/credit/subjects/${ids.shop}?year=2025`)).json();
    assert.equal(office_.contact.phone, CONTACT.contactPhone, 'the office sees its contact');
    assert.equal((await client.request('GET', '/api/credit/subjects', { token: w.tokens.gov[0] })).statusCode, 403);
  });

  test('an appeal upheld reverses the deduction and moves the level back; every step is recorded', async () => {
    const record = (await client.request('GET', `/api/public/credit/subjects/${SHOP}?year=2025`)).json() as { entries: { id: number; event: string; points: number }[] };
    // By date (cA and fA on 13 Oct, cE and fE on 21 Oct), the sweep's violations before its findings.
    assert.deepEqual(record.entries.map((e) => [e.event, e.points]), [['violation', -2], ['finding', -2], ['violation', -2], ['finding', -1]]);
    const target = record.entries[0]!;
    const refused = await client.request('POST', '/api/public/credit/appeals', { body: { creditCode: CONTRACTOR, entryId: target.id, reason: '不是我们的门前' } });
    assert.deepEqual([refused.statusCode, refused.json().error.issues[0].field], [400, 'entryId']);
    const filed = await client.request('POST', '/api/public/credit/appeals', { body: { creditCode: SHOP, entryId: target.id, reason: '垃圾为路人丢弃,已当即清理' } });
    assert.equal(filed.statusCode, 201, filed.body);
    const code = filed.json().code as string;
    assert.equal((await client.request('POST', '/api/public/credit/appeals', { body: { creditCode: SHOP, entryId: target.id, reason: '再次申诉一下' } })).statusCode, 409);
    // The portal's limit (4 a minute here): refused or not, the fifth write from the address is refused before it is read.
    assert.equal((await client.request('POST', '/api/public/credit/appeals', { body: { creditCode: SHOP, entryId: 987654, reason: '第四次提交' } })).statusCode, 400);
    const fifth = await client.request('POST', '/api/public/credit/appeals', { body: { creditCode: SHOP, entryId: target.id, reason: '第五次提交' } });
    assert.equal(fifth.statusCode, 429);

    const appeals = (await office('GET', '/api/credit/appeals?state=filed')).json().items as { id: number; code: string; reason: string }[];
    assert.deepEqual(appeals.map((a) => [a.code, a.reason]), [[code, '垃圾为路人丢弃,已当即清理']]);
    assert.equal((await office('POST', `/api/credit/appeals/${appeals[0]!.id}/ruling`, { outcome: 'upheld', ruling: '' })).json().error.issues[0].field, 'ruling');
    const ruled = await office('POST', `/api/credit/appeals/${appeals[0]!.id}/ruling`, { outcome: 'upheld', ruling: '监控显示为路人丢弃' });
    assert.equal(ruled.statusCode, 200, ruled.body);
    assert.equal((await office('POST', `/api/credit/appeals/${appeals[0]!.id}/ruling`, { outcome: 'rejected', ruling: '再裁' })).statusCode, 409);
    assert.deepEqual((await levels())['好味面馆'], [95, 'A'], '93 + 2 = 95: level B → A');
    const followed = (await client.request('GET', `/api/public/credit/appeals/${code}`)).json();
    assert.deepEqual([followed.state, followed.ruling, followed.reason], ['upheld', '监控显示为路人丢弃', undefined]);
    const detail = (await office('GET', `/api/credit/subjects/${ids.shop}?year=2025`)).json() as { entries: { event: string; points: number; reverses: number | null; reversed: boolean }[] };
    assert.deepEqual(detail.entries.filter((e) => e.reversed || e.reverses !== null).map((e) => [e.event, e.points, e.reverses]), [['violation', -2, null], ['correction', 2, target.id]]);
    const actions = (await client.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'credit_appeal%').orderBy('id').execute()).map((a) => a.action);
    assert.deepEqual(actions, ['credit_appeal.file', 'credit_appeal.rule']);
  });

  test('the office edits a subject (name, address, overlay) but never its credit code; a correction reverses an entry once', async () => {
    const db = client.database.db;
    const before = await db.selectFrom('credit_subjects').selectAll().where('id', '=', ids.contractor!).executeTakeFirstOrThrow();
    const recoded = await office('PATCH', `/api/credit/subjects/${ids.contractor}`, { name: '改名', creditCode: MUCK.replace('91110000', '91110001') });
    assert.deepEqual([recoded.statusCode, recoded.json().error.issues.map((i: { field: string }) => i.field)], [400, ['creditCode']]);
    const wrongArea = await office('PATCH', `/api/credit/subjects/${ids.contractor}`, { name: '改名', areaCode: 'F1' });
    assert.deepEqual([wrongArea.statusCode, wrongArea.json().error.issues.map((i: { field: string }) => i.field)], [400, ['areaCode']]);
    // A contractor linked to its duty area cannot become a frontage shop and keep that link.
    const rekinded = await office('PATCH', `/api/credit/subjects/${ids.contractor}`, { kind: 'frontage_shop' });
    assert.deepEqual([rekinded.statusCode, rekinded.json().error.issues.map((i: { field: string }) => i.field)], [400, ['kind']]);
    assert.deepEqual(await db.selectFrom('credit_subjects').selectAll().where('id', '=', ids.contractor!).executeTakeFirstOrThrow(), before, 'nothing of a refused edit was kept');
    const detail = async () => {
      const d = (await office('GET', `/api/credit/subjects/${ids.contractor}?year=2025`)).json() as { name: string; creditCode: string; address: string; area: { code: string } | null; score: number };
      return [d.name, d.creditCode, d.address, d.area?.code ?? null, d.score];
    };
    const edited = await office('PATCH', `/api/credit/subjects/${ids.contractor}`, { name: ' 洁城环卫集团有限公司 ', address: '中山路88号', areaCode: 'R1', creditCode: CONTRACTOR.toLowerCase() });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(await detail(), ['洁城环卫集团有限公司', CONTRACTOR, '中山路88号', 'R1', 97], 'the entries already recorded stay with the subject');
    // Back to its duty area before the next sweep (R1 holds F1, whose cases would be priced for it).
    assert.equal((await office('PATCH', `/api/credit/subjects/${ids.contractor}`, { areaCode: 'D2A' })).statusCode, 200);
    assert.deepEqual(await detail(), ['洁城环卫集团有限公司', CONTRACTOR, '中山路88号', 'D2A', 97]);
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'credit_subject.update').where('entity_ref', '=', String(ids.contractor)).orderBy('id').execute();
    assert.equal(audit.length, 2, 'the refused edits left no trace, the accepted ones did');
    assert.match(String(audit[0]!.detail), /洁城环卫集团有限公司/);

    // Good conduct entered by mistake, corrected from the subject's page (the correction route serves both ledgers).
    const mistake = await office('POST', `/api/credit/subjects/${ids.muck}/entries`, { kind: 'good_conduct', points: 3, reason: '误录' });
    assert.equal(mistake.statusCode, 201, mistake.body);
    const score = async () => ((await office('GET', `/api/credit/subjects/${ids.muck}`)).json() as { score: number }).score;
    assert.equal(await score(), 103);
    assert.deepEqual((await office('POST', `/api/points/entries/${mistake.json().id as number}/correction`, { reason: ' ' })).json().error.issues[0].field, 'reason');
    const fixed = await office('POST', `/api/points/entries/${mistake.json().id as number}/correction`, { reason: '录入对象错误' });
    assert.deepEqual([fixed.statusCode, fixed.json().points], [201, -3]);
    assert.equal(await score(), 100);
    assert.equal((await office('POST', `/api/points/entries/${mistake.json().id as number}/correction`, { reason: '再次' })).statusCode, 409, 'an entry is reversed once');
    const entries = (await office('GET', `/api/credit/subjects/${ids.muck}`)).json().entries as { id: number; event: string; reason: string; reverses: number | null; reversed: boolean }[];
    assert.deepEqual(entries.map((e) => [e.event, e.reason, e.reverses, e.reversed]), [['good_conduct', '误录', null, true], ['correction', '录入对象错误', mistake.json().id, false]]);
  });

  test('the credit year closes: scores and levels frozen, the list printed', async () => {
    assert.equal((await office('POST', `/api/credit/subjects/${ids.muck}/entries`, { kind: 'good_conduct', points: 2, reason: '主动清理道路遗撒' })).statusCode, 201, 'good conduct, entered today');
    const closed = await office('POST', '/api/points/years/2025/close', { ledger: 'credit' });
    assert.equal(closed.statusCode, 200, closed.body);
    const list = (await client.request('GET', '/api/public/credit?year=2025')).json();
    assert.equal(list.closed, true);
    assert.deepEqual(await levels(), { '好味面馆': [95, 'A'], '洁城环卫集团有限公司': [97, 'A'], '顺达渣土运输有限公司': [100, 'A'] }, 'the good conduct of today counts in this year, not in 2025');
    const thisYear = (await client.request('GET', '/api/public/credit')).json().items as { name: string; score: number }[];
    assert.equal(thisYear.find((x) => x.name === '顺达渣土运输有限公司')!.score, 102);
    const entry = (await client.request('GET', `/api/public/credit/subjects/${CONTRACTOR}?year=2025`)).json().entries[0] as { id: number };
    // (Through the service: this address has used up its appeals for the minute.)
    await assert.rejects(fileAppeal(client.database.db, { creditCode: CONTRACTOR, entryId: entry.id, reason: '年度结束后才申诉' }, Date.now()), (e: { code?: string }) => e.code === 'year_closed');
    const xlsx = await office('GET', '/api/credit/report?year=2025&format=xlsx');
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('信用公示')!;
    assert.deepEqual([3, 4, 5].map((r) => [2, 3, 6, 7].map((c) => String(sheet.getRow(r).getCell(c).value))), [
      ['好味面馆', SHOP, '95.0', 'A(守信)'], ['洁城环卫集团有限公司', CONTRACTOR, '97.0', 'A(守信)'], ['顺达渣土运输有限公司', MUCK, '100.0', 'A(守信)'],
    ]);
  });
});
