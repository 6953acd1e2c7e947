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
 * How the cases around the new ones are read, by what each costs: one read per overlay (its classes within its
 * bounding box, from the class-place index) costs about as much as taking this many rows of a single read of
 * the pairs' classes over the whole span. So the reads per overlay are taken while the overlays number at most
 * the span's reports divided by this (an hour of a large city: thousands of overlays against a month of
 * reports); one read otherwise (a first run's week of a small city). Measured on this machine: a read per
 * overlay 0.1–0.3 ms, a row 3–5 µs.
 */
export const ROWS_PER_READ = 50;

/** The reports in a span, all classes (an index range count): the size of the single read, from above. */
async function reportedBetween(db: Executor, fromMs: number, toMs: number): Promise<number> {
  const row = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number | string>().as('n')).where('reported_at', '>=', fromMs).where('reported_at', '<=', toMs).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface RepeatedCase { id: number; code: string; classCode: string; lon: number; lat: number; reportedAt: number; area: IndexedArea }

interface CaseRow { id: number; code: string; class_id: number; class_code: string; lon: number; lat: number; reported_at: number }
interface Pair { area: IndexedArea; classId: number; firstMs: number; lastMs: number }

const countedCases = (db: Executor) => db.selectFrom('cases').select(['id', 'code', 'class_id', 'class_code', 'lon', 'lat', 'reported_at'])
  .where('registered_at', 'is not', null).where('merged_into_id', 'is', null).where('duplicate_flag', '=', 0);

/** The repeats among the cases registered in [fromMs, toMs) and the cases they make repeats. */
export async function repeatedCases(db: Executor, rules: ResponsibilityRules, areas: AreaIndex, fromMs: number, toMs: number, rowsPerRead = ROWS_PER_READ): Promise<RepeatedCase[]> {
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
  // A row counts in the pair of the overlay it is charged to; an overlay's own read may also return cases of an
  // overlapping overlay, which belong to (and are read by) another overlay.
  const keep = (onlyArea: number | null) => (c: CaseRow) => {
    const area = areaOf(c);
    if (!area || (onlyArea !== null && area.id !== onlyArea)) return;
    const key = `${area.id}/${c.class_id}`;
    if (!pairs.has(key)) return;
    const list = byPair.get(key);
    if (list) list.push(c); else byPair.set(key, [c]);
  };
  // The overlays among the pairs, each with its classes and the span of its new cases' reports.
  const overlays = new Map<number, { area: IndexedArea; classIds: Set<number>; firstMs: number; lastMs: number }>();
  for (const pair of pairs.values()) {
    const o = overlays.get(pair.area.id);
    if (o) { o.classIds.add(pair.classId); o.firstMs = Math.min(o.firstMs, pair.firstMs); o.lastMs = Math.max(o.lastMs, pair.lastMs); } else overlays.set(pair.area.id, { area: pair.area, classIds: new Set([pair.classId]), firstMs: pair.firstMs, lastMs: pair.lastMs });
  }
  const all = [...pairs.values()];
  const spanFrom = Math.min(...all.map((p) => p.firstMs)) - window;
  const spanTo = Math.max(...all.map((p) => p.lastMs)) + window;
  const byOverlay = overlays.size * rowsPerRead <= (await reportedBetween(db, spanFrom, spanTo));
  if (byOverlay) {
    for (const o of overlays.values()) {
      const [west, south, east, north] = areas.bboxOf(o.area.id);
      const rows = await countedCases(db).where('class_id', 'in', [...o.classIds]).where('lon', '>=', west).where('lon', '<=', east).where('lat', '>=', south).where('lat', '<=', north)
        .where('reported_at', '>=', o.firstMs - window).where('reported_at', '<=', o.lastMs + window).where('registered_at', '<', toMs).execute();
      rows.forEach(keep(o.area.id));
    }
  } else {
    const rows = await countedCases(db).where('class_id', 'in', [...new Set(all.map((p) => p.classId))])
      .where('reported_at', '>=', spanFrom).where('reported_at', '<=', spanTo).where('registered_at', '<', toMs).execute();
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
