import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cumulative, pickWeighted } from './random.ts';

test('a weighted draw lands in the item whose share of the running sum holds it', () => {
  const cum = cumulative([1, 3, 0, 6]);
  assert.deepEqual(cum, [1, 4, 4, 10]);
  const items = ['a', 'b', 'zero', 'd'];
  // random() × 10 is the point drawn on [0, 10): [0,1) → a, [1,4) → b, the zero weight never, [4,10) → d.
  const at = (r: number) => pickWeighted(() => r, items, cum);
  assert.equal(at(0), 'a');
  assert.equal(at(0.09), 'a');
  assert.equal(at(0.1), 'b');
  assert.equal(at(0.39), 'b');
  assert.equal(at(0.4), 'd');
  assert.equal(at(0.999), 'd');
});
