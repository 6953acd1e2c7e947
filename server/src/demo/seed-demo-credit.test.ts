import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { creditCodeProblem } from '@cityops/domain/points/credit-code';
import { createRandom } from '@cityops/domain/random';
import { describeOnBothDatabases } from '../test/databases.ts';
import { publicCreditList } from '../points/credit-views.service.ts';
import { seedDemoCity } from './seed-demo.ts';
import { demoCreditCode } from './seed-demo-credit.ts';

// Noon on Monday 23 Nov 2026 in Beijing, as the history test: the credit year is 2026.
const UNTIL = Date.parse('2026-11-23T12:00:00+08:00');
const lists: string[] = [];

test('demo credit codes carry a valid check character (GB 32100-2015), and a changed character is caught', () => {
  const random = createRandom(5);
  for (let i = 0; i < 200; i++) {
    const code = demoCreditCode(random, i % 2 ? '91' : '92', '990102');
    assert.equal(creditCodeProblem(code), null, code);
    const other = code[17] === '0' ? '1' : '0';
    assert.notEqual(creditCodeProblem(code.slice(0, 17) + other), null);
  }
});

describeOnBothDatabases('demo credit register', (database) => {
  before(async () => {
    await seedDemoCity(database().db, { seed: 7, targetGrids: 200, casesPerGridYear: 10, historyUntil: UNTIL, evaluations: false });
  }, { timeout: 120_000 });

  test('shops, contractors and muck-transport companies with the scores the shipped rules give their attributed cases', async () => {
    const list = await publicCreditList(database().db, { year: 2026 });
    const byName = (suffix: string) => list.items.find((s) => s.name.endsWith(suffix));
    assert.deepEqual(list.items.map((s) => s.kind).sort(), ['frontage_shop', 'frontage_shop', 'frontage_shop', 'muck_transport', 'muck_transport', 'sanitation_contractor', 'sanitation_contractor']);
    for (const s of list.items) assert.equal(creditCodeProblem(s.creditCode), null, s.creditCode);
    // 100 − 3 × 5 (09005 at a shop); 100 − 3 (06036); 100 + 2 good conduct; 100 − 2 × 10 (06014); 100 − 10.
    assert.deepEqual([byName('鑫源餐馆')?.score, byName('鑫源餐馆')?.level?.code], [85, 'B']);
    assert.deepEqual([byName('惠民便利店')?.score, byName('惠民便利店')?.level?.code], [97, 'A']);
    assert.deepEqual([byName('锦华五金店')?.score, byName('锦华五金店')?.level?.code], [102, 'A']);
    assert.deepEqual([byName('顺达渣土运输有限公司')?.score, byName('顺达渣土运输有限公司')?.level?.code], [80, 'B']);
    assert.deepEqual([byName('宏基建筑垃圾清运有限公司')?.score, byName('宏基建筑垃圾清运有限公司')?.level?.code], [90, 'A']);
    const linked = await database().db.selectFrom('credit_subjects').select('area_id').where('kind', '=', 'sanitation_contractor').where('area_id', 'is not', null).execute();
    assert.equal(linked.length, 2);
    // The same seed gives the same register (names, codes, scores) on either database.
    lists.push(JSON.stringify(list.items));
    if (lists.length === 2) assert.equal(lists[0], lists[1]);
  });
});
