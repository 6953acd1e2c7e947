import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bboxOf, type Polygon } from '@cityops/domain/geo/geometry';
import { createRandom } from '@cityops/domain/random';
import { FRONTAGE_LAYOUT, demoFrontages, frontageName, parseFrontageName, type DemoRoad } from './demo-frontages.ts';

const rect = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
// A street 0.01° square (about 940 m × 1,110 m); its road crosses it at 32.005° N, 0.0003° (about 33 m) wide, as seed-demo.ts draws it.
const STREET = rect(118.8, 32.0, 118.81, 32.01);
const ROAD: DemoRoad = { code: 'RS99010200101', name: '解放路大道路段', territoryCode: '990102001', geometry: rect(118.8, 32.00485, 118.81, 32.00515) };

test('frontages line both edges of the road\'s middle stretch: thin, inside the road segment, side by side without overlap', () => {
  const frontages = demoFrontages([ROAD], () => STREET, createRandom(1));
  assert.ok(frontages.length >= 2 * Math.floor(FRONTAGE_LAYOUT.maxStretch / FRONTAGE_LAYOUT.maxFront), `${frontages.length} frontages`);
  const boxes = frontages.map((f) => bboxOf(f.geometry));
  for (const [w, s, e, n] of boxes) {
    // 0.0001° deep (about 11 m) on the north or the south edge of the road; 0.00012–0.0004° long.
    assert.ok(Math.abs(n - s - FRONTAGE_LAYOUT.depth) < 1e-9, `depth ${n - s}`);
    assert.ok(n === 32.00515 || s === 32.00485, `on an edge: ${s}–${n}`);
    assert.ok(e - w >= FRONTAGE_LAYOUT.leastFront - 1e-9 && e - w <= FRONTAGE_LAYOUT.maxFront + 1e-9, `front ${e - w}`);
    // The stretch is 0.003° long (half the road, at most 0.003°), at least a quarter of the road's remaining 0.007° from either end.
    assert.ok(w >= 118.80175 - 1e-9 && e <= 118.80825 + 1e-9, `${w}–${e}`);
  }
  for (const side of [32.00515, 32.00485]) {
    const row = boxes.filter(([, s, , n]) => n === side || s === side).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < row.length; i++) assert.ok(row[i]![0] >= row[i - 1]![2], 'frontages of one side do not overlap');
    assert.ok(row.at(-1)![2] - row[0]![0] <= FRONTAGE_LAYOUT.maxStretch + 1e-9);
  }
  // Named after their shop and house number (odd on the north side, even on the south, rising eastwards),
  // answered for by the shop's owner and the street government.
  assert.equal(new Set(frontages.map((f) => f.code)).size, frontages.length);
  for (const f of frontages) {
    const named = parseFrontageName(f.name)!;
    assert.equal(named.road, '解放路大道');
    assert.equal(named.houseNumber % 2, bboxOf(f.geometry)[3] === 32.00515 ? 1 : 0, f.name);
    assert.equal(frontageName(named.road, named.houseNumber, named.shop), f.name);
    assert.deepEqual([f.kind, f.territoryCode, f.departmentCode, f.code.startsWith('FR990102001')], ['frontage', '990102001', null, true]);
    assert.ok(f.person.length >= 2);
  }
  assert.equal(parseFrontageName('解放路大道路段'), null);
});

test('a front reaching past the street\'s edge is left out, and the same seed gives the same frontages', () => {
  // The street ends 0.0002° into the stretch's west end: the fronts there are not the street's.
  const narrow = rect(118.8, 32.0, 118.81, 32.01);
  const all = demoFrontages([ROAD], () => narrow, createRandom(3));
  const westmost = Math.min(...all.map((f) => bboxOf(f.geometry)[0]));
  const cut = rect(westmost + 0.0002, 32.0, 118.81, 32.01);
  const kept = demoFrontages([ROAD], () => cut, createRandom(3));
  assert.ok(kept.length < all.length);
  assert.ok(kept.every((f) => bboxOf(f.geometry)[0] >= westmost + 0.0002));
  assert.deepEqual(demoFrontages([ROAD], () => narrow, createRandom(3)), all);
});
