// Property tests (fast-check) over the 2025–2026 fixture: random starts across both years (so the
// year boundary, 春节, 国庆 and 调休 Saturdays are all crossed) and random limits and pauses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clockMsBetween, computeDeadline, limitToMs, type Pause } from './deadlines.ts';
import type { TimeLimit } from './time-limits.ts';
import { compileWorkCalendar } from './work-calendar.ts';
import { bj, cn2025to2026Definition, HOUR, MINUTE } from './test-fixtures.ts';

const cal = compileWorkCalendar(cn2025to2026Definition());
const DAY = 24 * HOUR;

// Starts anywhere from 2025-01-01 to 2026-10-31, at ms resolution, so results stay inside 2026.
const startArb = fc.integer({ min: cal.coverage.fromMs, max: bj('2026-10-31 00:00') });
// Up to 15 working days of working time, at ms resolution.
const workingMsArb = fc.integer({ min: 0, max: 15 * 8 * HOUR });
const RUNS = { numRuns: 2000 };

describe('addWorkingMs / workingMsBetween properties', () => {
  test('workingMsBetween(s, addWorkingMs(s, x)) === x', () => {
    fc.assert(fc.property(startArb, workingMsArb, (s, x) => cal.workingMsBetween(s, cal.addWorkingMs(s, x)) === x), RUNS);
  });

  test('addWorkingMs is strictly increasing in x, and adding 0 returns the start', () => {
    fc.assert(
      fc.property(startArb, workingMsArb, workingMsArb, (s, x1, x2) => {
        const [lo, hi] = x1 <= x2 ? [x1, x2] : [x2, x1];
        const a = cal.addWorkingMs(s, lo);
        const b = cal.addWorkingMs(s, hi);
        return lo === hi ? a === b : a < b;
      }),
      RUNS,
    );
    fc.assert(fc.property(startArb, (s) => cal.addWorkingMs(s, 0) === s), RUNS);
  });

  test('a positive result lies inside a working period or exactly at its end', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 15 * 8 * HOUR }), (s, x) => {
        const t = cal.addWorkingMs(s, x);
        return t > s && cal.workingPeriods(cal.localDate(t)).some((p) => p.startMs < t && t <= p.endMs);
      }),
      RUNS,
    );
  });

  test('the result is the earliest such instant: one ms earlier is one ms short', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 15 * 8 * HOUR }), (s, x) => {
        const t = cal.addWorkingMs(s, x);
        return cal.workingMsBetween(s, t - 1) === x - 1;
      }),
      RUNS,
    );
  });

  test('workingMsBetween is additive over any split point and antisymmetric', () => {
    const instant = fc.integer({ min: cal.coverage.fromMs, max: cal.coverage.toMs });
    fc.assert(
      fc.property(instant, instant, instant, (a, m, b) => {
        const whole = cal.workingMsBetween(a, b);
        return whole === cal.workingMsBetween(a, m) + cal.workingMsBetween(m, b) && whole === -cal.workingMsBetween(b, a);
      }),
      RUNS,
    );
  });
});

const workingLimitArb: fc.Arbitrary<TimeLimit> = fc.oneof(
  fc.integer({ min: 1, max: 4000 }).map((c): TimeLimit => ({ value: c / 100, unit: 'working_hours' })),
  fc.integer({ min: 1, max: 600 }).map((m): TimeLimit => ({ value: m, unit: 'working_minutes' })),
  fc.integer({ min: 1, max: 1000 }).map((c): TimeLimit => ({ value: c / 100, unit: 'working_days' })),
);

/** Up to 4 non-overlapping pauses near the start (some before it), the last possibly open, then shuffled. */
const pausesArb = (start: number): fc.Arbitrary<Pause[]> =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 1, max: 3 * DAY })), { maxLength: 4 }),
      fc.boolean(),
      fc.integer({ min: -DAY, max: 0 }),
    )
    .chain(([spans, lastOpen, offset]) => {
      let cursor = start + offset;
      const pauses: Pause[] = spans.map(([gap, length]) => {
        const fromMs = cursor + gap;
        cursor = fromMs + length;
        return { fromMs, toMs: cursor };
      });
      const last = pauses[pauses.length - 1];
      if (lastOpen && last !== undefined) last.toMs = null;
      return fc.shuffledSubarray(pauses, { minLength: pauses.length, maxLength: pauses.length });
    });

describe('computeDeadline properties', () => {
  test('a pause of P working ms before the deadline moves it by exactly P working ms', () => {
    fc.assert(
      fc.property(startArb, workingLimitArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 10 * DAY }), (s, limit, where, length) => {
        const due = computeDeadline(cal, s, limit, []).dueAtMs;
        if (due === null) return false;
        const pauseFrom = s + Math.floor((due - s) * where);
        const pause = { fromMs: pauseFrom, toMs: pauseFrom + length };
        const p = cal.workingMsBetween(pause.fromMs, pause.toMs);
        const moved = computeDeadline(cal, s, limit, [pause]).dueAtMs;
        return moved !== null && cal.workingMsBetween(due, moved) === p && moved === cal.addWorkingMs(due, p);
      }),
      RUNS,
    );
  });

  test('with any pauses the running clock from start to the deadline equals the limit, and not one ms earlier', () => {
    fc.assert(
      fc.property(
        startArb.chain((s) => fc.tuple(fc.constant(s), workingLimitArb, pausesArb(s))),
        ([s, limit, pauses]) => {
          const due = computeDeadline(cal, s, limit, pauses).dueAtMs;
          const limitMs = limitToMs(cal, limit);
          if (due === null) {
            // Only an open pause can hold the clock, and it must hold it before the limit is used up.
            const open = pauses.find((p) => p.toMs === null);
            return open !== undefined && clockMsBetween(cal, limit.unit, s, Math.max(s, open.fromMs), pauses) < limitMs;
          }
          return (
            clockMsBetween(cal, limit.unit, s, due, pauses) === limitMs &&
            clockMsBetween(cal, limit.unit, s, due - 1, pauses) < limitMs
          );
        },
      ),
      RUNS,
    );
  });

  test('the result depends only on the calendar data (order of entries, process TZ, query history)', () => {
    const previousTz = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    const def = cn2025to2026Definition();
    def.days.reverse();
    const other = compileWorkCalendar(def);
    if (previousTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previousTz;
    fc.assert(
      fc.property(fc.array(fc.tuple(startArb, workingLimitArb), { minLength: 1, maxLength: 20 }), (queries) => {
        const forward = queries.map(([s, limit]) => computeDeadline(cal, s, limit).dueAtMs);
        const backward = [...queries].reverse().map(([s, limit]) => computeDeadline(other, s, limit).dueAtMs).reverse();
        return forward.every((due, i) => due === backward[i]);
      }),
      { numRuns: 300 },
    );
    assert.equal(other.workingDayMs, cal.workingDayMs);
    assert.deepEqual(other.coverage, cal.coverage);
  });

  test('continuous units ignore the calendar: start + value × unit, minus pauses', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 500 }), (s, v) => {
        return (
          computeDeadline(cal, s, { value: v, unit: 'calendar_hours' }).dueAtMs === s + v * HOUR &&
          computeDeadline(cal, s, { value: v, unit: 'urgent_hours' }).dueAtMs === s + v * HOUR &&
          computeDeadline(cal, s, { value: v, unit: 'calendar_days' }).dueAtMs === s + v * DAY &&
          computeDeadline(cal, s, { value: v, unit: 'urgent_hours' }, [{ fromMs: s + MINUTE, toMs: s + 11 * MINUTE }]).dueAtMs ===
            s + v * HOUR + 10 * MINUTE
        );
      }),
      RUNS,
    );
  });
});
