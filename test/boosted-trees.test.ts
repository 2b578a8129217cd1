import { describe, expect, it } from 'vitest';
import { trainBoostedTrees, type BoostingExample } from '../bench/boosted-trees.js';
import { logOdds, trainLogistic } from '../src/pipeline/compose/logistic.js';

// Exclusive or of two features: no single weight per feature separates it, two levels of splits
// do. One corner holds more examples, so that the first split already gains something.
const XOR: BoostingExample[] = [0, 1].flatMap((a) =>
  [0, 1].flatMap((b) =>
    Array.from({ length: a === 1 && b === 1 ? 10 : 5 }, () => ({
      features: [a, b],
      label: (a !== b ? 1 : 0) as 0 | 1,
    })),
  ),
);
const SETTINGS = { rounds: 30, depth: 2, learningRate: 0.3, lambda: 1, minLeafWeight: 0.1 };

describe('boosted trees', () => {
  it('learn an interaction that a logistic regression cannot', () => {
    const trees = trainBoostedTrees(XOR, SETTINGS);
    const linear = trainLogistic(XOR);
    const right = (f: (x: readonly number[]) => number) =>
      XOR.filter((e) => (f(e.features) > 0 ? 1 : 0) === e.label).length;
    expect(right(trees)).toBe(XOR.length);
    expect(right((x) => logOdds(linear, x))).toBeLessThan(XOR.length);
  });

  it('are deterministic and weigh examples', () => {
    const a = trainBoostedTrees(XOR, SETTINGS);
    const b = trainBoostedTrees(XOR, SETTINGS);
    expect(a([1, 0])).toBe(b([1, 0]));
    // The same point labelled both ways: the heavier label wins.
    const tie: BoostingExample[] = [
      { features: [1], label: 1, weight: 3 },
      { features: [1], label: 0, weight: 1 },
    ];
    expect(trainBoostedTrees(tie, SETTINGS)([1])).toBeGreaterThan(0);
  });
});
