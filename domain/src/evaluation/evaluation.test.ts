import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CHECKLIST, validateChecklist, type ChecklistStandard } from './checklist.ts';
import { aggregateMonths, placeUnits } from './ladder.ts';
import { RESULT_ACTIONS, resultActionsFor } from './lifecycle.ts';
import { drawInspection } from './sampling.ts';
import { defaultComprehensiveScheme, validateComprehensiveScheme, type ComprehensiveScheme } from './scheme.ts';
import { scoreUnit } from './score.ts';

const CHECKLIST: ChecklistStandard = {
  name: 'test',
  items: [
    { code: 'A01', area: 'sanitation', zh: '暴露垃圾', en: 'Exposed garbage', deduction: 0.5, cap: 5, evidence: ['photo', 'gps'], classCode: '06010' },
    { code: 'A02', area: 'facilities', zh: '井盖缺失', en: 'Missing cover', deduction: 2, cap: 6, evidence: ['photo', 'gps'], classCode: '01023' },
    { code: 'A03', area: 'appearance', zh: '小广告', en: 'Flyers', deduction: 0.2, cap: 3, evidence: ['photo'], classCode: '07001' },
  ],
};

const SCHEME: ComprehensiveScheme = {
  ...defaultComprehensiveScheme('9901', 2026),
  handicaps: [{ unitCode: 'D1', points: -1, reason: '中心城区下调一个百分点' }],
  ladder: { rewards: [1_000_000, 500_000], penalties: [1_000_000, 300_000] },
};

test('a unit\'s month by hand: deductions scaled to 20 points, the weighted components, a penalty and the handicap', () => {
  const d1 = scoreUnit(SCHEME, CHECKLIST, {
    unitCode: 'D1', sampledPoints: 20, findings: [{ itemCode: 'A01', count: 3 }, { itemCode: 'A02', count: 1 }, { itemCode: 'A01', count: 1 }],
    componentScores: { case_performance: 80, satisfaction: 90, special_tasks: 85 }, adjustments: { media_exposure: 2 },
  });
  // A01: 4 × 0.5 = 2.00; A02: 1 × 2 = 2.00; inspection 100 − 4 = 96.
  // Both lose more than 30 % of their points: 2 of 5 and 2 of 6.
  assert.deepEqual(d1.inspection.items.map((i) => [i.itemCode, i.occurrences, i.deduction, i.warning]), [['A01', 4, 2, true], ['A02', 1, 2, true]]);
  assert.equal(d1.inspection.score, 96);
  // (60 × 96 + 20 × 80 + 10 × 90 + 10 × 85) / 100 = 91.10; − 2 (媒体曝光) − 1 (handicap) = 88.10.
  assert.equal(d1.base, 91.1);
  assert.deepEqual(d1.adjustments, [{ code: 'media_exposure', kind: 'penalty', entered: 2, points: -2 }]);
  assert.equal(d1.handicap, -1);
  assert.equal(d1.total, 88.1);
  assert.deepEqual(d1.warnings, ['A01 暴露垃圾: −2 of 5 (40%)', 'A02 井盖缺失: −2 of 6 (33.3%)']);
});

test('a smaller unit: 10 points sampled doubles each deduction; caps, warnings, a missing component and a capped bonus', () => {
  const d2 = scoreUnit(SCHEME, CHECKLIST, {
    unitCode: 'D2', sampledPoints: 10, findings: [{ itemCode: 'A01', count: 3 }, { itemCode: 'A03', count: 10 }],
    componentScores: { case_performance: 85, satisfaction: null, special_tasks: 90 }, adjustments: { major_event: 7 },
  });
  // A01: 3 × 0.5 × 20/10 = 3.00 (60 % of its 5 points: warning); A03: 10 × 0.2 × 2 = 4.00, capped at 3 (100 %: warning).
  assert.deepEqual(d2.inspection.items.map((i) => [i.itemCode, i.raw, i.deduction, i.capped, i.lostShare, i.warning]), [['A01', 3, 3, false, 0.6, true], ['A03', 4, 3, true, 1, true]]);
  assert.equal(d2.inspection.score, 94);
  assert.deepEqual(d2.warnings, ['A01 暴露垃圾: −3 of 5 (60%)', 'A03 小广告: −3 of 3 (100%)']);
  // No callbacks: satisfaction has no score and the other 90 points of weight carry the base: (60 × 94 + 20 × 85 + 10 × 90) / 90 = 91.5555… → 91.56.
  assert.equal(d2.scoredWeight, 90);
  assert.equal(d2.base, 91.56);
  // 重大活动保障 entered 7, capped at 5.
  assert.equal(d2.total, 96.56);
});

test('too little scored weight leaves a unit unscored, never ranked on part of the scheme', () => {
  const d = scoreUnit(SCHEME, CHECKLIST, { unitCode: 'DX', sampledPoints: 0, findings: [], componentScores: { case_performance: 90, satisfaction: 90, special_tasks: 90 }, adjustments: {} });
  assert.equal(d.inspection.score, null);
  assert.equal(d.scoredWeight, 40);
  assert.equal(d.total, null);
});

test('places, shared ranks and the ladder in fen: a tie broken by inspection, a tie shared and split, each_full', () => {
  const units = [
    { unitCode: 'D1', total: 88.1, tieScores: [96] },
    { unitCode: 'D2', total: 96.56, tieScores: [94] },
    { unitCode: 'D3', total: 88.8, tieScores: [98] },
    { unitCode: 'D4', total: 88.8, tieScores: [100] },
    { unitCode: 'D5', total: 88.8, tieScores: [98] },
    { unitCode: 'D6', total: null, tieScores: [null] },
  ];
  const split = placeUnits(units, SCHEME.ladder, 'split');
  // D2 first (+1,000,000); D4 before D3 and D5 on inspection (+500,000); D3 and D5 share 3rd, holding places 3 and 4 of 5:
  // place 4 is second-from-last (−300,000), pooled and split: −150,000 each; D1 last (−1,000,000); D6 unscored.
  assert.deepEqual(split.map((p) => [p.unitCode, p.place, p.rank, p.tied, p.amountFen / 100]), [
    ['D2', 1, 1, false, 1_000_000], ['D4', 2, 2, false, 500_000], ['D3', 3, 3, true, -150_000], ['D5', 4, 3, true, -150_000], ['D1', 5, 5, false, -1_000_000], ['D6', null, null, false, 0],
  ]);
  const full = placeUnits(units, SCHEME.ladder, 'each_full');
  // each_full: both pay what 3rd place pays, which is nothing.
  assert.deepEqual(full.filter((p) => p.tied).map((p) => [p.unitCode, p.amountFen]), [['D3', 0], ['D5', 0]]);
  // A split that does not divide: 1,000,000 + 500,000 + 300,001 yuan among three tied for first = 60,000,033⅓ fen each; the odd fen goes to the first code.
  const three = placeUnits([{ unitCode: 'B', total: 90, tieScores: [] }, { unitCode: 'A', total: 90, tieScores: [] }, { unitCode: 'C', total: 90, tieScores: [] }, { unitCode: 'Z', total: 10, tieScores: [] }],
    { rewards: [1_000_000, 500_000, 300_001], penalties: [] }, 'split');
  assert.deepEqual(three.map((p) => [p.unitCode, p.rank, p.amountFen]), [['A', 1, 60_000_034], ['B', 1, 60_000_033], ['C', 1, 60_000_033], ['Z', 4, 0]]);
  assert.equal(three.reduce((s, p) => s + p.amountFen, 0), 180_000_100);
});

test('a place within reach of both ends takes its reward', () => {
  const two = placeUnits([{ unitCode: 'A', total: 90, tieScores: [] }, { unitCode: 'B', total: 80, tieScores: [] }], { rewards: [100, 50], penalties: [100] }, 'split');
  assert.deepEqual(two.map((p) => p.amountFen), [10_000, 5_000]);
});

test('quarterly ranking: the mean of the monthly totals, the money added up', () => {
  const q = aggregateMonths([
    [{ unitCode: 'A', total: 90, amountFen: 100 }, { unitCode: 'B', total: 80, amountFen: -100 }],
    [{ unitCode: 'A', total: 70, amountFen: -100 }, { unitCode: 'B', total: 85, amountFen: 100 }],
    [{ unitCode: 'A', total: null, amountFen: 0 }, { unitCode: 'B', total: 75.01, amountFen: 0 }],
  ]);
  // A: (90 + 70) / 2 = 80 over 2 months; B: (80 + 85 + 75.01) / 3 = 80.0033… → 80.00: tied with A.
  assert.deepEqual(q.map((u) => [u.unitCode, u.months, u.average, u.amountFen, u.rank, u.tied]), [['A', 2, 80, 0, 1, true], ['B', 3, 80, 0, 1, true]]);
});

test('the 双随机 draw repeats from its seed, spreads over the unit\'s grids and the evaluators evenly', () => {
  const units = [
    { unitCode: 'U2', grids: [{ id: 21, code: 'g21' }, { id: 22, code: 'g22' }] },
    { unitCode: 'U1', grids: [{ id: 11, code: 'g11' }, { id: 12, code: 'g12' }, { id: 13, code: 'g13' }, { id: 14, code: 'g14' }] },
  ];
  const a = drawInspection(42, units, 4, [7, 8, 9]);
  assert.deepEqual(drawInspection(42, [...units].reverse(), 4, [9, 8, 7]), a, 'the same seed and inputs in any order give the same draw');
  assert.notDeepEqual(drawInspection(43, units, 4, [7, 8, 9]), a);
  assert.deepEqual(a.map((p) => `${p.unitCode}#${p.seq}`), ['U1#1', 'U1#2', 'U1#3', 'U1#4', 'U2#1', 'U2#2', 'U2#3', 'U2#4']);
  assert.deepEqual(new Set(a.filter((p) => p.unitCode === 'U1').map((p) => p.gridId)), new Set([11, 12, 13, 14]), 'four points over four grids: each once');
  const u2 = a.filter((p) => p.unitCode === 'U2').map((p) => p.gridId);
  assert.deepEqual([u2.filter((g) => g === 21).length, u2.filter((g) => g === 22).length], [2, 2], 'two grids, four points: each twice');
  const load = [7, 8, 9].map((e) => a.filter((p) => p.evaluatorId === e).length);
  assert.ok(Math.max(...load) - Math.min(...load) <= 1, `even load ${load}`);
});

test('schemes are refused with every problem named', () => {
  assert.deepEqual(validateComprehensiveScheme(SCHEME), []);
  const bad = {
    ...SCHEME, year: 1999,
    components: [...SCHEME.components.slice(0, 3), { code: 'satisfaction', zh: '专项', en: 'Special', kind: 'entered', weight: 20 }, { code: 'x', zh: 'x', en: 'x', kind: 'indicator', indicator: 'on_time_check_rate', weight: 1 }],
    ties: { breakBy: ['nowhere'], money: 'half' },
    ladder: { rewards: [500_000, 1_000_000], penalties: [1.5] },
    handicaps: [{ unitCode: 'D9', points: 0, reason: '' }],
    appealDays: 0,
  };
  const fields = validateComprehensiveScheme(bad, { nodeCodes: new Set(['9901']), childCodes: new Set(['D1']), checklistCodes: new Set(['default']) }).map((i) => i.field);
  assert.deepEqual(fields.sort(), [
    'appealDays', 'components', 'components[3].code', 'components[4].indicator', 'handicaps[0].points', 'handicaps[0].reason', 'handicaps[0].unitCode',
    'ladder.penalties[0]', 'ladder.rewards[1]', 'ties.breakBy[0]', 'ties.money', 'year',
  ].sort());
});

test('the default checklist is valid; a bad one names each field', () => {
  assert.deepEqual(validateChecklist(DEFAULT_CHECKLIST), []);
  assert.equal(new Set(DEFAULT_CHECKLIST.items.map((i) => i.area)).size, 6, 'every area of PRODUCT.md §8');
  const fields = validateChecklist({ name: 'x', items: [{ ...CHECKLIST.items[0], cap: 0.1 }, { ...CHECKLIST.items[0], area: 'space', classCode: '99999' }] }, new Set(['06010'])).map((i) => i.field);
  assert.deepEqual(fields, ['items[0].cap', 'items[1].code', 'items[1].area', 'items[1].classCode']);
});

test('the result lifecycle: the office moves it, appeals only while preliminary, and nothing edits a published result', () => {
  assert.deepEqual(resultActionsFor('draft', ['evaluation_office']), ['recompute', 'issue']);
  assert.deepEqual(resultActionsFor('published', ['evaluation_office']), ['correct']);
  assert.deepEqual(resultActionsFor('draft', ['territory_government']), []);
  for (const action of Object.values(RESULT_ACTIONS)) assert.equal((action.from as readonly string[]).includes('superseded'), false);
  assert.equal(RESULT_ACTIONS.correct.to, 'draft', 'a correction opens a new version; the published one is kept');
});
