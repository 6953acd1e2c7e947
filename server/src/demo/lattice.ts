import { metresPerDegree, type Position } from '@cityops/domain/geo/geometry';
import type { Random } from '@cityops/domain/random';

/**
 * A jittered lattice of columns × rows cells, the geometry of the demo city. Vertex (i, j) is the
 * south-west corner of cell (i, j); i grows east, j north. Every vertex moves by up to 25 % of the
 * cell size (uniformly in a disc) and every cell edge is cut into `segments` pieces whose inner points
 * bend sideways by up to 10 %/segments of the cell size. Vertices and bend points are computed once,
 * and every ring refers to the same coordinates, so neighbouring polygons share their edges exactly.
 *
 * Why these bounds keep every polygon simple: a disc jitter of radius c/4 keeps each edge within 30°
 * of its axis and at least c/2 long, and the bends tilt the first piece at a vertex by at most
 * atan(0.2) ≈ 11°; so the four edges at a vertex stay in disjoint 41° cones round the four axis
 * directions, and edges that share no vertex are separated by their coordinate ranges.
 *
 * Cells are then kept between 55 % and 200 % of the nominal area (real 万米单元网格 vary, but not
 * wildly): a cell outside that range has the jitter of its corners and bends halved, repeatedly.
 */
export class Lattice {
  readonly columns: number;
  readonly rows: number;
  readonly #segments: number;
  readonly #vertices: Position[];
  readonly #hBends: Position[];
  readonly #vBends: Position[];
  readonly #lon0: number;
  readonly #lat0: number;
  readonly #kx: number;
  readonly #ky: number;

  constructor(columns: number, rows: number, cell: number, segments: number, centreCell: { x: number; y: number }, random: Random, centre: [number, number] = [118.8, 32.0]) {
    if (!Number.isInteger(segments) || segments < 1 || segments > 8) throw new RangeError(`edge segments must be 1–8, got ${segments}`);
    this.columns = columns;
    this.rows = rows;
    this.#segments = segments;
    [this.#lon0, this.#lat0] = centre;
    const k = metresPerDegree(centre[1]);
    this.#kx = k.lon;
    this.#ky = k.lat;

    const nx = columns + 1;
    const ny = rows + 1;
    const inner = segments - 1;
    const jx = new Float64Array(nx * ny);
    const jy = new Float64Array(nx * ny);
    for (let v = 0; v < nx * ny; v++) {
      let u: number;
      let w: number;
      do {
        u = 2 * random() - 1;
        w = 2 * random() - 1;
      } while (u * u + w * w > 1);
      jx[v] = u * 0.25 * cell;
      jy[v] = w * 0.25 * cell;
    }
    const bend = (0.1 * cell) / segments;
    const hb = Float64Array.from({ length: columns * ny * inner }, () => (2 * random() - 1) * bend);
    const vb = Float64Array.from({ length: nx * rows * inner }, () => (2 * random() - 1) * bend);

    const vx = (i: number, j: number) => (i - centreCell.x) * cell + jx[j * nx + i]!;
    const vy = (i: number, j: number) => (j - centreCell.y) * cell + jy[j * nx + i]!;
    // Inner point t of the edge from vertex a to vertex b, bent by `off` to the left of a→b.
    const bendPoint = (ax: number, ay: number, bx: number, by: number, t: number, off: number): [number, number] => {
      const dx = bx - ax;
      const dy = by - ay;
      const len = Math.hypot(dx, dy);
      return [ax + t * dx - (off * dy) / len, ay + t * dy + (off * dx) / len];
    };
    const hPoint = (i: number, j: number, s: number) =>
      bendPoint(vx(i, j), vy(i, j), vx(i + 1, j), vy(i + 1, j), (s + 1) / segments, hb[(j * columns + i) * inner + s]!);
    const vPoint = (i: number, j: number, s: number) =>
      bendPoint(vx(i, j), vy(i, j), vx(i, j + 1), vy(i, j + 1), (s + 1) / segments, vb[(j * nx + i) * inner + s]!);

    const nominal = cell * cell;
    const cellArea = (i: number, j: number): number => {
      const pts: [number, number][] = [[vx(i, j), vy(i, j)]];
      for (let s = 0; s < inner; s++) pts.push(hPoint(i, j, s));
      pts.push([vx(i + 1, j), vy(i + 1, j)]);
      for (let s = 0; s < inner; s++) pts.push(vPoint(i + 1, j, s));
      pts.push([vx(i + 1, j + 1), vy(i + 1, j + 1)]);
      for (let s = inner - 1; s >= 0; s--) pts.push(hPoint(i, j + 1, s));
      pts.push([vx(i, j + 1), vy(i, j + 1)]);
      for (let s = inner - 1; s >= 0; s--) pts.push(vPoint(i, j, s));
      let twice = 0;
      for (let a = 0; a < pts.length; a++) {
        const p = pts[a]!;
        const q = pts[(a + 1) % pts.length]!;
        twice += p[0] * q[1] - q[0] * p[1];
      }
      return twice / 2;
    };
    for (let pass = 0; pass < 40; pass++) {
      let repaired = 0;
      for (let j = 0; j < rows; j++) {
        for (let i = 0; i < columns; i++) {
          const a = cellArea(i, j);
          if (a >= 0.55 * nominal && a <= 2 * nominal) continue;
          repaired++;
          for (const [vi, vj] of [[i, j], [i + 1, j], [i, j + 1], [i + 1, j + 1]] as const) {
            jx[vj * nx + vi]! *= 0.5;
            jy[vj * nx + vi]! *= 0.5;
          }
          for (let s = 0; s < inner; s++) {
            hb[(j * columns + i) * inner + s]! *= 0.5;
            hb[((j + 1) * columns + i) * inner + s]! *= 0.5;
            vb[(j * nx + i) * inner + s]! *= 0.5;
            vb[(j * nx + i + 1) * inner + s]! *= 0.5;
          }
        }
      }
      if (repaired === 0) break;
    }

    this.#vertices = new Array<Position>(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) this.#vertices[j * nx + i] = this.toLonLat(vx(i, j), vy(i, j));
    this.#hBends = new Array<Position>(columns * ny * inner);
    for (let j = 0; j < ny; j++) for (let i = 0; i < columns; i++) for (let s = 0; s < inner; s++) this.#hBends[(j * columns + i) * inner + s] = this.toLonLat(...hPoint(i, j, s));
    this.#vBends = new Array<Position>(nx * rows * inner);
    for (let j = 0; j < rows; j++) for (let i = 0; i < nx; i++) for (let s = 0; s < inner; s++) this.#vBends[(j * nx + i) * inner + s] = this.toLonLat(...vPoint(i, j, s));
  }

  /** Metres east/north of the centre → [lon, lat], rounded to 1e-7° (about 1 cm) for compact, stable output. */
  toLonLat(x: number, y: number): [number, number] {
    return [Math.round((this.#lon0 + x / this.#kx) * 1e7) / 1e7, Math.round((this.#lat0 + y / this.#ky) * 1e7) / 1e7];
  }

  /**
   * Closed counter-clockwise ring (RFC 7946 exterior) round the block of cells [x, x+w) × [y, y+h):
   * east along the south side, north along the east side, west along the north side, south along the west side.
   */
  ring(rect: { x: number; y: number; w: number; h: number }): Position[] {
    const { x, y, w, h } = rect;
    const nx = this.columns + 1;
    const inner = this.#segments - 1;
    const v = this.#vertices;
    const hb = this.#hBends;
    const vb = this.#vBends;
    const ring: Position[] = [];
    for (let i = x; i < x + w; i++) {
      ring.push(v[y * nx + i]!);
      for (let s = 0; s < inner; s++) ring.push(hb[(y * this.columns + i) * inner + s]!);
    }
    for (let j = y; j < y + h; j++) {
      ring.push(v[j * nx + x + w]!);
      for (let s = 0; s < inner; s++) ring.push(vb[(j * nx + x + w) * inner + s]!);
    }
    for (let i = x + w - 1; i >= x; i--) {
      ring.push(v[(y + h) * nx + i + 1]!);
      for (let s = inner - 1; s >= 0; s--) ring.push(hb[((y + h) * this.columns + i) * inner + s]!);
    }
    for (let j = y + h - 1; j >= y; j--) {
      ring.push(v[(j + 1) * nx + x]!);
      for (let s = inner - 1; s >= 0; s--) ring.push(vb[(j * nx + x) * inner + s]!);
    }
    ring.push(v[y * nx + x]!);
    return ring;
  }
}
