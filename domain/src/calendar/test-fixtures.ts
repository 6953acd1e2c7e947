// Small inline calendar fixtures for the tests: 2025 and 2026 of mainland China, typed in from the
// State Council notices as ranges (independent of the seed JSON, which seed-data.test.ts checks).
import { buildCalendarDefinition, type CalendarDayEntry, type CalendarYearFile, type WorkCalendarDefinition } from './calendar-definition.ts';
import { formatIsoDate, parseIsoDate } from './civil-date.ts';

type Block = [from: string, to: string, name: string];

function expand(blocks: readonly Block[], kind: 'holiday' | 'workday'): CalendarDayEntry[] {
  const out: CalendarDayEntry[] = [];
  for (const [from, to, name] of blocks) {
    const a = parseIsoDate(from);
    const b = parseIsoDate(to);
    if (a === null || b === null) throw new Error(`bad fixture range ${from}..${to}`);
    for (let d = a.days; d <= b.days; d++) out.push({ date: formatIsoDate(d), kind, name });
  }
  return out;
}

function yearFile(year: number, source: string, holidays: readonly Block[], workdays: readonly string[][]): CalendarYearFile {
  return {
    year,
    status: 'official',
    source,
    days: [
      ...expand(holidays, 'holiday'),
      ...expand(
        workdays.map(([date, name]): Block => [date ?? '', date ?? '', name ?? '']),
        'workday',
      ),
    ],
  };
}

export const CN_2025: CalendarYearFile = yearFile(
  2025,
  '国办发明电〔2024〕12号',
  [
    ['2025-01-01', '2025-01-01', '元旦'],
    ['2025-01-28', '2025-02-04', '春节'],
    ['2025-04-04', '2025-04-06', '清明节'],
    ['2025-05-01', '2025-05-05', '劳动节'],
    ['2025-05-31', '2025-06-02', '端午节'],
    ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
  ],
  [
    ['2025-01-26', '春节调休上班'],
    ['2025-02-08', '春节调休上班'],
    ['2025-04-27', '劳动节调休上班'],
    ['2025-09-28', '国庆节调休上班'],
    ['2025-10-11', '国庆节调休上班'],
  ],
);

export const CN_2026: CalendarYearFile = yearFile(
  2026,
  '国办发明电〔2025〕7号',
  [
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
  ],
  [
    ['2026-01-04', '元旦调休上班'],
    ['2026-02-14', '春节调休上班'],
    ['2026-02-28', '春节调休上班'],
    ['2026-05-09', '劳动节调休上班'],
    ['2026-09-20', '国庆节调休上班'],
    ['2026-10-10', '国庆节调休上班'],
  ],
);

/** 2026 only, default timetable (08:00–12:00, 14:00–18:00), Asia/Shanghai, Sat/Sun weekend. */
export function cn2026Definition(): WorkCalendarDefinition {
  return buildCalendarDefinition({ code: 'cn-test', name: '测试日历 2026' }, [CN_2026]);
}

/** 2025 + 2026, for properties that cross a year boundary. */
export function cn2025to2026Definition(): WorkCalendarDefinition {
  return buildCalendarDefinition({ code: 'cn-test', name: '测试日历 2025–2026' }, [CN_2026, CN_2025]);
}

/** Epoch ms of a Beijing wall time 'YYYY-MM-DD HH:MM' (+08:00): test readability only. */
export function bj(wall: string): number {
  const ms = Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);
  if (Number.isNaN(ms)) throw new Error(`bad wall time ${wall}`);
  return ms;
}

/** Inverse of bj, for readable assertion messages. */
export function bjWall(ms: number): string {
  const shifted = ms + 8 * 3_600_000;
  const day = Math.floor(shifted / 86_400_000);
  const minutes = Math.floor((shifted - day * 86_400_000) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${formatIsoDate(day)} ${hh}:${mm}`;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
