// UTC offsets of an IANA zone via Intl, used only when a calendar is compiled (never per query).
import { daysFromCivil, MS_PER_DAY } from './civil-date.ts';

/** UTC offset (ms) of a zone at an instant, via Intl: compile time only. */
export function makeOffsetFn(timezone: string): (utcMs: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (utcMs) => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall =
      daysFromCivil(p['year'] ?? 0, p['month'] ?? 0, p['day'] ?? 0) * MS_PER_DAY +
      ((p['hour'] ?? 0) * 3600 + (p['minute'] ?? 0) * 60 + (p['second'] ?? 0)) * 1000;
    return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  };
}

/** Offset in force at local noon of a civil day (one value per day; see docs/calendar.md on DST). */
export function noonOffset(offsetAt: (utcMs: number) => number, civilDay: number): number {
  const wallNoon = civilDay * MS_PER_DAY + MS_PER_DAY / 2;
  const guess = offsetAt(wallNoon);
  return offsetAt(wallNoon - guess);
}
