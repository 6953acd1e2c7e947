import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyMeasures, type Measures } from '../indicators/measures.ts';
import { changeAgainst, rank } from './ranking.ts';
import { DEFAULT_PERFORMANCE_SCHEMES, reportRankingScore, validatePerformanceScheme, type PerformanceScheme } from './scheme.ts';
import { bandScore, scoreSubject } from './score.ts';

const m = (patch: Partial<Measures>): Measures => ({ ...emptyMeasures(), ...patch });

describe('performance schemes', () => {
  test('the default schemes are valid and weigh 100', () => {
    for (const scheme of Object.values(DEFAULT_PERFORMANCE_SCHEMES)) assert.deepEqual(validatePerformanceScheme(scheme), [], scheme.subject);
  });

  test('invalid schemes are refused naming the field', () => {
    const base = DEFAULT_PERFORMANCE_SCHEMES.department;
    const fields = (s: unknown) => validatePerformanceScheme(s).map((i) => i.field);
    assert.deepEqual(fields({ ...base, components: base.components.map((c, i) => (i === 0 ? { ...c, weight: 20 } : c)) }), ['components']);
    assert.deepEqual(fields({ ...base, components: [...base.components.slice(0, 3), { ...base.components[3]!, indicator: 'valid_report_rate' }] }), ['components[3].indicator']);
    assert.deepEqual(fields({ ...base, components: [{ ...base.components[0]!, scoring: { kind: 'count_bands', measure: 'dispatched', bands: [{ upTo: 50, score: 100 }, { upTo: 40, score: 90 }, { upTo: null, score: 0 }] } }, ...base.components.slice(1)] }), ['components[0].scoring.bands[1].upTo']);
    assert.deepEqual(fields({ ...base, components: [{ ...base.components[0]!, scoring: { kind: 'count_bands', measure: 'dispatched', bands: [{ upTo: 50, score: 100 }] } }, ...base.components.slice(1)] }), ['components[0].scoring.bands[0].upTo']);
    assert.deepEqual(fields({ ...base, grades: [{ grade: 'A', min: 90 }, { grade: 'B', min: 95 }, { grade: 'E', min: 0 }] }), ['grades[1].min']);
    assert.deepEqual(fields({ ...base, grades: [{ grade: 'A', min: 90 }] }), ['grades[0].min']);
    assert.deepEqual(fields({ ...base, subject: 'mayor' }), ['subject']);
    assert.deepEqual(fields({ ...base, minScoredWeight: 0 }), ['minScoredWeight']);
    assert.deepEqual(fields({ ...DEFAULT_PERFORMANCE_SCHEMES.inspector, components: [{ ...DEFAULT_PERFORMANCE_SCHEMES.inspector.components[0]!, weight: 100, indicator: 'on_time_dispatch_rate' }] }), ['components[0].indicator']);
  });
});

describe('scoring', () => {
  test('bands: counts up to and including the bound', () => {
    const bands = DEFAULT_PERFORMANCE_SCHEMES.department.components[0]!.scoring;
    assert.equal(bands.kind, 'count_bands');
    if (bands.kind !== 'count_bands') return;
    assert.deepEqual([0, 50, 51, 100, 101, 1000, 1001].map((n) => bandScore(bands.bands, n)), [100, 100, 90, 90, 75, 40, 0]);
  });

  test('a department, by hand', () => {
    // 立案数 (dispatched) 120 → 75; 结案率 90/100 → 90; 按期处置率 81/90 → 90; 返工率 9/90 → (1 − 0.1) × 100 = 90.
    // 75 × 10 % + 90 × 30 % × 3 = 7.5 + 81 = 88.5 → B.
    const s = scoreSubject(DEFAULT_PERFORMANCE_SCHEMES.department, { measures: m({ dispatched: 120, closed: 90, due_to_close: 100, handled_on_time: 81, due_to_handle: 90, reworked: 9, handled: 90 }) });
    assert.deepEqual([s.score, s.grade, s.partial], [88.5, 'B', false]);
    assert.deepEqual(s.components.map((c) => [c.code, c.score, c.points]), [['dispatched', 75, 7.5], ['closing_rate', 90, 27], ['on_time_handling_rate', 90, 27], ['rework_rate', 90, 27]]);
  });

  test('a region with grids of both classes, by hand', () => {
    // Grids: class 1 with 0 → 100, class 1 with 3 → 75, class 2 with 3 → 90: mean 88.333…
    // 监督举报率 20/50 → (1 − 0.4) × 100 = 60; 结案率 45/50 → 90; 按期结案率 40/50 → 80.
    // 60 × 0.1 + 88.333… × 0.2 + 90 × 0.3 + 80 × 0.4 = 6 + 17.6667 + 27 + 32 = 82.67 → B.
    const grids = [{ areaClass: '1', measures: m({ registered: 0 }) }, { areaClass: '1', measures: m({ registered: 3 }) }, { areaClass: '2', measures: m({ registered: 3 }) }];
    const s = scoreSubject(DEFAULT_PERFORMANCE_SCHEMES.region, { measures: m({ registered: 50, registered_public: 20, closed: 45, due_to_close: 50, closed_on_time: 40 }), grids });
    assert.deepEqual([s.score, s.grade], [82.67, 'B']);
    assert.equal(s.components[1]!.score, 88.33);
  });

  test('a rate with no denominator drops out and the other weights scale up', () => {
    // Inspector with reports but nothing to verify or check: 有效上报率 9/10 → 90 (40), 漏报率 1/4 → 75 (20).
    // (90 × 40 + 75 × 20) / 60 = 85 → B, partial.
    const s = scoreSubject(DEFAULT_PERFORMANCE_SCHEMES.inspector, { measures: m({ reports_made: 10, reports_valid: 9, area_registered: 4, area_registered_public: 1 }) });
    assert.deepEqual([s.score, s.grade, s.partial], [85, 'B', true]);
    assert.deepEqual(s.components.map((c) => c.points), [60, 25, null, null]);
    const none = scoreSubject(DEFAULT_PERFORMANCE_SCHEMES.inspector, { measures: emptyMeasures() });
    assert.deepEqual([none.score, none.grade], [null, null]);
    // A department given one case that it returned: only its workload band (10 %) has a value, under the
    // 50 % minimum, so it is not scored rather than ranked first on 100 points.
    const returnedOnly = scoreSubject(DEFAULT_PERFORMANCE_SCHEMES.department, { measures: m({ dispatched: 1, returned: 1 }) });
    assert.deepEqual([returnedOnly.score, returnedOnly.partial, returnedOnly.components[0]!.score], [null, true, 100]);
    assert.equal(scoreSubject({ ...DEFAULT_PERFORMANCE_SCHEMES.department, minScoredWeight: 10 }, { measures: m({ dispatched: 1 }) }).score, 100);
  });

  test('grades at their bounds', () => {
    const scheme: PerformanceScheme = { ...DEFAULT_PERFORMANCE_SCHEMES.shift_chief, components: [{ code: 'on_time_registration_rate', zh: '按时立案率', indicator: 'on_time_registration_rate', weight: 100, scoring: { kind: 'rate' } }] };
    const gradeAt = (n: number) => scoreSubject(scheme, { measures: m({ registrations: 100, registrations_on_time: n }) }).grade;
    assert.deepEqual([100, 90, 89, 75, 74, 60, 59, 40, 39, 0].map(gradeAt), ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E']);
  });
});

describe('ranking', () => {
  test('competition ranking on published scores, unscored last, change against the previous period', () => {
    const ranked = rank([{ key: 'B', score: 90 }, { key: 'A', score: 95.5 }, { key: 'C', score: 90 }, { key: 'D', score: null }, { key: 'E', score: 80 }]);
    assert.deepEqual(ranked.map((r) => [r.item.key, r.rank, r.tied]), [['A', 1, false], ['B', 2, true], ['C', 2, true], ['E', 4, false], ['D', null, false]]);
    assert.deepEqual(changeAgainst({ score: 90, rank: 2 }, { score: 85.25, rank: 4 }), { previousScore: 85.25, previousRank: 4, scoreChange: 4.75, rankChange: 2 });
    assert.deepEqual(changeAgainst({ score: 90, rank: 2 }, undefined), { previousScore: null, previousRank: null, scoreChange: null, rankChange: null });
  });
});

test('the department report ranks on its indicator in points of a hundred, better first, as printed', () => {
  assert.equal(reportRankingScore('on_time_handling_rate', 5 / 7), 71.43);
  // 返工率: lower is better, so 2 of 6 reworked ranks on its complement, 66.67.
  assert.equal(reportRankingScore('rework_rate', 2 / 6), 66.67);
  assert.equal(reportRankingScore('rework_rate', 0), 100);
  assert.equal(reportRankingScore('closing_rate', null), null);
});
