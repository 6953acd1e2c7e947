// Rankings (排名): competition ranking on the score as published (two decimals), so two units shown
// with the same score share a rank and the next rank is skipped (1, 2, 2, 4). Units without a score are
// listed after the ranked ones, unranked. Change is measured against the previous period's ranking.
export interface Rankable {
  key: string;
  score: number | null;
}

export interface Ranked<T extends Rankable> {
  item: T;
  rank: number | null;
  /** Ranks shared with another unit. */
  tied: boolean;
}

export function rank<T extends Rankable>(items: readonly T[]): Ranked<T>[] {
  const scored = items.filter((i) => i.score !== null).sort((a, b) => b.score! - a.score! || a.key.localeCompare(b.key));
  const out: Ranked<T>[] = [];
  scored.forEach((item, i) => {
    const previous = out[i - 1];
    const same = previous !== undefined && previous.item.score === item.score;
    out.push({ item, rank: same ? previous.rank : i + 1, tied: false });
    if (same) { previous.tied = true; out[i]!.tied = true; }
  });
  for (const item of items.filter((i) => i.score === null).sort((a, b) => a.key.localeCompare(b.key))) out.push({ item, rank: null, tied: false });
  return out;
}

export interface RankChange {
  previousScore: number | null;
  previousRank: number | null;
  /** Score now minus before, two decimals; null without both. */
  scoreChange: number | null;
  /** Places gained (positive) or lost (negative); null without both ranks. */
  rankChange: number | null;
}

export function changeAgainst(current: { score: number | null; rank: number | null }, previous: { score: number | null; rank: number | null } | undefined): RankChange {
  const ps = previous?.score ?? null;
  const pr = previous?.rank ?? null;
  return {
    previousScore: ps, previousRank: pr,
    scoreChange: ps !== null && current.score !== null ? Math.round((current.score - ps) * 100) / 100 : null,
    rankChange: pr !== null && current.rank !== null ? pr - current.rank : null,
  };
}
