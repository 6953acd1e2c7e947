import { publicRankings, type PublishedRanking } from '../api/evaluation.ts';

/** The newest published ranking of the city's districts (the first scheme at the top of the tree). */
export async function publishedRankingsForDashboard(signal?: AbortSignal): Promise<PublishedRanking | undefined> {
  const { items } = await publicRankings(signal);
  return items.find((r) => r.territory.code.length <= 6) ?? items[0];
}
