import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clockMsBetween,
  computeDeadline,
  DEFAULT_TRAFFIC_LIGHT,
  elapsedFraction,
  extendLimit,
  limitToMs,
  trafficLight,
  type Pause,
} from './deadlines.ts';
import type { TimeLimit } from './time-limits.ts';
import { CalendarRangeError, compileWorkCalendar } from './work-calendar.ts';
import { bj, bjWall, cn2026Definition, HOUR } from './test-fixtures.ts';

const cal = compileWorkCalendar(cn2026Definition());

function due(start: string, limit: TimeLimit, pauses: Pause[] = []): string | null {
  const d = computeDeadline(cal, bj(start), limit, pauses).dueAtMs;
  return d === null ? null : bjWall(d);
}

const pause = (from: string, to: string | null): Pause => ({ fromMs: bj(from), toMs: to === null ? null : bj(to) });

describe('worked example (docs/calendar.md)', () => {
  const start = '2026-09-30 17:00';
  const limit: TimeLimit = { value: 4, unit: 'working_hours' };
  const suspended = [pause('2026-10-08 09:00', '2026-10-09 10:00')];

  test('4 工作时 from Wed 17:00 before 国庆 is due Thu 10-08 11:00', () => {
    assert.equal(due(start, limit), '2026-10-08 11:00');
  });

  test('挂账 10-08 09:00 → 10-09 10:00 moves it to 10-09 12:00', () => {
    assert.equal(due(start, limit, suspended), '2026-10-09 12:00');
  });

  test('while the 挂账 is open there is no deadline, and the clock stands at 2 h', () => {
    assert.equal(due(start, limit, [pause('2026-10-08 09:00', null)]), null);
    assert.equal(elapsedFraction(cal, bj(start), limit, [pause('2026-10-08 09:00', null)], bj('2026-10-08 15:00')), 0.5);
  });

  test('traffic light on 10-09: green at 11:00, yellow at 11:30, 12:00 and over lunch, red at 14:01', () => {
    const light = (now: string): string => trafficLight(elapsedFraction(cal, bj(start), limit, suspended, bj(now)));
    assert.equal(light('2026-10-09 11:00'), 'green'); // 3 h of 4 = 75 %
    assert.equal(light('2026-10-09 11:30'), 'yellow'); // 87.5 %
    assert.equal(light('2026-10-09 12:00'), 'yellow'); // exactly 100 %
    assert.equal(light('2026-10-09 13:00'), 'yellow'); // lunch break: the working clock stands at 100 %
    assert.equal(light('2026-10-09 14:01'), 'red'); // 超时
  });

  test('延期: once → 8 工作时 due 10-09 18:00; twice → 12 工作时 due Sat 10-10 12:00 (调休上班); a third is refused', () => {
    const once = extendLimit(limit, 1);
    const twice = extendLimit(limit, 2);
    assert.deepEqual(once, { ok: true, limit: { value: 8, unit: 'working_hours' } });
    assert.deepEqual(twice, { ok: true, limit: { value: 12, unit: 'working_hours' } });
    if (once.ok) assert.equal(due(start, once.limit, suspended), '2026-10-09 18:00');
    if (twice.ok) assert.equal(due(start, twice.limit, suspended), '2026-10-10 12:00');
    const third = extendLimit(limit, 3);
    assert.equal(third.ok, false);
    if (!third.ok) {
      assert.equal(third.error.code, 'extension_limit_exceeded');
      assert.equal(third.error.field, 'approvedExtensions');
    }
  });
});

describe('computeDeadline by unit', () => {
  test('working units', () => {
    assert.equal(due('2026-03-03 09:00', { value: 90, unit: 'working_minutes' }), '2026-03-03 10:30');
    assert.equal(due('2026-06-12 17:30', { value: 1, unit: 'working_days' }), '2026-06-15 17:30');
    assert.equal(due('2026-06-12 17:30', { value: 0.5, unit: 'working_days' }), '2026-06-15 11:30');
    assert.equal(limitToMs(cal, { value: 15, unit: 'working_days' }), 120 * HOUR);
  });

  test('calendar_days ignores holidays; urgent_hours runs through nights and holidays', () => {
    assert.equal(due('2026-09-30 09:00', { value: 1, unit: 'calendar_days' }), '2026-10-01 09:00');
    assert.equal(due('2026-09-30 17:00', { value: 2, unit: 'urgent_hours' }), '2026-09-30 19:00');
    assert.equal(due('2026-10-01 23:00', { value: 2, unit: 'urgent_hours' }), '2026-10-02 01:00');
    assert.equal(due('2026-10-01 23:00', { value: 48, unit: 'calendar_hours' }), '2026-10-03 23:00');
  });

  test('a pause across a holiday stops the clock once, not twice', () => {
    // Ran 09:00–11:00 (2 h); paused over the rest of 09-30, 国庆 and 10-08 08:00–10:00; 2 h left.
    const p = [pause('2026-09-30 11:00', '2026-10-08 10:00')];
    assert.equal(due('2026-09-30 09:00', { value: 4, unit: 'working_hours' }), '2026-09-30 15:00');
    assert.equal(due('2026-09-30 09:00', { value: 4, unit: 'working_hours' }, p), '2026-10-08 12:00');
    assert.equal(due('2026-09-30 09:00', { value: 4, unit: 'urgent_hours' }, p), '2026-10-08 12:00');
    assert.equal(clockMsBetween(cal, 'working_hours', bj('2026-09-30 09:00'), bj('2026-10-08 12:00'), p), 4 * HOUR);
  });

  test('pauses: unsorted, before the start, after the deadline, or wholly outside working time', () => {
    const limit: TimeLimit = { value: 4, unit: 'working_hours' };
    const a = pause('2026-03-03 09:00', '2026-03-03 10:00');
    const b = pause('2026-03-03 14:30', '2026-03-03 15:30');
    assert.equal(due('2026-03-03 08:00', limit, [a, b]), '2026-03-03 16:00');
    assert.equal(due('2026-03-03 08:00', limit, [b, a]), '2026-03-03 16:00');
    // Started while already suspended: the clock starts when the pause ends.
    assert.equal(due('2026-03-03 09:30', limit, [a]), '2026-03-03 16:00');
    // An open pause after the deadline changes nothing; one starting exactly at it neither.
    assert.equal(due('2026-03-03 08:00', limit, [pause('2026-03-04 09:00', null)]), '2026-03-03 12:00');
    assert.equal(due('2026-03-03 08:00', limit, [pause('2026-03-03 12:00', null)]), '2026-03-03 12:00');
    // A pause over the lunch break costs no working time.
    assert.equal(due('2026-03-03 10:00', limit, [pause('2026-03-03 12:00', '2026-03-03 14:00')]), '2026-03-03 16:00');
    // An open pause that began before the start: no deadline.
    assert.equal(due('2026-03-03 10:00', limit, [pause('2026-03-02 10:00', null)]), null);
  });

  test('malformed pauses and limits are rejected', () => {
    const start = bj('2026-03-03 08:00');
    assert.throws(() => computeDeadline(cal, start, { value: 1, unit: 'working_hours' }, [{ fromMs: bj('2026-03-03 10:00'), toMs: bj('2026-03-03 09:00') }]), RangeError);
    assert.throws(() => computeDeadline(cal, start, { value: 0, unit: 'working_hours' }), RangeError);
    assert.throws(() => computeDeadline(cal, start, { value: 1, unit: 'weeks' as 'working_hours' }), RangeError);
  });

  test('working deadlines past the loaded years throw CalendarRangeError; continuous ones need no calendar day', () => {
    assert.throws(
      () => computeDeadline(cal, bj('2026-12-31 09:00'), { value: 2, unit: 'working_days' }),
      (e: unknown) => e instanceof CalendarRangeError && e.date === '2027-01-01',
    );
    assert.equal(due('2026-12-31 09:00', { value: 2, unit: 'calendar_days' }), '2027-01-02 09:00');
  });
});

describe('clockMsBetween and elapsedFraction', () => {
  test('running clock, reversed order is negative, open pause stops it for good', () => {
    const a = bj('2026-03-03 08:00');
    const b = bj('2026-03-04 18:00');
    assert.equal(clockMsBetween(cal, 'working_hours', a, b), 16 * HOUR);
    assert.equal(clockMsBetween(cal, 'working_hours', b, a), -16 * HOUR);
    assert.equal(clockMsBetween(cal, 'calendar_hours', a, b), 34 * HOUR);
    assert.equal(clockMsBetween(cal, 'working_hours', a, b, [pause('2026-03-03 17:00', null)]), 7 * HOUR);
  });

  test('elapsedFraction is 0 before the start and > 1 when overdue', () => {
    const limit: TimeLimit = { value: 2, unit: 'working_hours' };
    assert.equal(elapsedFraction(cal, bj('2026-03-03 09:00'), limit, [], bj('2026-03-03 08:00')), 0);
    assert.equal(elapsedFraction(cal, bj('2026-03-03 09:00'), limit, [], bj('2026-03-03 15:00')), 2);
  });
});

describe('trafficLight thresholds are data', () => {
  test('default: green < 0.8 ≤ yellow ≤ 1 < red', () => {
    assert.deepEqual(DEFAULT_TRAFFIC_LIGHT, { yellowFrom: 0.8, redAbove: 1 });
    assert.equal(trafficLight(0), 'green');
    assert.equal(trafficLight(0.7999), 'green');
    assert.equal(trafficLight(0.8), 'yellow');
    assert.equal(trafficLight(1), 'yellow');
    assert.equal(trafficLight(1.0001), 'red');
    assert.throws(() => trafficLight(Number.NaN), RangeError);
  });

  test('custom thresholds', () => {
    assert.equal(trafficLight(0.6, { yellowFrom: 0.5, redAbove: 0.9 }), 'yellow');
    assert.equal(trafficLight(0.95, { yellowFrom: 0.5, redAbove: 0.9 }), 'red');
  });
});

describe('extendLimit policy is data', () => {
  test('multiplier and maximum come from the policy', () => {
    const limit: TimeLimit = { value: 1.15, unit: 'working_days' };
    assert.deepEqual(extendLimit(limit, 0), { ok: true, limit });
    assert.deepEqual(extendLimit(limit, 2), { ok: true, limit: { value: 3.45, unit: 'working_days' } });
    assert.deepEqual(extendLimit(limit, 1, { multiplier: 0.5, maxExtensions: 1 }), { ok: true, limit: { value: 1.725, unit: 'working_days' } });
    const refused = extendLimit(limit, 2, { multiplier: 0.5, maxExtensions: 1 });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.error.message, /at most 1/);
  });

  test('invalid inputs name the field', () => {
    const limit: TimeLimit = { value: 4, unit: 'working_hours' };
    const r1 = extendLimit(limit, -1);
    const r2 = extendLimit(limit, 1, { multiplier: 0, maxExtensions: 2 });
    const r3 = extendLimit(limit, 1, { multiplier: 1, maxExtensions: 1.5 });
    assert.deepEqual([r1, r2, r3].map((r) => (r.ok ? null : r.error.field)), ['approvedExtensions', 'policy.multiplier', 'policy.maxExtensions']);
  });
});
