import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRate, indicatorAttribution, indicatorValue, INDICATORS, ratio, roundHalfUp } from './indicators.ts';
import { emptyMeasures, MEASURES } from './measures.ts';
import { parsePeriod, periodContaining, previousPeriod, type Period } from './periods.ts';

const period = (code: string): Period => {
  const p = parsePeriod(code);
  if (!p.ok) throw new Error(p.issue.message);
  return p.period;
};
const bjIso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('periods in Beijing time', () => {
  test('each kind starts and ends at Beijing midnight', () => {
    const cases: [string, string, string, string][] = [
      ['2026-10-08', 'day', '2026-10-08 00:00', '2026-10-09 00:00'],
      ['2026-10-H1', 'half_month', '2026-10-01 00:00', '2026-10-16 00:00'],
      ['2026-02-H2', 'half_month', '2026-02-16 00:00', '2026-03-01 00:00'],
      ['2026-10', 'month', '2026-10-01 00:00', '2026-11-01 00:00'],
      ['2026-Q4', 'quarter', '2026-10-01 00:00', '2027-01-01 00:00'],
      ['2026', 'year', '2026-01-01 00:00', '2027-01-01 00:00'],
      ['2026-10-01..2026-10-20', 'custom', '2026-10-01 00:00', '2026-10-21 00:00'],
    ];
    for (const [code, kind, from, to] of cases) {
      const p = period(code);
      assert.deepEqual([p.kind, bjIso(p.fromMs), bjIso(p.toMs), p.code], [kind, from, to, code], code);
    }
    // 2026-10-01 00:00 in Beijing is 2026-09-30 16:00 UTC.
    assert.equal(new Date(period('2026-10').fromMs).toISOString(), '2026-09-30T16:00:00.000Z');
    assert.equal(period('2026-10-H2').zh, '2026年10月下半月');
    assert.equal(period('2026-Q3').zh, '2026年第三季度');
  });

  test('the previous period of each kind, across year ends', () => {
    assert.equal(previousPeriod(period('2026-01')).code, '2025-12');
    assert.equal(previousPeriod(period('2026-01-H1')).code, '2025-12-H2');
    assert.equal(previousPeriod(period('2026-03-H2')).code, '2026-03-H1');
    assert.equal(previousPeriod(period('2026-Q1')).code, '2025-Q4');
    assert.equal(previousPeriod(period('2026-03-01')).code, '2026-02-28');
    assert.equal(previousPeriod(period('2026-10-11..2026-10-20')).code, '2026-10-01..2026-10-10');
  });

  test('the period containing an instant uses the Beijing date', () => {
    // 2026-10-31 17:00 UTC is 1 November 01:00 in Beijing.
    const ms = Date.parse('2026-10-31T17:00:00Z');
    assert.equal(periodContaining('month', ms).code, '2026-11');
    assert.equal(periodContaining('half_month', Date.parse('2026-11-15T15:59:00Z')).code, '2026-11-H1');
    assert.equal(periodContaining('half_month', Date.parse('2026-11-15T16:00:00Z')).code, '2026-11-H2');
  });

  test('bad codes name the field and show the forms', () => {
    for (const code of ['2026-13', '2026-10-32', '2026-Q5', '2026-10-20..2026-10-01', 'October', '2026-10-H3']) {
      const p = parsePeriod(code, 'period');
      assert.equal(p.ok, false, code);
      if (!p.ok) assert.equal(p.issue.field, 'period');
    }
  });
});

describe('indicators', () => {
  test('the seeds\' figures: (findings − overtime) / findings', () => {
    // 6446 findings with 448 overtime → 93.05 %; 7419 / 550 → 92.59 %; 6644 / 58 → 99.13 %.
    assert.equal(formatRate(ratio(6446 - 448, 6446)), '93.05%');
    assert.equal(formatRate(ratio(7419 - 550, 7419)), '92.59%');
    assert.equal(formatRate(ratio(6644 - 58, 6644)), '99.13%');
    // 天门 December: 应结案 972, 结案 911 → 93.72 %; 按期 737 → 75.82 %.
    const m = { ...emptyMeasures(), due_to_close: 972, closed: 911, closed_on_time: 737 };
    assert.equal(formatRate(indicatorValue('closing_rate', m)), '93.72%');
    assert.equal(formatRate(indicatorValue('on_time_closing_rate', m)), '75.82%');
  });

  test('a zero denominator has no value and shows as —, never 0 % or 100 %', () => {
    const m = emptyMeasures();
    for (const code of Object.keys(INDICATORS) as (keyof typeof INDICATORS)[]) assert.equal(indicatorValue(code, m), null, code);
    assert.equal(formatRate(null), '—');
    assert.equal(formatRate(0), '0.00%');
    assert.equal(formatRate(1), '100.00%');
  });

  test('rounding is half up on the decimal value', () => {
    assert.equal(roundHalfUp(1.005, 2), 1.01);
    assert.equal(roundHalfUp(0.125, 2), 0.13);
    assert.equal(roundHalfUp(93.045, 2), 93.05);
    assert.equal(formatRate(1 / 8, 1), '12.5%');
    assert.equal(formatRate(2 / 3), '66.67%');
  });

  test('every indicator is built from defined counts that share an attribution', () => {
    for (const [code, row] of Object.entries(INDICATORS)) {
      assert.ok(row.numerator in MEASURES && row.denominator in MEASURES, code);
      assert.ok(indicatorAttribution(code as keyof typeof INDICATORS).length > 0, `${code} cannot be attributed to anything`);
    }
    assert.deepEqual(indicatorAttribution('closing_rate'), ['territory', 'department']);
    assert.deepEqual(indicatorAttribution('public_report_rate'), ['territory']);
    assert.deepEqual(indicatorAttribution('valid_report_rate'), ['person']);
  });
});

describe('half-month numbering', () => {
  test('each instant falls in the half-month that starts at or before it, in Beijing time', async () => {
    const { halfMonthIndex, halfMonthStart } = await import('./periods.ts');
    const h = halfMonthIndex(Date.parse('2026-10-16T00:00:00+08:00'));
    assert.equal(halfMonthIndex(Date.parse('2026-10-15T23:59:59+08:00')), h - 1);
    assert.equal(halfMonthStart(h), Date.parse('2026-10-16T00:00:00+08:00'));
    assert.equal(halfMonthStart(h + 1), Date.parse('2026-11-01T00:00:00+08:00'));
    assert.equal(halfMonthStart(halfMonthIndex(Date.parse('2027-01-01T00:00:00+08:00'))), Date.parse('2027-01-01T00:00:00+08:00'));
    assert.equal(halfMonthIndex(Date.parse('2026-12-31T16:30:00Z')), halfMonthIndex(Date.parse('2027-01-01T00:30:00+08:00')));
  });
});
