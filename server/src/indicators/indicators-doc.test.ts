import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderIndicatorsDoc } from './indicators-doc.ts';

test('docs/indicators.md is what the code defines (regenerate with node server/src/indicators/indicators-doc.ts > docs/indicators.md)', () => {
  assert.equal(readFileSync(new URL('../../../docs/indicators.md', import.meta.url), 'utf8'), renderIndicatorsDoc());
});
