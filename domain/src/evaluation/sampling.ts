// The 双随机 draw of an inspection round: random points in each evaluated unit, random evaluators for
// the points. A point is a unit grid (万米单元网格) the evaluator inspects. The draw depends only on its
// seed and its inputs, put in a fixed order first, so the office can record the seed and anyone can
// repeat the draw and get the same points and evaluators.
import { createRandom, shuffle } from '../random.ts';

export interface DrawUnit {
  unitCode: string;
  grids: { id: number; code: string }[];
}

export interface DrawnPoint {
  unitCode: string;
  /** 1-based within the unit. */
  seq: number;
  gridId: number;
  gridCode: string;
  evaluatorId: number;
}

/**
 * `pointsPerUnit` grids per unit, without repeating a grid until all of the unit's grids are drawn;
 * evaluators dealt from a shuffled deck so that each carries a near-equal share of the round, the deck
 * reshuffled each time it runs out.
 */
export function drawInspection(seed: number, units: readonly DrawUnit[], pointsPerUnit: number, evaluatorIds: readonly number[]): DrawnPoint[] {
  if (evaluatorIds.length === 0) throw new RangeError('an inspection round needs at least one evaluator');
  const random = createRandom(seed);
  const evaluators = [...new Set(evaluatorIds)].sort((a, b) => a - b);
  let deck: number[] = [];
  const nextEvaluator = () => {
    if (deck.length === 0) deck = shuffle(random, [...evaluators]);
    return deck.pop()!;
  };
  const out: DrawnPoint[] = [];
  for (const unit of [...units].sort((a, b) => a.unitCode.localeCompare(b.unitCode))) {
    const grids = [...unit.grids].sort((a, b) => a.code.localeCompare(b.code));
    if (grids.length === 0) continue;
    let bag: typeof grids = [];
    for (let seq = 1; seq <= pointsPerUnit; seq++) {
      if (bag.length === 0) bag = shuffle(random, [...grids]);
      const grid = bag.pop()!;
      out.push({ unitCode: unit.unitCode, seq, gridId: grid.id, gridCode: grid.code, evaluatorId: nextEvaluator() });
    }
  }
  return out;
}
