// Earlier cases of the same class near each report of a batch, within the time window (the rule of
// duplicates.ts), answered from the index (class, lon, lat, reported): on PostgreSQL in one query for the
// whole batch, on SQLite by one statement per report. Each report takes the first matches of its own box by
// id, cut in the query (a spot reported a thousand times in the window returned every one of them to every
// later report: e2e/load profile), and keeps those within the radius.
import { CompiledQuery, sql } from 'kysely';
import { DEFAULT_DUPLICATE_RULE, distanceM, searchBox } from '@cityops/domain/workflow/duplicates';
import { isPostgres, type Executor } from '../db/database.ts';

export type Duplicate = { caseId: number; code: string; distanceM: number };

/** A report's place and time, for the duplicate search. */
export interface Probe { classId: number; lon: number; lat: number; reportedAt: number }

/** Candidates per probe that the search reads (then those beyond the radius are dropped), as one case's search did. */
export const CANDIDATES_PER_REPORT = 20;

/** States whose cases are not candidates: already merged into another, voided, or not accepted. */
const NOT_CANDIDATES = ['merged', 'voided', 'not_accepted'];

interface Box { probe: number; classId: number; minLon: number; maxLon: number; minLat: number; maxLat: number; from: number; to: number }
interface Match { probe: number; id: number; code: string; lon: number; lat: number }

/**
 * PostgreSQL: the boxes as arrays, unnested, each joined laterally to its first candidates by id: the same text
 * whatever the batch's size, so it is parsed once per shape and planned as one index probe per box. The OR of one
 * term per box, which SQLite answers well, cost PostgreSQL a plan per batch that grew with the number of terms
 * (bench intake_http). `id + 0`: ordered by the primary key, a box with few cases would walk the whole table.
 */
async function matchesPostgres(db: Executor, boxes: Box[]): Promise<Match[]> {
  const column = <K extends keyof Box>(key: K) => boxes.map((b) => b[key]);
  const { rows } = await sql<Match>`
    select b.probe::int as probe, c.id, c.code, c.lon, c.lat
    from unnest(${column('probe')}::int[], ${column('classId')}::bigint[], ${column('minLon')}::float8[], ${column('maxLon')}::float8[],
                ${column('minLat')}::float8[], ${column('maxLat')}::float8[], ${column('from')}::bigint[], ${column('to')}::bigint[])
      as b(probe, class_id, min_lon, max_lon, min_lat, max_lat, from_at, to_at)
    cross join lateral (
      select c.id, c.code, c.lon, c.lat from cases c
      where c.class_id = b.class_id and c.lon between b.min_lon and b.max_lon and c.lat between b.min_lat and b.max_lat
        and c.reported_at between b.from_at and b.to_at and c.state <> all(${NOT_CANDIDATES}::text[])
      order by c.id + 0 limit ${CANDIDATES_PER_REPORT}
    ) c`.execute(db);
  return rows;
}

/**
 * SQLite: one prepared statement run once per box, each answered from the index and cut to its first candidates
 * by id; in the process, a statement costs no round trip. The limit is written into the text: bound as a
 * parameter, SQLite sorts through a temporary b-tree opened and closed at every run, 14 µs even when nothing
 * matches. The UNION ALL of one limited term per box that this replaced took 0.86 ms for a batch of 16 reports,
 * the 16 runs 0.26 ms (bench intake_http, alternate batches of one run, 2026-11-28).
 */
const SQLITE_BOX_SEARCH = `select ? as probe, id, code, lon, lat from cases
  where class_id = ? and lon >= ? and lon <= ? and lat >= ? and lat <= ?
    and reported_at >= ? and reported_at <= ? and state not in (${NOT_CANDIDATES.map(() => '?').join(', ')})
  order by id limit ${CANDIDATES_PER_REPORT}`;

async function matchesSqlite(db: Executor, boxes: Box[]): Promise<Match[]> {
  const matches: Match[] = [];
  for (const b of boxes) {
    const parameters = [b.probe, b.classId, b.minLon, b.maxLon, b.minLat, b.maxLat, b.from, b.to, ...NOT_CANDIDATES];
    matches.push(...(await db.executeQuery<Match>(CompiledQuery.raw(SQLITE_BOX_SEARCH, parameters))).rows);
  }
  return matches;
}

export async function findDuplicates(db: Executor, probes: Probe[]): Promise<Duplicate[][]> {
  if (!probes.length) return [];
  const rule = DEFAULT_DUPLICATE_RULE;
  const boxes = probes.map((p, probe): Box => {
    const box = searchBox(p.lon, p.lat, rule.radiusM);
    return { probe, classId: p.classId, ...box, from: p.reportedAt - rule.windowMs, to: p.reportedAt + rule.windowMs };
  });
  const matches = isPostgres(db) ? await matchesPostgres(db, boxes) : await matchesSqlite(db, boxes);
  const byProbe: Match[][] = probes.map(() => []);
  for (const m of matches) byProbe[m.probe]!.push(m);
  return probes.map((p, i) => byProbe[i]!
    .sort((a, b) => a.id - b.id)
    .slice(0, CANDIDATES_PER_REPORT)
    .map((r) => ({ caseId: r.id, code: r.code, distanceM: Math.round(distanceM(p.lon, p.lat, r.lon, r.lat) * 10) / 10 }))
    .filter((r) => r.distanceM <= rule.radiusM));
}
