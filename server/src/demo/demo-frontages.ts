// The demo city's 门前三包 frontages: each street's road (its 路长 road segment) has a stretch of shops in its
// middle, on both sides, and each shop answers for the pavement in front of it: a thin rectangle on the road
// segment's edge, as long as the shop's front and about 11 m deep, named after the shop and its house number
// (odd numbers on the north side, even on the south, as Chinese streets are numbered). The shop's owner is the
// responsible person and the street government its unit (no department: a shop answers to its street). Pure and
// deterministic for a seed, so the demo's other overlays and its history are unchanged by it.
import { bboxOf, type Polygon, type PolygonalGeometry } from '@cityops/domain/geo/geometry';
import { geometryContains } from '@cityops/domain/geo/grid-index';
import { randomBetween, randomInt, type Random } from '@cityops/domain/random';
import { personName } from './demo-organisation.ts';
import { shopName } from './names.ts';

/** How the shops sit along a road, in degrees (at 32° N, 0.0001° of longitude is about 9.4 m, of latitude 11.1 m). */
export const FRONTAGE_LAYOUT = {
  /** The stretch of shops: this share of the road's length, at most `maxStretch`, at least a quarter of the rest of the road from either end. */
  stretchShare: 0.5,
  maxStretch: 0.003,
  /** A shop's front: from `minFront` to `maxFront` long; a last piece shorter than `leastFront` is left as pavement. */
  minFront: 0.00018,
  maxFront: 0.0004,
  leastFront: 0.00012,
  /** From the road segment's edge towards its middle. */
  depth: 0.0001,
} as const;

export interface DemoRoad { code: string; name: string; territoryCode: string; geometry: Polygon }
export interface FrontageOverlay {
  row: number; code: string; name: string; kind: 'frontage'; territoryCode: string; departmentCode: null; person: string; geometry: Polygon;
}

const SUFFIX = '门前三包责任区';
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** `解放路大道18号鑫源餐馆门前三包责任区` from its road, house number and shop. */
export const frontageName = (road: string, houseNumber: number, shop: string) => `${road}${houseNumber}号${shop}${SUFFIX}`;

/** The road, house number and shop a demo frontage is named after; null for a name not made by frontageName. */
export function parseFrontageName(name: string): { road: string; houseNumber: number; shop: string } | null {
  const m = /^(.+?)(\d+)号(.+)门前三包责任区$/.exec(name);
  return m ? { road: m[1]!, houseNumber: Number(m[2]), shop: m[3]! } : null;
}

/** The frontages along every road, in the roads' order, north side first, west to east. */
export function demoFrontages(roads: readonly DemoRoad[], streetGeometry: (code: string) => PolygonalGeometry, random: Random): FrontageOverlay[] {
  const out: FrontageOverlay[] = [];
  for (const road of roads) {
    const street = streetGeometry(road.territoryCode);
    const [west, south, east, north] = bboxOf(road.geometry);
    const length = Math.min((east - west) * FRONTAGE_LAYOUT.stretchShare, FRONTAGE_LAYOUT.maxStretch);
    const start = west + (east - west - length) * randomBetween(random, 0.25, 0.75);
    const roadName = road.name.replace(/路段$/, '');
    const used = new Set<string>();
    let seq = 0;
    for (const side of ['north', 'south'] as const) {
      const [from, to] = side === 'north' ? [north - FRONTAGE_LAYOUT.depth, north] : [south, south + FRONTAGE_LAYOUT.depth];
      let houseNumber = 2 * randomInt(random, 0, 30) + (side === 'north' ? 1 : 2);
      let x = round7(start);
      while (start + length - x >= FRONTAGE_LAYOUT.leastFront) {
        const next = round7(Math.min(x + randomBetween(random, FRONTAGE_LAYOUT.minFront, FRONTAGE_LAYOUT.maxFront), start + length));
        if (next - x < FRONTAGE_LAYOUT.leastFront) break;
        const ring: [number, number][] = [[x, round7(from)], [next, round7(from)], [next, round7(to)], [x, round7(to)], [x, round7(from)]];
        const shop = shopName(random, used);
        const person = personName(random);
        // A front reaching past the street's edge (the polygons are jittered) is left out: a frontage is its street's.
        if (ring.every(([lon, lat]) => geometryContains(street, lon, lat))) {
          seq++;
          out.push({
            row: out.length + 1, code: `FR${road.territoryCode}${String(seq).padStart(3, '0')}`, name: frontageName(roadName, houseNumber, shop), kind: 'frontage',
            territoryCode: road.territoryCode, departmentCode: null, person, geometry: { type: 'Polygon', coordinates: [ring] },
          });
        }
        houseNumber += random() < 0.3 ? 4 : 2;
        x = next;
      }
    }
  }
  return out;
}
