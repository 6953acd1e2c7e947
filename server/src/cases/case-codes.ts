// Case numbers (案卷编号): the reporting day in Beijing time and a daily sequence, e.g. 2026112300042; the
// sequence is the day's counter row, advanced once per intake batch (case-intake.ts).

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}
