import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { geometryContains } from '@cityops/domain/geo/grid-index';
import type { Polygon } from '@cityops/domain/geo/geometry';
import { creditCodeProblem } from '@cityops/domain/points/credit-code';
import { DEFAULT_CREDIT_RULES } from '@cityops/domain/points/credit-rules';
import { createRandom } from '@cityops/domain/random';
import { describeOnBothDatabases } from '../test/databases.ts';
import { JOBS } from '../jobs/jobs.ts';
import { publicCreditList } from '../points/credit-views.service.ts';
import { parseFrontageName } from './demo-frontages.ts';
import { seedDemoCity } from './seed-demo.ts';
import { demoCreditCode } from './seed-demo-credit.ts';

// Noon on Monday 23 Nov 2026 in Beijing, as the history test: the credit year is 2026, the sweep's years 2025 and 2026.
const UNTIL = Date.parse('2026-11-23T12:00:00+08:00');
const FROM_2025 = Date.parse('2025-01-01T00:00:00+08:00');
const SHOP_CLASSES = DEFAULT_CREDIT_RULES.violations.filter((v) => v.subjectKinds.includes('frontage_shop')).map((v) => v.classCode);
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

  const shops = () => database().db.selectFrom('credit_subjects as s').innerJoin('responsibility_areas as a', 'a.id', 's.area_id').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id')
    .select(['s.id', 's.name', 's.address', 'a.id as area_id', 'a.code', 'a.name as area_name', 'a.kind', 'a.department_id', 'a.responsible_person', 'a.geometry', 't.level'])
    .where('s.kind', '=', 'frontage_shop').orderBy('s.id').execute();

  test('every demo street has 门前三包 frontages; each shop is registered with the frontage at its door; the office attributed the muck-transport cases', async () => {
    const db = database().db;
    const frontages = await db.selectFrom('responsibility_areas as a').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id')
      .select(['a.name', 'a.department_id', 'a.responsible_person', 't.code', 't.level']).where('a.kind', '=', 'frontage').execute();
    // 14 streets at 200 grids, each with a stretch of shops on its road; a shop answers to its street government, no department.
    assert.equal(new Set(frontages.map((f) => f.code)).size, 14);
    assert.ok(frontages.every((f) => f.level === 'street' && f.department_id === null && f.responsible_person && parseFrontageName(f.name)), 'street unit, a person, a shop\'s name');

    const linked = await shops();
    assert.equal(linked.length, 3);
    for (const s of linked) {
      const named = parseFrontageName(s.area_name)!;
      assert.equal(s.kind, 'frontage');
      assert.ok(s.name.endsWith(named.shop) && s.address!.endsWith(`${named.road}${named.houseNumber}号`), `${s.name}, ${s.address}: ${s.area_name}`);
    }
    const list = await publicCreditList(db, { year: 2026 });
    const byName = (suffix: string) => list.items.find((s) => s.name.endsWith(suffix));
    assert.deepEqual(list.items.map((s) => s.kind).sort(), ['frontage_shop', 'frontage_shop', 'frontage_shop', 'muck_transport', 'muck_transport', 'sanitation_contractor', 'sanitation_contractor']);
    for (const s of list.items) assert.equal(creditCodeProblem(s.creditCode), null, s.creditCode);
    // Before any sweep: the shops at the base score (the clean one + 2 for good conduct); 100 − 2 × 10 and 100 − 10 (06014, attributed).
    assert.deepEqual(linked.map((s) => list.items.find((i) => i.name === s.name)?.score), [100, 100, 102]);
    assert.deepEqual([byName('顺达渣土运输有限公司')?.score, byName('顺达渣土运输有限公司')?.level?.code], [80, 'B']);
    assert.deepEqual([byName('宏基建筑垃圾清运有限公司')?.score, byName('宏基建筑垃圾清运有限公司')?.level?.code], [90, 'A']);
    const contractors = await db.selectFrom('credit_subjects').select('area_id').where('kind', '=', 'sanitation_contractor').where('area_id', 'is not', null).execute();
    assert.equal(contractors.length, 2);
  });

  test('after the demo\'s points sweep the shops carry the demo\'s cases at their door, and the frontages their accumulated points', async () => {
    const db = database().db;
    await JOBS.find((j) => j.name === 'points_sweep')!.run(db, UNTIL);
    const cases = await db.selectFrom('cases').select(['code', 'class_code', 'lon', 'lat']).where('class_code', 'in', SHOP_CLASSES).where('registered_at', 'is not', null)
      .where('merged_into_id', 'is', null).where('reported_at', '>=', FROM_2025).where('reported_at', '<', UNTIL).execute();
    const linked = await shops();
    const violations = await db.selectFrom('points_entries').select(['subject_id', 'source_ref', 'event']).where('ledger', '=', 'credit').where('event', '=', 'violation').execute();
    for (const s of linked) {
      const door = JSON.parse(s.geometry) as Polygon;
      const expected = cases.filter((c) => geometryContains(door, c.lon, c.lat)).map((c) => c.code).sort();
      assert.deepEqual(violations.filter((v) => Number(v.subject_id) === Number(s.id)).map((v) => v.source_ref).sort(), expected, s.name);
    }
    // Seed 7: the 09005 shop's frontage saw one 店外经营 case (−5), the 06036 shop's one 乱堆杂物 (−3); the clean shop none.
    const classesOf = async (id: number) => (await db.selectFrom('points_entries as e').innerJoin('cases as c', 'c.code', 'e.source_ref').select('c.class_code').where('e.ledger', '=', 'credit').where('e.subject_id', '=', id).execute()).map((r) => r.class_code);
    assert.deepEqual(await classesOf(Number(linked[0]!.id)), ['09005']);
    assert.deepEqual(await classesOf(Number(linked[1]!.id)), ['06036']);
    const list = await publicCreditList(db, { year: 2026 });
    assert.deepEqual(linked.map((s) => list.items.find((i) => i.name === s.name)?.score), [95, 97, 102]);

    // The frontages' accumulated points: cases gone overdue there, and repeats, each inside the frontage it is charged to.
    const charged = await db.selectFrom('points_entries as e').innerJoin('responsibility_areas as a', 'a.id', 'e.subject_id').innerJoin('cases as c', 'c.code', 'e.source_ref')
      .select(['e.event', 'e.points', 'a.geometry', 'c.lon', 'c.lat', 'e.unit_kind']).where('e.ledger', '=', 'responsibility').where('e.subject_kind', '=', 'area').where('a.kind', '=', 'frontage').execute();
    assert.ok(charged.length > 0, 'frontages charged');
    assert.ok(charged.every((e) => geometryContains(JSON.parse(e.geometry) as Polygon, e.lon, e.lat) && e.unit_kind === 'territory'), 'each inside its frontage, against the street government');
    assert.deepEqual([...new Set(charged.map((e) => `${e.event} ${Number(e.points) / 10}`))].sort(), ['case_overdue -2', 'case_repeated -1']);
    // The same seed gives the same register (names, codes, scores) on either database.
    lists.push(JSON.stringify(list.items));
    if (lists.length === 2) assert.equal(lists[0], lists[1]);
  });
});
