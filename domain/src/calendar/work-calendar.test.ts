import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCalendarDefinition } from './calendar-definition.ts';
import { CalendarDefinitionError, CalendarRangeError, compileWorkCalendar } from './work-calendar.ts';
import { bj, bjWall, cn2026Definition, CN_2026, HOUR, MINUTE } from './test-fixtures.ts';

const cal = compileWorkCalendar(cn2026Definition());

function add(wall: string, ms: number): string {
  return bjWall(cal.addWorkingMs(bj(wall), ms));
}

describe('compileWorkCalendar: day kinds', () => {
  test('ordinary days, weekends, holidays and 调休 working days', () => {
    assert.deepEqual(cal.dayKind('2026-03-03'), { kind: 'workday' });
    assert.deepEqual(cal.dayKind('2026-03-07'), { kind: 'weekend' });
    assert.deepEqual(cal.dayKind('2026-10-01'), { kind: 'holiday', name: '国庆节' });
    assert.deepEqual(cal.dayKind('2026-02-16'), { kind: 'holiday', name: '春节' });
    // 2026-02-14 is a Saturday made a working day (春节调休上班).
    assert.deepEqual(cal.dayKind('2026-02-14'), { kind: 'adjusted_workday', name: '春节调休上班' });
    assert.equal(cal.isWorkday('2026-02-14'), true);
    assert.equal(cal.isWorkday('2026-02-16'), false);
    assert.equal(cal.isWorkday('2026-03-07'), false);
    assert.equal(cal.isWorkday('2026-01-04'), true); // Sunday, 元旦调休上班
  });

  test('February 2026 has 16 working days (matches chinese-days and chinese-workday)', () => {
    let count = 0;
    for (let d = 1; d <= 28; d++) if (cal.isWorkday(`2026-02-${String(d).padStart(2, '0')}`)) count++;
    assert.equal(count, 16);
  });

  test('working periods of a day are the timetable in UTC', () => {
    assert.deepEqual(cal.workingPeriods('2026-02-14'), [
      { startMs: bj('2026-02-14 08:00'), endMs: bj('2026-02-14 12:00') },
      { startMs: bj('2026-02-14 14:00'), endMs: bj('2026-02-14 18:00') },
    ]);
    assert.deepEqual(cal.workingPeriods('2026-10-01'), []);
  });

  test('coverage, workingDayMs and localDate', () => {
    assert.deepEqual(cal.coverage, { firstYear: 2026, lastYear: 2026, fromMs: bj('2026-01-01 00:00'), toMs: bj('2027-01-01 00:00') });
    assert.equal(cal.workingDayMs, 8 * HOUR);
    assert.equal(cal.localDate(bj('2026-06-12 23:59')), '2026-06-12');
    assert.equal(cal.localDate(bj('2026-06-13 00:00')), '2026-06-13');
    assert.equal(cal.localDate(Date.UTC(2026, 5, 12, 16, 0)), '2026-06-13'); // 16:00Z = 00:00 +08:00
  });
});

describe('addWorkingMs / workingMsBetween: hand-computed examples', () => {
  test('Wed 2026-09-30 17:00 + 4 working hours = Thu 2026-10-08 11:00 (国庆 in between)', () => {
    assert.equal(add('2026-09-30 17:00', 4 * HOUR), '2026-10-08 11:00');
  });

  test('12:00 on a workday + 1 working hour = 15:00 (lunch break skipped)', () => {
    assert.equal(add('2026-03-03 12:00', 1 * HOUR), '2026-03-03 15:00');
    assert.equal(add('2026-03-03 12:30', 1 * HOUR), '2026-03-03 15:00');
  });

  test('Fri 2026-06-12 17:30 + 1 working day (8 h) = Mon 2026-06-15 17:30', () => {
    assert.equal(add('2026-06-12 17:30', cal.workingDayMs), '2026-06-15 17:30');
  });

  test('adjusted Saturday 2026-02-14 counts as working time', () => {
    assert.equal(add('2026-02-13 17:00', 2 * HOUR), '2026-02-14 09:00');
    assert.equal(cal.workingMsBetween(bj('2026-02-14 00:00'), bj('2026-02-15 00:00')), 8 * HOUR);
    // ...and after it the 春节 block runs to Mon 02-23: next working time is Tue 02-24.
    assert.equal(add('2026-02-14 17:00', 2 * HOUR), '2026-02-24 09:00');
  });

  test('convention: the earliest instant, so a limit ending with a period ends at its end', () => {
    assert.equal(add('2026-03-03 14:00', 4 * HOUR), '2026-03-03 18:00');
    assert.equal(add('2026-03-03 08:00', 4 * HOUR), '2026-03-03 12:00');
    assert.equal(add('2026-03-03 17:00', 4 * HOUR), '2026-03-04 11:00');
  });

  test('adding 0 returns the start unchanged, even outside working time', () => {
    for (const wall of ['2026-10-03 03:00', '2026-03-03 12:30', '2026-03-03 19:00', '2026-03-03 09:15']) {
      assert.equal(cal.addWorkingMs(bj(wall), 0), bj(wall));
    }
  });

  test('a start outside working time begins at the next period', () => {
    assert.equal(add('2026-03-03 06:00', 30 * MINUTE), '2026-03-03 08:30');
    assert.equal(add('2026-03-06 19:00', 30 * MINUTE), '2026-03-09 08:30'); // Fri evening → Mon
  });

  test('workingMsBetween counts only working periods; reversed is negative', () => {
    const week = cal.workingMsBetween(bj('2026-03-02 00:00'), bj('2026-03-09 00:00'));
    assert.equal(week, 40 * HOUR);
    assert.equal(cal.workingMsBetween(bj('2026-03-03 11:00'), bj('2026-03-03 15:00')), 2 * HOUR);
    assert.equal(cal.workingMsBetween(bj('2026-03-03 15:00'), bj('2026-03-03 11:00')), -2 * HOUR);
    assert.equal(cal.workingMsBetween(bj('2026-10-01 09:00'), bj('2026-10-07 17:00')), 0);
  });

  test('negative or non-finite amounts are rejected', () => {
    assert.throws(() => cal.addWorkingMs(bj('2026-03-03 09:00'), -1), RangeError);
    assert.throws(() => cal.addWorkingMs(bj('2026-03-03 09:00'), Number.NaN), RangeError);
  });
});

describe('CalendarRangeError: never a guess outside the loaded years', () => {
  test('a deadline running past 31 Dec of the last year throws, naming the needed date', () => {
    const error = (() => {
      try {
        cal.addWorkingMs(bj('2026-12-31 17:00'), 2 * HOUR);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof CalendarRangeError);
    assert.equal(error.code, 'calendar_out_of_range');
    assert.equal(error.date, '2027-01-01');
    assert.deepEqual(error.loadedYears, [2026]);
    assert.match(error.message, /2027-01-01/);
    assert.match(error.message, /2026–2026/);
  });

  test('day queries and instants outside the years throw with the offending date', () => {
    assert.throws(() => cal.isWorkday('2027-01-01'), (e: unknown) => e instanceof CalendarRangeError && e.date === '2027-01-01');
    assert.throws(() => cal.dayKind('2025-12-31'), (e: unknown) => e instanceof CalendarRangeError && e.date === '2025-12-31');
    assert.throws(
      () => cal.workingMsBetween(bj('2025-12-31 10:00'), bj('2026-01-05 10:00')),
      (e: unknown) => e instanceof CalendarRangeError && e.date === '2025-12-31' && /2025-12-31/.test(e.message),
    );
    assert.throws(() => cal.addWorkingMs(bj('2027-01-01 09:00'), 0), CalendarRangeError);
    // The exact ends of coverage are inside.
    assert.equal(cal.workingMsBetween(cal.coverage.fromMs, cal.coverage.fromMs), 0);
    assert.equal(cal.addWorkingMs(bj('2026-12-31 17:00'), HOUR), bj('2026-12-31 18:00'));
  });

  test('malformed dates are a RangeError, not a CalendarRangeError', () => {
    assert.throws(() => cal.isWorkday('2026-02-30'), (e: unknown) => e instanceof RangeError && !(e instanceof CalendarRangeError));
  });
});

describe('time zones and timetables come from the definition', () => {
  test('Europe/Berlin: 08:00 local is 06:00Z in summer and 07:00Z in winter (DST per day)', () => {
    const berlin = compileWorkCalendar(buildCalendarDefinition({ code: 'de', name: 'Berlin', timezone: 'Europe/Berlin' }, [{ ...CN_2026, days: [] }]));
    assert.equal(berlin.workingPeriods('2026-07-01')[0]?.startMs, Date.UTC(2026, 6, 1, 6, 0));
    assert.equal(berlin.workingPeriods('2026-01-07')[0]?.startMs, Date.UTC(2026, 0, 7, 7, 0));
    assert.equal(berlin.coverage.fromMs, Date.UTC(2025, 11, 31, 23, 0));
  });

  test('Asia/Kathmandu (+05:45) and a custom timetable', () => {
    const ktm = compileWorkCalendar(
      buildCalendarDefinition(
        { code: 'np', name: 'KTM', timezone: 'Asia/Kathmandu', timetable: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }], weekendDays: [6] },
        [{ ...CN_2026, days: [] }],
      ),
    );
    assert.equal(ktm.workingDayMs, 7 * HOUR);
    assert.equal(ktm.workingPeriods('2026-03-08')[0]?.startMs, Date.UTC(2026, 2, 8, 3, 15)); // Sunday works here
    assert.equal(ktm.isWorkday('2026-03-07'), false);
  });

  test('an invalid definition does not compile', () => {
    const def = cn2026Definition();
    def.timezone = 'Mars/Olympus';
    assert.throws(() => compileWorkCalendar(def), (e: unknown) => e instanceof CalendarDefinitionError && e.errors[0]?.field === 'timezone');
  });
});
