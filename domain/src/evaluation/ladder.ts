// Places, ranks and money (奖惩) of a month's units. Units are ordered by total score, then by the
// scheme's tie-break components; units still equal share a rank (1, 2, 2, 4). The ladder pays the
// first places their rewards and charges the last places their penalties, in fen (分) so that every
// split is exact: a shared rank either pools the amounts of the places it holds and divides them
// (`split`; a remainder of a few fen goes one fen each to the units in code order) or pays each unit
// the amount of the shared place (`each_full`). A place within reach of both ends (fewer units than
// rewards + penalties) takes its reward. Unscored units have no rank and no money.
import { roundHalfUp } from '../indicators/indicators.ts';
import type { ComprehensiveScheme } from './scheme.ts';

export interface PlaceInput {
  unitCode: string;
  total: number | null;
  /** Scores of the tie-break components, in the scheme's order (null ranks below any score). */
  tieScores: (number | null)[];
}

export interface Placement {
  unitCode: string;
  /** 1-based position in the ordered list; null when unscored. */
  place: number | null;
  rank: number | null;
  tied: boolean;
  /** Reward (positive) or penalty (negative) in fen. */
  amountFen: number;
}

function compare(a: PlaceInput, b: PlaceInput): number {
  if (a.total !== b.total) return b.total! - a.total!;
  for (let i = 0; i < Math.max(a.tieScores.length, b.tieScores.length); i++) {
    const x = a.tieScores[i] ?? null;
    const y = b.tieScores[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }
  return 0;
}

export function placeUnits(units: readonly PlaceInput[], ladder: ComprehensiveScheme['ladder'], tieMoney: ComprehensiveScheme['ties']['money']): Placement[] {
  const scored = units.filter((u) => u.total !== null).sort((a, b) => compare(a, b) || a.unitCode.localeCompare(b.unitCode));
  const n = scored.length;
  const placeAmountFen = (place: number) => {
    if (place - 1 < ladder.rewards.length) return ladder.rewards[place - 1]! * 100;
    if (n - place < ladder.penalties.length) return -ladder.penalties[n - place]! * 100;
    return 0;
  };
  const out: Placement[] = [];
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && compare(scored[start]!, scored[end]!) === 0) end++;
    const group = scored.slice(start, end);
    const places = group.map((_, k) => start + k + 1);
    const tied = group.length > 1;
    let amounts: number[];
    if (!tied || tieMoney === 'each_full') amounts = group.map((_, k) => placeAmountFen(tied ? start + 1 : places[k]!));
    else {
      const pool = places.reduce((sum, p) => sum + placeAmountFen(p), 0);
      const each = Math.trunc(pool / group.length);
      let remainder = pool - each * group.length;
      const byCode = [...group].sort((a, b) => a.unitCode.localeCompare(b.unitCode));
      const extra = new Map<string, number>();
      for (const u of byCode) {
        if (remainder === 0) break;
        extra.set(u.unitCode, Math.sign(remainder));
        remainder -= Math.sign(remainder);
      }
      amounts = group.map((u) => each + (extra.get(u.unitCode) ?? 0));
    }
    group.forEach((u, k) => out.push({ unitCode: u.unitCode, place: places[k]!, rank: start + 1, tied, amountFen: amounts[k]! }));
    start = end;
  }
  for (const u of units.filter((x) => x.total === null).sort((a, b) => a.unitCode.localeCompare(b.unitCode))) {
    out.push({ unitCode: u.unitCode, place: null, rank: null, tied: false, amountFen: 0 });
  }
  return out;
}

export interface PeriodTotal {
  unitCode: string;
  /** Months of the quarter or year with a score. */
  months: number;
  /** Mean of the monthly totals, 0.01; null without any. */
  average: number | null;
  /** The monthly rewards and penalties added up, in fen. */
  amountFen: number;
  rank: number | null;
  tied: boolean;
}

/** Quarterly and year-end rankings (季度 / 年度排名): the mean of the published monthly scores, and the money already settled month by month. */
export function aggregateMonths(months: readonly { unitCode: string; total: number | null; amountFen: number }[][]): PeriodTotal[] {
  const byUnit = new Map<string, { sum: number; months: number; amountFen: number }>();
  for (const month of months) {
    for (const u of month) {
      const t = byUnit.get(u.unitCode) ?? { sum: 0, months: 0, amountFen: 0 };
      if (u.total !== null) { t.sum += u.total; t.months += 1; }
      t.amountFen += u.amountFen;
      byUnit.set(u.unitCode, t);
    }
  }
  const inputs = [...byUnit].map(([unitCode, t]) => ({ unitCode, total: t.months ? roundHalfUp(t.sum / t.months, 2) : null, tieScores: [] }));
  const placed = new Map(placeUnits(inputs, { rewards: [], penalties: [] }, 'split').map((p) => [p.unitCode, p]));
  return inputs.map((i) => {
    const t = byUnit.get(i.unitCode)!;
    const p = placed.get(i.unitCode)!;
    return { unitCode: i.unitCode, months: t.months, average: i.total, amountFen: t.amountFen, rank: p.rank, tied: p.tied };
  }).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitCode.localeCompare(b.unitCode));
}
