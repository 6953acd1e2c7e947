// Pure helpers of the calendar page: month grids (Monday first, as Chinese calendars are printed)
// and wall-clock time in the calendar's own time zone (deadlines are computed in Asia/Shanghai,
// whatever the browser's zone).
import type { CalendarDay } from '../api/calendar.ts';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted';

export interface DayCell {
  date: string;
  day: number;
  kind: DayKind;
  name: string | null;
  today: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(year: number, month0: number, day: number): string {
  return `${year}-${pad(month0 + 1)}-${pad(day)}`;
}

export function classifyDay(weekday: number, weekendDays: readonly number[], entry: CalendarDay | undefined): DayKind {
  if (entry?.kind === 'holiday') return 'holiday';
  if (entry?.kind === 'workday') return 'adjusted';
  return weekendDays.includes(weekday) ? 'weekend' : 'workday';
}

/** Weeks of a month, Monday first; days of the neighbouring months are null. */
export function monthWeeks(
  year: number, month0: number, weekendDays: readonly number[], entries: ReadonlyMap<string, CalendarDay>, today: string,
): (DayCell | null)[][] {
  const first = new Date(Date.UTC(year, month0, 1));
  const length = new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
  const cells: (DayCell | null)[] = Array.from({ length: (first.getUTCDay() + 6) % 7 }, () => null);
  for (let day = 1; day <= length; day++) {
    const date = isoDate(year, month0, day);
    const weekday = (first.getUTCDay() + day - 1) % 7;
    const entry = entries.get(date);
    cells.push({ date, day, kind: classifyDay(weekday, weekendDays, entry), name: entry?.name ?? null, today: date === today });
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (DayCell | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Counts of each kind of day in a year (for the summary line). */
export function yearSummary(year: number, weekendDays: readonly number[], entries: ReadonlyMap<string, CalendarDay>): Record<DayKind, number> {
  const counts: Record<DayKind, number> = { workday: 0, weekend: 0, holiday: 0, adjusted: 0 };
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const d = new Date(t);
    counts[classifyDay(d.getUTCDay(), weekendDays, entries.get(d.toISOString().slice(0, 10)))]++;
  }
  return counts;
}

function zoneParts(utcMs: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const p = zoneParts(utcMs, timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(utcMs / 1000) * 1000;
}

/** 'YYYY-MM-DDTHH:mm' read as wall time in `timeZone` → ISO instant (UTC). */
export function wallTimeToIso(wall: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall);
  if (!m) return null;
  const wallMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let utc = wallMs - zoneOffsetMs(wallMs, timeZone);
  utc = wallMs - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}

/** An instant as 'YYYY-MM-DDTHH:mm' wall time in `timeZone` (the value of a datetime-local input). */
export function isoToWallTime(instant: string | number, timeZone: string): string {
  const p = zoneParts(new Date(instant).getTime(), timeZone);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

export function todayIn(timeZone: string): string {
  return isoToWallTime(Date.now(), timeZone).slice(0, 10);
}

export function formatInZone(instant: string, timeZone: string, lang: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date(instant));
}
