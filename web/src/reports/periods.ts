// The periods a department report is made for: each month's two halves (半月通报) and the whole month,
// newest first, over the last year (Beijing time, the city's calendar).
export interface ReportPeriod { code: string; year: number; month: number; half: 1 | 2 | null }

export function reportPeriods(now: number, months = 12): ReportPeriod[] {
  const bj = new Date(now + 8 * 3_600_000);
  const out: ReportPeriod[] = [];
  for (let i = 0; i < months; i++) {
    const d = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() - i, 1));
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const ym = `${year}-${String(month).padStart(2, '0')}`;
    // The second half of the running month has not begun before the 16th.
    if (i > 0 || bj.getUTCDate() >= 16) out.push({ code: `${ym}-H2`, year, month, half: 2 });
    out.push({ code: `${ym}-H1`, year, month, half: 1 });
    out.push({ code: ym, year, month, half: null });
  }
  return out;
}
