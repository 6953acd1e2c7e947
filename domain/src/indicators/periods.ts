// Reporting periods (统计周期) in Beijing civil time: a day, a half-month (半月: 1st–15th, 16th–end),
// a month, a quarter, a year, or a custom range of days. A period is [fromMs, toMs): it starts at
// 00:00 of its first day and ends at 00:00 after its last, so consecutive periods tile without overlap.
import { civilFromDays, daysFromCivil, daysInMonth, formatIsoDate, parseIsoDate } from '../calendar/civil-date.ts';
import type { FieldIssue } from '../errors.ts';

/** Periods are civil days in China Standard Time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const PERIOD_KINDS = {
  day: { zh: '日', en: 'Day', example: '2026-10-08' },
  half_month: { zh: '半月', en: 'Half-month', example: '2026-10-H1' },
  month: { zh: '月', en: 'Month', example: '2026-10' },
  quarter: { zh: '季度', en: 'Quarter', example: '2026-Q4' },
  year: { zh: '年', en: 'Year', example: '2026' },
  custom: { zh: '自定义', en: 'Custom range', example: '2026-10-01..2026-10-20' },
} as const;
export type PeriodKind = keyof typeof PERIOD_KINDS;

export interface Period {
  kind: PeriodKind;
  /** Canonical code, e.g. 2026-10, 2026-10-H2, 2026-Q4, 2026-10-01..2026-10-20. */
  code: string;
  zh: string;
  en: string;
  /** Civil days since 1970-01-01 of the first day and the day after the last. */
  fromDay: number;
  toDay: number;
  fromMs: number;
  toMs: number;
}

function build(kind: PeriodKind, code: string, zh: string, en: string, fromDay: number, toDay: number): Period {
  return { kind, code, zh, en, fromDay, toDay, fromMs: fromDay * DAY_MS - OFFSET_MS, toMs: toDay * DAY_MS - OFFSET_MS };
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function month(year: number, m: number): Period {
  const from = daysFromCivil(year, m, 1);
  return build('month', `${year}-${String(m).padStart(2, '0')}`, `${year}年${m}月`, `${MONTHS_EN[m - 1]} ${year}`, from, from + daysInMonth(year, m));
}

function halfMonth(year: number, m: number, half: 1 | 2): Period {
  const first = daysFromCivil(year, m, 1);
  const mid = first + 15;
  const code = `${year}-${String(m).padStart(2, '0')}-H${half}`;
  return half === 1
    ? build('half_month', code, `${year}年${m}月上半月`, `1–15 ${MONTHS_EN[m - 1]} ${year}`, first, mid)
    : build('half_month', code, `${year}年${m}月下半月`, `16–${daysInMonth(year, m)} ${MONTHS_EN[m - 1]} ${year}`, mid, first + daysInMonth(year, m));
}

function quarter(year: number, q: number): Period {
  const from = daysFromCivil(year, (q - 1) * 3 + 1, 1);
  const to = q === 4 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, q * 3 + 1, 1);
  return build('quarter', `${year}-Q${q}`, `${year}年第${'一二三四'[q - 1]}季度`, `Q${q} ${year}`, from, to);
}

function year(y: number): Period {
  return build('year', String(y), `${y}年`, String(y), daysFromCivil(y, 1, 1), daysFromCivil(y + 1, 1, 1));
}

function day(days: number): Period {
  const iso = formatIsoDate(days);
  const { year: y, month: m, day: d } = civilFromDays(days);
  return build('day', iso, `${y}年${m}月${d}日`, iso, days, days + 1);
}

const PATTERNS: { kind: PeriodKind; re: RegExp; make: (m: RegExpMatchArray) => Period | null }[] = [
  { kind: 'year', re: /^(\d{4})$/, make: (m) => year(Number(m[1])) },
  { kind: 'quarter', re: /^(\d{4})-Q([1-4])$/, make: (m) => quarter(Number(m[1]), Number(m[2])) },
  { kind: 'month', re: /^(\d{4})-(\d{2})$/, make: (m) => (Number(m[2]) >= 1 && Number(m[2]) <= 12 ? month(Number(m[1]), Number(m[2])) : null) },
  { kind: 'half_month', re: /^(\d{4})-(\d{2})-H([12])$/, make: (m) => (Number(m[2]) >= 1 && Number(m[2]) <= 12 ? halfMonth(Number(m[1]), Number(m[2]), Number(m[3]) as 1 | 2) : null) },
  { kind: 'day', re: /^(\d{4}-\d{2}-\d{2})$/, make: (m) => { const d = parseIsoDate(m[1]!); return d ? day(d.days) : null; } },
  {
    kind: 'custom', re: /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/,
    make: (m) => {
      const a = parseIsoDate(m[1]!);
      const b = parseIsoDate(m[2]!);
      if (!a || !b || b.days < a.days) return null;
      return build('custom', `${m[1]}..${m[2]}`, `${m[1]}至${m[2]}`, `${m[1]} to ${m[2]}`, a.days, b.days + 1);
    },
  },
];

/** Parses a period code; the error names the field and shows the accepted forms. */
export function parsePeriod(code: string, field = 'period'): { ok: true; period: Period } | { ok: false; issue: FieldIssue } {
  const text = code.trim();
  for (const p of PATTERNS) {
    const m = text.match(p.re);
    if (!m) continue;
    const period = p.make(m);
    if (period && Number(period.code.slice(0, 4)) >= 1970) return { ok: true, period };
    break;
  }
  const forms = Object.values(PERIOD_KINDS).map((k) => k.example).join(', ');
  return { ok: false, issue: { field, message: `'${code}' is not a period; use one of the forms ${forms} (a custom range ends on or after its start)` } };
}

/** The period of the same kind just before (a custom range: the same number of days before it). */
export function previousPeriod(p: Period): Period {
  const { year: y, month: m } = civilFromDays(p.fromDay);
  switch (p.kind) {
    case 'day': return day(p.fromDay - 1);
    case 'half_month': return p.code.endsWith('H2') ? halfMonth(y, m, 1) : m === 1 ? halfMonth(y - 1, 12, 2) : halfMonth(y, m - 1, 2);
    case 'month': return m === 1 ? month(y - 1, 12) : month(y, m - 1);
    case 'quarter': { const q = Math.floor((m - 1) / 3) + 1; return q === 1 ? quarter(y - 1, 4) : quarter(y, q - 1); }
    case 'year': return year(y - 1);
    case 'custom': {
      const length = p.toDay - p.fromDay;
      return build('custom', `${formatIsoDate(p.fromDay - length)}..${formatIsoDate(p.fromDay - 1)}`, `${formatIsoDate(p.fromDay - length)}至${formatIsoDate(p.fromDay - 1)}`,
        `${formatIsoDate(p.fromDay - length)} to ${formatIsoDate(p.fromDay - 1)}`, p.fromDay - length, p.fromDay);
    }
  }
}

/** The period of a kind that contains an instant (custom: that single day). */
export function periodContaining(kind: Exclude<PeriodKind, 'custom'>, ms: number): Period {
  const days = Math.floor((ms + OFFSET_MS) / DAY_MS);
  const { year: y, month: m, day: d } = civilFromDays(days);
  switch (kind) {
    case 'day': return day(days);
    case 'half_month': return halfMonth(y, m, d <= 15 ? 1 : 2);
    case 'month': return month(y, m);
    case 'quarter': return quarter(y, Math.floor((m - 1) / 3) + 1);
    case 'year': return year(y);
  }
}

/** Half-months numbered from January 1970 (two per month): the unit counts are kept in (decision 0009). */
export function halfMonthIndex(ms: number): number {
  const { year: y, month: m, day: d } = civilFromDays(Math.floor((ms + OFFSET_MS) / DAY_MS));
  return ((y - 1970) * 12 + (m - 1)) * 2 + (d > 15 ? 1 : 0);
}

/** The instant a half-month starts (00:00 Beijing time of the 1st or the 16th). */
export function halfMonthStart(index: number): number {
  const months = Math.floor(index / 2);
  const y = 1970 + Math.floor(months / 12);
  const m = (months % 12) + 1;
  return daysFromCivil(y, m, index % 2 === 0 ? 1 : 16) * DAY_MS - OFFSET_MS;
}
