import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCalendarDefinition,
  DEFAULT_TIMETABLE,
  validateCalendarDefinition,
  type WorkCalendarDefinition,
} from './calendar-definition.ts';
import { cn2026Definition, CN_2025, CN_2026 } from './test-fixtures.ts';

function fieldsOf(def: unknown): string[] {
  return validateCalendarDefinition(def).map((e) => e.field);
}

/** With no valid weekend day left, every 调休 'workday' entry of the fixture is reported too. */
function workdayEntryKinds(): string[] {
  return cn2026Definition().days.flatMap((d, i) => (d.kind === 'workday' ? [`days[${i}].kind`] : []));
}

function withChanges(change: (def: WorkCalendarDefinition) => void): WorkCalendarDefinition {
  const def = cn2026Definition();
  change(def);
  return def;
}

describe('validateCalendarDefinition', () => {
  test('the 2026 fixture with defaults is valid', () => {
    assert.deepEqual(validateCalendarDefinition(cn2026Definition()), []);
  });

  test('defaults: Asia/Shanghai, 08:00–12:00 + 14:00–18:00, Sat/Sun weekend', () => {
    const def = buildCalendarDefinition({ code: 'x', name: 'x' }, [CN_2026]);
    assert.equal(def.timezone, 'Asia/Shanghai');
    assert.deepEqual(def.timetable, [...DEFAULT_TIMETABLE]);
    assert.deepEqual(def.weekendDays, [0, 6]);
  });

  test('buildCalendarDefinition orders year files', () => {
    const def = buildCalendarDefinition({ code: 'x', name: 'x' }, [CN_2026, CN_2025]);
    assert.deepEqual(def.years.map((y) => y.year), [2025, 2026]);
    assert.deepEqual(validateCalendarDefinition(def), []);
  });

  test('timetable: HH:MM format names the field', () => {
    const errors = validateCalendarDefinition(withChanges((d) => (d.timetable[1] = { start: '2pm', end: '18:00' })));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.field, 'timetable[1].start');
    assert.match(errors[0]?.message ?? '', /HH:MM/);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable[0] = { start: '08:00', end: '25:00' }))), ['timetable[0].end']);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable[0] = { start: '8:00', end: '12:00' }))), ['timetable[0].start']);
  });

  test('timetable: start before end, ordered, not overlapping', () => {
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable[0] = { start: '12:00', end: '08:00' }))), ['timetable[0].end']);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable[1] = { start: '11:00', end: '18:00' }))), ['timetable[1].start']);
    assert.deepEqual(
      fieldsOf(withChanges((d) => (d.timetable = [{ start: '14:00', end: '18:00' }, { start: '08:00', end: '12:00' }]))),
      ['timetable[1].start'],
    );
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable = []))), ['timetable']);
    // Touching periods and a period ending at 24:00 are fine.
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timetable = [{ start: '00:00', end: '12:00' }, { start: '12:00', end: '24:00' }]))), []);
  });

  test('weekend days must be 0–6 without duplicates', () => {
    assert.deepEqual(fieldsOf(withChanges((d) => (d.weekendDays = [0, 6, 7]))), ['weekendDays[2]']);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.weekendDays = [0, 6, 6]))), ['weekendDays[2]']);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.weekendDays = [-1, 1.5]))), ['weekendDays[0]', 'weekendDays[1]', ...workdayEntryKinds()]);
  });

  test('unknown time zone is rejected (checked with Intl)', () => {
    const errors = validateCalendarDefinition(withChanges((d) => (d.timezone = 'Asia/Beijing')));
    assert.deepEqual(errors.map((e) => e.field), ['timezone']);
    assert.match(errors[0]?.message ?? '', /Asia\/Beijing/);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.timezone = 'Europe/Berlin'))), []);
  });

  test('years: non-empty, contiguous, known status, a source', () => {
    assert.deepEqual(fieldsOf(withChanges((d) => ((d.years = []), (d.days = [])))), ['years']);
    const gap = buildCalendarDefinition({ code: 'x', name: 'x' }, [CN_2025, { year: 2027, status: 'provisional', source: 's', days: [] }]);
    assert.deepEqual(fieldsOf(gap), ['years[1].year']);
    assert.deepEqual(
      fieldsOf(withChanges((d) => (d.years[0] = { year: 2026, status: 'draft' as 'official', source: '' }))),
      ['years[0].status', 'years[0].source'],
    );
    assert.deepEqual(
      fieldsOf(withChanges((d) => d.years.push({ year: 2026, status: 'official', source: 's' }))),
      ['years[1].year'],
    );
  });

  test('days: real date inside a declared year, no duplicates, valid kind', () => {
    const invalidDate = validateCalendarDefinition(withChanges((d) => (d.days[12] = { date: '2026-02-30', kind: 'holiday', name: '春节' })));
    assert.deepEqual(invalidDate.map((e) => e.field), ['days[12].date']);
    assert.deepEqual(fieldsOf(withChanges((d) => d.days.push({ date: '2027-01-01', kind: 'holiday', name: '元旦' }))), [`days[39].date`]);
    const dup = validateCalendarDefinition(withChanges((d) => d.days.push({ date: '2026-10-01', kind: 'holiday', name: '国庆节' })));
    assert.deepEqual(dup.map((e) => e.field), ['days[39].date']);
    assert.match(dup[0]?.message ?? '', /listed twice/);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.days[0] = { date: '2026-01-01', kind: 'off' as 'holiday', name: '元旦' }))), ['days[0].kind']);
    assert.deepEqual(fieldsOf(withChanges((d) => (d.days[0] = { date: '2026-01-01', kind: 'holiday', name: '' }))), ['days[0].name']);
  });

  test("a 'workday' entry must be on a weekend day", () => {
    // 2026-03-03 is a Tuesday.
    const errors = validateCalendarDefinition(withChanges((d) => d.days.push({ date: '2026-03-03', kind: 'workday', name: '调休' })));
    assert.deepEqual(errors.map((e) => e.field), ['days[39].kind']);
  });

  test('malformed input yields errors, never throws', () => {
    assert.deepEqual(fieldsOf(null), ['']);
    assert.deepEqual(fieldsOf({}), ['code', 'name', 'timezone', 'timetable', 'weekendDays', 'years', 'days']);
    assert.deepEqual(
      fieldsOf({ ...cn2026Definition(), timetable: [null], days: [42] }),
      ['timetable[0]', 'days[0]'],
    );
  });
});
