// 同类问题反复发生: a registered case is a repeat when a registered case of the same class counted against the
// same overlay was reported within the window before it. A sweep reads only the cases registered in its slice
// (the new ones), but a new case can also make a later case a repeat (it was registered late), so for each
// overlay and class among the new cases the sweep reads the cases reported from a window before the first new
// one to a window after the last (registered before the slice's end: a later registration is its own slice's),
// and walks them in order: every case from the first new one on then has all its possible predecessors in hand.
import { chargedArea, eventTenths, type ResponsibilityRules } from '@cityops/domain/points/responsibility-rules';
import type { Executor } from '../db/database.ts';
import type { AreaIndex, IndexedArea } from './area-index.ts';

const DAY = 86_400_000;

/**
 * Up to this many (overlay, class) pairs among the new cases, each pair's cases are read by class and the
 * overlay's bounding box (the class-place index): the hourly run. Beyond it (a first run catching up a week
 * of a city) one read of the pairs' classes over the whole period is cheaper than thousands of small ones.
 */
export const PAIR_READS_UP_TO = 200;

export interface RepeatedCase { id: number; code: string; classCode: string; lon: number; lat: number; reportedAt: number; area: IndexedArea }

interface CaseRow { id: number; code: string; class_id: number; class_code: string; lon: number; lat: number; reported_at: number }
interface Pair { area: IndexedArea; classId: number; firstMs: number; lastMs: number }

const countedCases = (db: Executor) => db.selectFrom('cases').select(['id', 'code', 'class_id', 'class_code', 'lon', 'lat', 'reported_at'])
  .where('registered_at', 'is not', null).where('merged_into_id', 'is', null).where('duplicate_flag', '=', 0);

/** The repeats among the cases registered in [fromMs, toMs) and the cases they make repeats. */
export async function repeatedCases(db: Executor, rules: ResponsibilityRules, areas: AreaIndex, fromMs: number, toMs: number, pairReadsUpTo = PAIR_READS_UP_TO): Promise<RepeatedCase[]> {
  const window = rules.repeatWindowDays * DAY;
  const areaOf = (c: { lon: number; lat: number }) => chargedArea(rules, areas.containing(c.lon, c.lat));
  const fresh = await countedCases(db).where('registered_at', '>=', fromMs).where('registered_at', '<', toMs).execute();
  const pairs = new Map<string, Pair>();
  for (const c of fresh) {
    const area = areaOf(c);
    if (!area || eventTenths(rules, 'case_repeated', area.kind) === null) continue;
    const key = `${area.id}/${c.class_id}`;
    const reported = Number(c.reported_at);
    const pair = pairs.get(key);
    if (pair) { pair.firstMs = Math.min(pair.firstMs, reported); pair.lastMs = Math.max(pair.lastMs, reported); } else pairs.set(key, { area, classId: Number(c.class_id), firstMs: reported, lastMs: reported });
  }
  if (!pairs.size) return [];

  const byPair = new Map<string, CaseRow[]>();
  // A row counts in the pair of the overlay it is charged to; a pair's own read may also return cases of an
  // overlapping overlay, which belong to (and are read by) another pair.
  const keep = (only: string | null) => (c: CaseRow) => {
    const area = areaOf(c);
    const key = area ? `${area.id}/${c.class_id}` : '';
    if (pairs.has(key) && (only === null || key === only)) byPair.set(key, [...(byPair.get(key) ?? []), c]);
  };
  if (pairs.size <= pairReadsUpTo) {
    for (const [key, pair] of pairs) {
      const [west, south, east, north] = areas.bboxOf(pair.area.id);
      const rows = await countedCases(db).where('class_id', '=', pair.classId).where('lon', '>=', west).where('lon', '<=', east).where('lat', '>=', south).where('lat', '<=', north)
        .where('reported_at', '>=', pair.firstMs - window).where('reported_at', '<=', pair.lastMs + window).where('registered_at', '<', toMs).execute();
      rows.forEach(keep(key));
    }
  } else {
    const all = [...pairs.values()];
    const rows = await countedCases(db).where('class_id', 'in', [...new Set(all.map((p) => p.classId))])
      .where('reported_at', '>=', Math.min(...all.map((p) => p.firstMs)) - window).where('reported_at', '<=', Math.max(...all.map((p) => p.lastMs)) + window)
      .where('registered_at', '<', toMs).execute();
    rows.forEach(keep(null));
  }

  const repeats: RepeatedCase[] = [];
  for (const [key, rows] of byPair) {
    const pair = pairs.get(key)!;
    rows.sort((x, y) => Number(x.reported_at) - Number(y.reported_at) || Number(x.id) - Number(y.id));
    let previous: number | undefined;
    for (const c of rows) {
      const reported = Number(c.reported_at);
      if (reported >= pair.firstMs && reported <= pair.lastMs + window && previous !== undefined && reported - previous <= window) {
        repeats.push({ id: Number(c.id), code: c.code, classCode: c.class_code, lon: c.lon, lat: c.lat, reportedAt: reported, area: pair.area });
      }
      previous = reported;
    }
  }
  return repeats;
}
