// Checks the shipped seed files (server/seed-data/calendar) against the State Council notices as
// typed into test-fixtures.ts, and the provisional 2027 file against the statutory rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCalendarDefinition, validateCalendarDefinition, type CalendarYearFile } from './calendar-definition.ts';
import { computeDeadline } from './deadlines.ts';
import { CN_2025, CN_2026, bj, bjWall } from './test-fixtures.ts';
import { compileWorkCalendar } from './work-calendar.ts';

const SEED_DIR = new URL('../../../server/seed-data/calendar/', import.meta.url);

function load(year: number): CalendarYearFile {
  return JSON.parse(readFileSync(new URL(`cn-mainland-${year}.json`, SEED_DIR), 'utf8')) as CalendarYearFile;
}

const sortedDays = (f: CalendarYearFile): string[] =>
  f.days.map((d) => `${d.date} ${d.kind}`).sort();

describe('seed data: server/seed-data/calendar', () => {
  const history = [load(2023), load(2024)];
  const files = [load(2025), load(2026), load(2027)];
  const def = buildCalendarDefinition({ code: 'cn-mainland', name: '中国大陆' }, files);

  test('2025–2027 form a valid definition', () => {
    assert.deepEqual(validateCalendarDefinition(def), []);
    assert.deepEqual(files.map((f) => [f.year, f.status]), [[2025, 'official'], [2026, 'official'], [2027, 'provisional']]);
    for (const f of files) assert.ok(f.days.every((d) => d.date.startsWith(`${f.year}-`)));
  });

  test('2023 and 2024 (for imported history) are the notices: holidays, 调休 Saturdays and Sundays, and form one definition with 2025–2027', () => {
    const summary = (f: CalendarYearFile) => ({
      holidays: f.days.filter((d) => d.kind === 'holiday').length,
      workdays: f.days.filter((d) => d.kind === 'workday').map((d) => d.date),
    });
    // 2023: 元旦 2, 春节 7, 清明 1, 劳动节 5, 端午 3, 中秋国庆 8 (国办发明电〔2022〕16号).
    assert.deepEqual(summary(history[0] as CalendarYearFile), { holidays: 26, workdays: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'] });
    // 2024: 元旦 1, 春节 8, 清明 3, 劳动节 5, 端午 1, 中秋 3, 国庆 7 (国办发明电〔2023〕7号); 除夕 9 Feb is not a holiday.
    assert.deepEqual(summary(history[1] as CalendarYearFile), { holidays: 28, workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'] });
    assert.ok(!history[1]!.days.some((d) => d.date === '2024-02-09'));
    for (const f of history) {
      assert.equal(f.status, 'official');
      assert.ok(f.days.every((d) => d.date.startsWith(`${f.year}-`)));
      for (const d of f.days.filter((x) => x.kind === 'workday')) assert.ok([0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()), `${d.date} is a weekend day`);
    }
    assert.deepEqual(validateCalendarDefinition(buildCalendarDefinition({ code: 'cn-mainland', name: '中国大陆' }, [...history, ...files])), []);
  });

  test('2025 and 2026 match the notices date for date', () => {
    assert.deepEqual(sortedDays(files[0] as CalendarYearFile), sortedDays(CN_2025));
    assert.deepEqual(sortedDays(files[1] as CalendarYearFile), sortedDays(CN_2026));
    assert.match(files[0]?.source ?? '', /国办发明电〔2024〕12号/);
    assert.match(files[1]?.source ?? '', /2026年部分节假日安排/);
  });

  test('2027 is provisional: the 13 statutory days only, no 调休, and says so', () => {
    const f = files[2] as CalendarYearFile;
    assert.deepEqual(
      f.days.map((d) => `${d.date} ${d.name}`),
      [
        '2027-01-01 元旦',
        '2027-02-05 春节', // 除夕 (腊月廿九: 腊月 of 2026 has 29 days)
        '2027-02-06 春节', // 正月初一
        '2027-02-07 春节',
        '2027-02-08 春节', // 正月初三
        '2027-04-05 清明节',
        '2027-05-01 劳动节',
        '2027-05-02 劳动节',
        '2027-06-09 端午节', // 五月初五
        '2027-09-15 中秋节', // 八月十五
        '2027-10-01 国庆节',
        '2027-10-02 国庆节',
        '2027-10-03 国庆节',
      ],
    );
    assert.ok(f.days.every((d) => d.kind === 'holiday'));
    assert.match(f.source, /全国年节及纪念日放假办法/);
    assert.match(f.source, /must replace/);
  });

  test('the compiled seed calendar answers across the year boundary and stops after 2027', () => {
    const cal = compileWorkCalendar(def);
    assert.equal(cal.isWorkday('2027-01-01'), false); // chinese-days says "workday" here
    const d = computeDeadline(cal, bj('2026-12-31 17:00'), { value: 2, unit: 'working_hours' }).dueAtMs;
    assert.equal(d === null ? null : bjWall(d), '2027-01-04 09:00'); // 元旦 Fri, weekend
    assert.throws(() => cal.isWorkday('2028-01-03'), /2028-01-03/);
  });
});
