import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bandOf, beijingYear, beijingYearRange, crossingsInDateOrder, newCrossings, reachedLevels, toTenths, totalOf } from './engine.ts';
import { ALERT_LEVEL_ORDER, DEFAULT_RESPONSIBILITY_RULES, chargedArea, eventTenths, thresholdsInTenths, validateResponsibilityRules } from './responsibility-rules.ts';
import { DEFAULT_CREDIT_RULES, creditBandsInTenths, findingTenths, validateCreditRules, violationTenths } from './credit-rules.ts';
import { creditCodeCheckCharacter, creditCodeProblem } from './credit-code.ts';

test('points are kept in exact tenths; more than one decimal is refused', () => {
  assert.equal(toTenths(-2.5), -25);
  assert.equal(toTenths(0.1 + 0.2), 3, '0.30000000000000004 is 3 tenths');
  assert.equal(toTenths(-0.25), null);
  assert.equal(toTenths(Number.NaN), null);
  assert.equal(totalOf([{ points: -10 }, { points: -25 }, { points: 5 }]), -30);
});

test('thresholds: reached at or below, each crossing once, mildest first', () => {
  const t = thresholdsInTenths(DEFAULT_RESPONSIBILITY_RULES, 'frontage');
  assert.deepEqual(t, { warning: -100, yellow_card: -200 });
  assert.deepEqual(reachedLevels(ALERT_LEVEL_ORDER, t, -99), []);
  assert.deepEqual(reachedLevels(ALERT_LEVEL_ORDER, t, -100), ['warning']);
  assert.deepEqual(reachedLevels(ALERT_LEVEL_ORDER, t, -200), ['warning', 'yellow_card']);
  assert.deepEqual(newCrossings(ALERT_LEVEL_ORDER, t, -250, new Set(['warning'])), ['yellow_card']);
  assert.deepEqual(newCrossings(ALERT_LEVEL_ORDER, t, -250, new Set(['warning', 'yellow_card'])), []);
  assert.deepEqual(reachedLevels(ALERT_LEVEL_ORDER, undefined, -1000), []);
});

test('crossings follow the entries\' dates, not the order they were recorded in', () => {
  const t = { warning: -100, yellow_card: -200 };
  // Recorded: id 1 overdue −2 at 13:00, id 2 repeat −1 at 21:00, then id 3 a finding −2 found at 09:00 (entered
  // late). In date order: id 3 −2 (warning at −2), id 1 −4 (yellow card at −4), id 2 −5. In tenths.
  const entries = [
    { id: 1, points: -20, occurredAt: 1300 },
    { id: 2, points: -10, occurredAt: 2100 },
    { id: 3, points: -20, occurredAt: 900 },
  ];
  const small = { warning: -20, yellow_card: -40 };
  assert.deepEqual(crossingsInDateOrder(ALERT_LEVEL_ORDER, small, 0, entries, new Set()), [
    { level: 'warning', entryId: 3, occurredAt: 900, total: -20 },
    { level: 'yellow_card', entryId: 1, occurredAt: 1300, total: -40 },
  ]);
  // A level recorded already is not crossed again; the base is the total before the first entry.
  assert.deepEqual(crossingsInDateOrder(ALERT_LEVEL_ORDER, t, -90, entries, new Set(['warning'])), []);
  // From −15: id 3 −17, id 1 −19, id 2 −20: the yellow card at id 2.
  assert.deepEqual(crossingsInDateOrder(ALERT_LEVEL_ORDER, t, -150, entries, new Set(['warning'])), [{ level: 'yellow_card', entryId: 2, occurredAt: 2100, total: -200 }]);
  // A bonus dated between two deductions keeps the total above the line in date order.
  assert.deepEqual(crossingsInDateOrder(ALERT_LEVEL_ORDER, small, 0, [{ id: 1, points: -20, occurredAt: 100 }, { id: 2, points: -10, occurredAt: 300 }, { id: 3, points: 15, occurredAt: 200 }], new Set(['warning'])), []);
  assert.deepEqual(crossingsInDateOrder(ALERT_LEVEL_ORDER, undefined, -1000, entries, new Set()), []);
});

test('a located event counts against the first overlay kind of the precedence', () => {
  const road = { kind: 'road_segment' as const, code: 'R1' };
  const front = { kind: 'frontage' as const, code: 'F1' };
  const duty = { kind: 'duty_area' as const, code: 'D1' };
  assert.equal(chargedArea(DEFAULT_RESPONSIBILITY_RULES, [duty, road, front]), front);
  assert.equal(chargedArea(DEFAULT_RESPONSIBILITY_RULES, [duty, road]), road);
  assert.equal(chargedArea({ ...DEFAULT_RESPONSIBILITY_RULES, overlayPrecedence: ['duty_area'] }, [road, front]), null);
  assert.equal(eventTenths(DEFAULT_RESPONSIBILITY_RULES, 'finding', 'duty_area'), -5);
  assert.equal(eventTenths({ ...DEFAULT_RESPONSIBILITY_RULES, events: { ...DEFAULT_RESPONSIBILITY_RULES.events, finding: {} } }, 'finding', 'frontage'), null);
});

test('the default rule sets are valid; bad rules are refused naming each field', () => {
  assert.deepEqual(validateResponsibilityRules(DEFAULT_RESPONSIBILITY_RULES), []);
  assert.deepEqual(validateCreditRules(DEFAULT_CREDIT_RULES), []);
  const bad = {
    ...DEFAULT_RESPONSIBILITY_RULES, name: ' ', overlayPrecedence: ['frontage', 'frontage', 'park'],
    events: { ...DEFAULT_RESPONSIBILITY_RULES.events, finding: { frontage: 2, road_segment: -0.25 }, fine: {} },
    repeatWindowDays: 0, bonusMax: -1,
    thresholds: { frontage: { warning: -20, yellow_card: -10 }, shop: {}, territory: { orange: -5 } },
  };
  assert.deepEqual(validateResponsibilityRules(bad).map((i) => i.field), [
    'name', 'overlayPrecedence[1]', 'overlayPrecedence[2]', 'events.fine', 'events.finding.frontage', 'events.finding.road_segment',
    'repeatWindowDays', 'bonusMax', 'thresholds.frontage.yellow_card', 'thresholds.shop', 'thresholds.territory.orange',
  ]);
  const badCredit = {
    ...DEFAULT_CREDIT_RULES, baseScore: 0,
    violations: [{ classCode: '09005', subjectKinds: ['frontage_shop'], points: -5 }, { classCode: '09005', subjectKinds: ['frontage_shop', 'bank'], points: 1 }, { classCode: '99999', subjectKinds: ['muck_transport'], points: -1 }],
    levels: [{ code: 'A', zh: '守信', min: 80 }, { code: 'B', zh: '基本守信', min: 85 }, { code: 'c', zh: '', min: 10 }],
  };
  assert.deepEqual(validateCreditRules(badCredit, { classCodes: new Set(['09005']) }).map((i) => i.field), [
    'baseScore', 'violations[1].subjectKinds[1]', 'violations[1].points', 'violations[1].subjectKinds', 'violations[2].classCode',
    'levels[1].min', 'levels[2].code', 'levels[2].zh', 'levels[2].min',
  ]);
});

test('credit levels by score bands; prices by class and item per kind of subject', () => {
  const bands = creditBandsInTenths(DEFAULT_CREDIT_RULES);
  assert.deepEqual([1000, 900, 899, 750, 600, 599, -50].map((s) => bandOf(bands, s).code), ['A', 'A', 'B', 'B', 'C', 'D', 'D']);
  assert.equal(violationTenths(DEFAULT_CREDIT_RULES, '09005', 'frontage_shop'), -50);
  assert.equal(violationTenths(DEFAULT_CREDIT_RULES, '09005', 'muck_transport'), null);
  assert.equal(violationTenths(DEFAULT_CREDIT_RULES, '06010', 'sanitation_contractor'), -20);
  assert.equal(findingTenths(DEFAULT_CREDIT_RULES, 'ORD02', 'frontage_shop'), -50);
  fc.assert(fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }), (a, b) => {
    // A higher score never falls in a worse band.
    const order = bands.map((x) => x.code);
    return a < b ? order.indexOf(bandOf(bands, b).code) <= order.indexOf(bandOf(bands, a).code) : true;
  }));
});

test('the unified social credit code: 18 characters of its charset with the GB 32100 check character', () => {
  // Published codes of well-known companies.
  for (const code of ['91350100M000100Y43', '91110000600037341L', '91310000717866389C']) assert.equal(creditCodeProblem(code), null, code);
  assert.equal(creditCodeCheckCharacter('91440300708461136'), 'T');
  assert.match(creditCodeProblem('91350100M000100Y44')!, /check character is 4, the code calls for 3/);
  assert.match(creditCodeProblem('91350100M000100Y4')!, /18 characters/);
  assert.match(creditCodeProblem('91350100M0001O0Y43')!, /character 14 \(O\)/);
  assert.match(creditCodeProblem('91AB0100M000100Y43')!, /administrative division/);
  fc.assert(fc.property(fc.stringMatching(/^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}$/), (first17) => creditCodeProblem(first17 + creditCodeCheckCharacter(first17)) === null));
});

test('years are Beijing calendar years', () => {
  assert.equal(beijingYear(Date.parse('2026-12-31T16:00:00Z')), 2027, 'midnight of 1 January in Beijing');
  assert.equal(beijingYear(Date.parse('2026-12-31T15:59:59Z')), 2026);
  assert.deepEqual(beijingYearRange(2026), { fromMs: Date.parse('2025-12-31T16:00:00Z'), toMs: Date.parse('2026-12-31T16:00:00Z') });
});
