import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatTimeLimit,
  parseTimeLimit,
  parseTimeLimitLabel,
  TIME_LIMIT_UNITS,
  timeLimitUnitRow,
  validateTimeLimit,
} from './time-limits.ts';

describe('time-limit unit table', () => {
  test('each unit has a clock, a length and zh/en labels', () => {
    assert.deepEqual(
      TIME_LIMIT_UNITS.map((r) => [r.unit, r.clock, r.msPerUnit, r.zh]),
      [
        ['working_minutes', 'working', 60_000, '工作分钟'],
        ['working_hours', 'working', 3_600_000, '工作时'],
        ['working_days', 'working', 'workday', '工作日'],
        ['calendar_hours', 'continuous', 3_600_000, '自然时'],
        ['calendar_days', 'continuous', 86_400_000, '自然日'],
        ['urgent_hours', 'continuous', 3_600_000, '紧急工作时'],
      ],
    );
    for (const row of TIME_LIMIT_UNITS) assert.ok(row.en.length > 0);
    assert.equal(timeLimitUnitRow('urgent_hours').clock, 'continuous');
  });
});

describe('validateTimeLimit / parseTimeLimit', () => {
  test('accepts positive values with at most two decimals', () => {
    assert.deepEqual(parseTimeLimit({ value: 4, unit: 'working_hours' }), { ok: true, limit: { value: 4, unit: 'working_hours' } });
    assert.deepEqual(parseTimeLimit({ value: 1.15, unit: 'working_days', extra: 1 }), { ok: true, limit: { value: 1.15, unit: 'working_days' } });
    assert.deepEqual(validateTimeLimit({ value: 0.01, unit: 'calendar_days' }), []);
  });

  test('errors name the field', () => {
    assert.deepEqual(validateTimeLimit({ value: 0, unit: 'working_hours' }).map((e) => e.field), ['limit.value']);
    assert.deepEqual(validateTimeLimit({ value: -1, unit: 'working_hours' }).map((e) => e.field), ['limit.value']);
    assert.deepEqual(validateTimeLimit({ value: Infinity, unit: 'working_hours' }).map((e) => e.field), ['limit.value']);
    assert.deepEqual(validateTimeLimit({ value: '4', unit: 'working_hours' }).map((e) => e.field), ['limit.value']);
    const decimals = validateTimeLimit({ value: 1.155, unit: 'working_hours' }, 'stageLimits.verify');
    assert.deepEqual(decimals.map((e) => e.field), ['stageLimits.verify.value']);
    assert.match(decimals[0]?.message ?? '', /2 decimals/);
    assert.deepEqual(validateTimeLimit({ value: 4, unit: 'hours' }).map((e) => e.field), ['limit.unit']);
    assert.deepEqual(validateTimeLimit(null).map((e) => e.field), ['limit']);
    const both = parseTimeLimit({ value: NaN, unit: 'weeks' }, 'limit');
    assert.equal(both.ok, false);
    if (!both.ok) assert.deepEqual(both.errors.map((e) => e.field), ['limit.value', 'limit.unit']);
  });
});

describe('parseTimeLimitLabel (CSV imports)', () => {
  const cases: [string, number, string][] = [
    ['4 工作时', 4, 'working_hours'],
    ['15 工作日', 15, 'working_days'],
    ['1 自然日', 1, 'calendar_days'],
    ['2 紧急工作时', 2, 'urgent_hours'],
    ['30 工作分钟', 30, 'working_minutes'],
    ['48 自然时', 48, 'calendar_hours'],
    ['15工作日', 15, 'working_days'],
    ['  0.5 工作小时 ', 0.5, 'working_hours'],
    ['４ 工作时', 4, 'working_hours'], // full-width digit
    ['4 working_hours', 4, 'working_hours'],
    ['2 Working Days', 2, 'working_days'],
  ];
  for (const [text, value, unit] of cases) {
    test(`'${text}'`, () => {
      assert.deepEqual(parseTimeLimitLabel(text), { ok: true, limit: { value, unit } });
    });
  }

  test('rejects unknown units, missing numbers and bad values, naming the field', () => {
    for (const text of ['4 小时', '工作日', '4', '0 工作日', '1.234 工作时', '-1 工作时']) {
      const r = parseTimeLimitLabel(text, 'rows[3].limit');
      assert.equal(r.ok, false, text);
      if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field), ['rows[3].limit'], text);
    }
    assert.equal(parseTimeLimitLabel(4).ok, false);
  });

  test('formatTimeLimit is the inverse', () => {
    for (const row of TIME_LIMIT_UNITS) {
      const limit = { value: 2.5, unit: row.unit };
      assert.deepEqual(parseTimeLimitLabel(formatTimeLimit(limit)), { ok: true, limit });
      assert.deepEqual(parseTimeLimitLabel(formatTimeLimit(limit, 'en')), { ok: true, limit });
    }
  });
});
