import type { Polygon } from '@cityops/domain/geo/geometry';
import type { TerritoryLevel } from '@cityops/domain/territory/levels';
import { CITY_NAMES, DISTRICT_NAMES, communityName, gridName, streetName, townName, villageName } from './names.ts';
import { Lattice } from './lattice.ts';
import { createRandom, pick, randomBetween, type Random } from '@cityops/domain/random';

/**
 * The demo city's territory (PRODUCT.md §2): a fictional but realistic Chinese city, deterministic
 * from a seed. 市 → 7 区县 (4 urban districts round the centre, 3 larger and sparser counties further
 * out) → 街道/乡镇 → 社区/村 → 万米单元网格 of about 100 m × 100 m.
 *
 * Geometry: a lattice of cells round (118.80 E, 32.00 N) whose vertices are jittered (up to 25 % of
 * the cell size) and whose edges are subdivided with small bends. Vertices and bend points are shared
 * (the very same coordinates) by every polygon that uses them, so the grids tessellate exactly and
 * each higher-level polygon is the perimeter walk of its block of grids: exact nesting, no gaps, no
 * overlaps. The hierarchy is a recursive rectangular (treemap) partition of the lattice with random
 * weights, so sizes are uneven. The urban core lies on the south bank of a river that forms the
 * city's north edge; the counties wrap it to the west, south and east.
 *
 * Codes: province prefix 99 is not assigned by GB/T 2260 (provinces run 11–82), so the city 990100 and
 * its districts can never collide with a real code. Districts follow the GB/T 2260 habit: urban
 * districts 990102–990105, counties 990121–990123. Streets and communities follow the NBS 统计用区划代码
 * ranges where they fit: 街道 001–099, 镇 101–199, 社区(居委会) 001–199, 村(村委会) 201–399, numbering on
 * from 001 when a very large scale overflows a range. Grids: community + 3-digit sequence numbered
 * west→east, north→south (Beijing DB11/T 2157-2023).
 */
export type NodeKind = 'urban_district' | 'county' | 'street' | 'town' | 'community' | 'village';
export type AreaClass = 1 | 2 | 3;

export interface TerritoryNodeSeed {
  code: string;
  name: string;
  level: TerritoryLevel;
  parentCode: string | null;
  areaClass: AreaClass;
  kind?: NodeKind;
  geometry: Polygon;
}

export interface CityLayout {
  /** The root; also nodes[0]. */
  city: TerritoryNodeSeed;
  /** Every node, parents before children (by level, then code). Positions are shared between polygons: treat as read-only. */
  nodes: TerritoryNodeSeed[];
  /** [lon, lat] of the urban core's centre, about where the four urban districts meet (118.80, 32.00). */
  centre: [number, number];
}

export interface CityLayoutOptions {
  seed: number;
  /** At least this many grids (default 5,000); streets and communities grow in proportion. */
  targetGrids?: number;
  /** Nominal cell side in metres (default 100: a 万米单元网格). */
  cellSizeM?: number;
  /** Straight pieces per cell edge (default 2: one bend point per edge). */
  edgeSegments?: number;
}

export const DEMO_CITY_CODE = '990100';
export const DEMO_CENTRE: [number, number] = [118.8, 32.0];
const DEFAULT_GRIDS = 5_000;
const STREETS_PER_5000 = 42;
const COMMUNITIES_PER_5000 = 210;
/** Streets and communities per cell in counties relative to urban districts (乡镇 and 村 are larger). */
const COUNTY_STREET_DENSITY = 0.5;
const COUNTY_COMMUNITY_DENSITY = 0.55;
const MIN_COMMUNITY_CELLS = 6;

/**
 * 一类/二类/三类 (management difficulty) as data: first matching rule wins. `within` is the normalised
 * distance (1 = edge of the ellipse inscribed in the block) to the urban core's centre for districts,
 * to the seat town's centre for counties (other towns: infinitely far), plus a little noise so the
 * class boundary follows no perfect ellipse.
 */
export const AREA_CLASS_RULES: readonly { kind: 'urban_district' | 'county'; within?: number; areaClass: AreaClass }[] = [
  { kind: 'urban_district', within: 0.7, areaClass: 1 }, // 城市核心区
  { kind: 'urban_district', areaClass: 2 }, // 城区边缘
  { kind: 'county', within: 0.55, areaClass: 2 }, // 县城 (城关镇 core)
  { kind: 'county', areaClass: 3 },
];
const AREA_CLASS_NOISE = 0.05;

/** A block of lattice cells: columns [x, x+w), rows [y, y+h); row 0 is the southernmost. */
export interface Rect { x: number; y: number; w: number; h: number }

export function generateCityLayout(options: CityLayoutOptions): CityLayout {
  const targetGrids = options.targetGrids ?? DEFAULT_GRIDS;
  if (!Number.isInteger(targetGrids) || targetGrids < 200 || targetGrids > 400_000) throw new RangeError(`targetGrids must be an integer in [200, 400000], got ${targetGrids}`);
  const random = createRandom(options.seed);
  const cell = options.cellSizeM ?? 100;
  const columns = Math.round(Math.sqrt(targetGrids * 1.25));
  const rows = Math.ceil(targetGrids / columns);
  const scale = targetGrids / DEFAULT_GRIDS;

  // Districts: county strips west and east (full height) and south (between them); the urban core
  // in the north-middle, cut into four unequal quadrants.
  const westW = Math.round(columns * randomBetween(random, 0.2, 0.26));
  const eastW = Math.round(columns * randomBetween(random, 0.2, 0.26));
  const midW = columns - westW - eastW;
  const southH = Math.round(rows * randomBetween(random, 0.3, 0.38));
  const urbanH = rows - southH;
  const split = Math.round(midW * randomBetween(random, 0.42, 0.58));
  const leftH = Math.round(urbanH * randomBetween(random, 0.42, 0.58));
  const rightH = Math.round(urbanH * randomBetween(random, 0.42, 0.58));
  const urban: Rect = { x: westW, y: southH, w: midW, h: urbanH };
  const centreCell = { x: westW + split, y: southH + (leftH + rightH) / 2 };
  const districtSpecs: { code: string; kind: 'urban_district' | 'county'; rect: Rect; names: readonly string[] }[] = [
    { code: '990102', kind: 'urban_district', rect: { x: westW, y: southH + leftH, w: split, h: urbanH - leftH }, names: DISTRICT_NAMES.urbanNorthWest },
    { code: '990103', kind: 'urban_district', rect: { x: westW + split, y: southH + rightH, w: midW - split, h: urbanH - rightH }, names: DISTRICT_NAMES.urbanNorthEast },
    { code: '990104', kind: 'urban_district', rect: { x: westW, y: southH, w: split, h: leftH }, names: DISTRICT_NAMES.urbanSouthWest },
    { code: '990105', kind: 'urban_district', rect: { x: westW + split, y: southH, w: midW - split, h: rightH }, names: DISTRICT_NAMES.urbanSouthEast },
    { code: '990121', kind: 'county', rect: { x: 0, y: 0, w: westW, h: rows }, names: DISTRICT_NAMES.countyWest },
    { code: '990122', kind: 'county', rect: { x: westW, y: 0, w: midW, h: southH }, names: DISTRICT_NAMES.countySouth },
    { code: '990123', kind: 'county', rect: { x: westW + midW, y: 0, w: eastW, h: rows }, names: DISTRICT_NAMES.countyEast },
  ];

  const lattice = new Lattice(columns, rows, cell, options.edgeSegments ?? 2, centreCell, random, DEMO_CENTRE);
  const polygon = (r: Rect): Polygon => ({ type: 'Polygon', coordinates: [lattice.ring(r)] });

  // Streets per district and communities per street, by cells × density (largest remainder).
  const streetCounts = apportion(Math.max(14, Math.round(STREETS_PER_5000 * scale)),
    districtSpecs.map((d) => area(d.rect) * (d.kind === 'county' ? COUNTY_STREET_DENSITY : 1)), 2);
  const streetRects = districtSpecs.map((d, i) => sortNorthWestFirst(partition(d.rect, weights(random, streetCounts[i]!), MIN_COMMUNITY_CELLS * 2)));
  const allStreets = streetRects.flatMap((rects, i) => rects.map((rect) => ({ rect, county: districtSpecs[i]!.kind === 'county' })));
  const communityCounts = apportion(Math.max(allStreets.length * 2, Math.round(COMMUNITIES_PER_5000 * scale)),
    allStreets.map((s) => area(s.rect) * (s.county ? COUNTY_COMMUNITY_DENSITY : 1)), 2, allStreets.map((s) => Math.floor(area(s.rect) / MIN_COMMUNITY_CELLS)));

  const nodes: TerritoryNodeSeed[][] = [[], [], [], [], []];
  const cityName = pick(random, CITY_NAMES);
  let streetIndex = 0;
  districtSpecs.forEach((d, di) => {
    const county = d.kind === 'county';
    const rects = streetRects[di]!;
    // The county seat (城关镇) is the town nearest the county's middle; it is numbered first.
    const seat = county ? nearest(rects, centreOf(d.rect)) : -1;
    const order = rects.map((_, i) => i);
    if (seat > 0) order.unshift(...order.splice(seat, 1));
    const base = county && rects.length <= 99 ? 100 : 0;
    const used = new Set<string>(county ? ['城关镇'] : []);
    const streets: TerritoryNodeSeed[] = [];
    order.forEach((ri, n) => {
      const rect = rects[ri]!;
      const code = d.code + code3(base + n + 1);
      const name = ri === seat ? '城关镇' : county ? townName(random, used) : streetName(random, used);
      const communityRects = sortNorthWestFirst(partition(rect, weights(random, communityCounts[streetIndex + ri]!), MIN_COMMUNITY_CELLS));
      const seatCentre = ri === seat ? centreOf(rect) : null;
      // Grid classes first: a community of the county seat whose grids are mostly 二类 is an urban
      // 社区; every other county community is a 村.
      const blocks = communityRects.map((r) => {
        const cells: { i: number; j: number; areaClass: AreaClass }[] = [];
        for (let j = r.y + r.h - 1; j >= r.y; j--) {
          for (let i = r.x; i < r.x + r.w; i++) {
            const c = { x: i + 0.5, y: j + 0.5 };
            const distance = !county ? normalisedDistance(c, centreCell, urban) : seatCentre ? normalisedDistance(c, seatCentre, rect) : Infinity;
            cells.push({ i, j, areaClass: classify(d.kind, distance + randomBetween(random, -AREA_CLASS_NOISE, AREA_CLASS_NOISE)) });
          }
        }
        const areaClass = mode(cells);
        return { rect: r, cells, areaClass, kind: !county || areaClass <= 2 ? ('community' as const) : ('village' as const) };
      });
      const villages = blocks.filter((b) => b.kind === 'village').length;
      const numbering = { community: 0, village: villages <= 199 && blocks.length - villages <= 199 ? 200 : blocks.length - villages };
      const names = new Set<string>();
      const communities = blocks.map((b): TerritoryNodeSeed => {
        const ccode = code + code3(++numbering[b.kind]);
        const cname = b.kind === 'community' ? communityName(random, names) : villageName(random, names);
        // Cells are listed north→south, west→east: the DB11/T 2157 sequence order.
        b.cells.forEach((c, k) => nodes[4]!.push({
          code: ccode + code3(k + 1), name: gridName(cname, k + 1), level: 'grid', parentCode: ccode, areaClass: c.areaClass, geometry: polygon({ x: c.i, y: c.j, w: 1, h: 1 }),
        }));
        return { code: ccode, name: cname, level: 'community', parentCode: code, areaClass: b.areaClass, kind: b.kind, geometry: polygon(b.rect) };
      });
      nodes[3]!.push(...communities);
      streets.push({ code, name, level: 'street', parentCode: d.code, areaClass: mode(communities), kind: county ? 'town' : 'street', geometry: polygon(rect) });
    });
    streetIndex += rects.length;
    nodes[2]!.push(...streets);
    nodes[1]!.push({ code: d.code, name: pick(random, d.names), level: 'district', parentCode: DEMO_CITY_CODE, areaClass: mode(streets), kind: d.kind, geometry: polygon(d.rect) });
  });
  const city: TerritoryNodeSeed = { code: DEMO_CITY_CODE, name: cityName, level: 'city', parentCode: null, areaClass: mode(nodes[4]!), geometry: polygon({ x: 0, y: 0, w: columns, h: rows }) };
  nodes[0]!.push(city);
  // Towns put the seat first and communities come before villages, so order each level by code.
  for (const level of nodes) level.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { city, nodes: nodes.flat(), centre: lattice.toLonLat(0, 0) };
}

function classify(kind: 'urban_district' | 'county', distance: number): AreaClass {
  const rule = AREA_CLASS_RULES.find((r) => r.kind === kind && (r.within === undefined || distance < r.within));
  return rule ? rule.areaClass : 3;
}

/** Most common class of the children; a tie goes to the harder (lower) class. */
function mode(children: readonly { areaClass: AreaClass }[]): AreaClass {
  const counts = [0, 0, 0, 0];
  for (const c of children) counts[c.areaClass]!++;
  let best: AreaClass = 1;
  for (const c of [2, 3] as const) if (counts[c]! > counts[best]!) best = c;
  return best;
}

function code3(n: number): string {
  if (n < 1 || n > 999) throw new RangeError(`a 3-digit code segment must be in 1–999, got ${n}`);
  return String(n).padStart(3, '0');
}

const area = (r: Rect) => r.w * r.h;
const centreOf = (r: Rect) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });

/** Distance to `centre` in units of the half-sides of `frame`: 1 on the ellipse inscribed in it. */
function normalisedDistance(p: { x: number; y: number }, centre: { x: number; y: number }, frame: Rect): number {
  return Math.hypot((p.x - centre.x) / (frame.w / 2), (p.y - centre.y) / (frame.h / 2));
}

function nearest(rects: readonly Rect[], to: { x: number; y: number }): number {
  let best = 0;
  let bestD = Infinity;
  rects.forEach((r, i) => {
    const c = centreOf(r);
    const d = Math.hypot(c.x - to.x, c.y - to.y);
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

function weights(random: Random, n: number): number[] {
  return Array.from({ length: n }, () => randomBetween(random, 0.4, 1.9));
}

/** Blocks ordered north→south, then west→east, by their north-west corner. */
function sortNorthWestFirst(rects: Rect[]): Rect[] {
  return rects.sort((a, b) => b.y + b.h - (a.y + a.h) || a.x - b.x);
}

/** Splits `total` into integer parts proportional to the weights, each at least `min` (and at most `max[i]`). */
function apportion(total: number, shares: number[], min: number, max?: number[]): number[] {
  const sum = shares.reduce((s, w) => s + w, 0);
  const exact = shares.map((w) => (total * w) / sum);
  const counts = exact.map((e, i) => Math.min(max?.[i] ?? Infinity, Math.max(min, Math.floor(e))));
  const byRemainder = exact.map((e, i) => i).sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  let missing = total - counts.reduce((s, c) => s + c, 0);
  for (let pass = 0; missing > 0 && pass < 1_000; pass++) {
    let progressed = false;
    for (const i of byRemainder) {
      if (missing === 0) break;
      if (counts[i]! < (max?.[i] ?? Infinity)) {
        counts[i]!++;
        missing--;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return counts;
}

/**
 * Treemap-like partition of a block of cells into one rectangle per weight, areas roughly in
 * proportion: split the weights in two balanced groups, cut the longer side in that proportion, recurse.
 * Each part gets at least `minCells` cells when the block allows it (else the minimum is relaxed).
 */
export function partition(rect: Rect, parts: readonly number[], minCells: number): Rect[] {
  const n = parts.length;
  if (n === 1) return [rect];
  const total = parts.reduce((s, w) => s + w, 0);
  let k0 = 1;
  let acc = parts[0]!;
  while (k0 < n - 1 && acc + parts[k0]! <= total / 2) acc += parts[k0++]!;
  const candidates = [k0, k0 + 1, k0 - 1, k0 + 2, k0 - 2].filter((k) => k >= 1 && k <= n - 1);
  for (let m = minCells; ; m = Math.ceil(m / 2)) {
    for (const k of candidates) {
      const left = parts.slice(0, k).reduce((s, w) => s + w, 0);
      for (const vertical of rect.w >= rect.h ? [true, false] : [false, true]) {
        const length = vertical ? rect.w : rect.h;
        const depth = vertical ? rect.h : rect.w;
        const lo = Math.max(1, Math.ceil((k * m) / depth));
        const hi = Math.min(length - 1, length - Math.ceil(((n - k) * m) / depth));
        if (lo > hi) continue;
        const cut = Math.min(hi, Math.max(lo, Math.round((length * left) / total)));
        const [a, b]: [Rect, Rect] = vertical
          ? [{ x: rect.x, y: rect.y, w: cut, h: rect.h }, { x: rect.x + cut, y: rect.y, w: rect.w - cut, h: rect.h }]
          : [{ x: rect.x, y: rect.y, w: rect.w, h: cut }, { x: rect.x, y: rect.y + cut, w: rect.w, h: rect.h - cut }];
        return [...partition(a, parts.slice(0, k), minCells), ...partition(b, parts.slice(k), minCells)];
      }
    }
    if (m === 1) throw new RangeError(`cannot cut a ${rect.w}×${rect.h} block into ${n} parts`);
  }
}
