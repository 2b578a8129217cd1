/**
 * Gradient-boosted regression trees for a binary label (logistic loss, second-order leaf values),
 * compact and deterministic: every split is the best one over every feature, no sampling. Used
 * by the stance benchmarks to measure whether a learner that reads feature interactions beats
 * the shipped logistic regression on the same features.
 */

export interface BoostingExample {
  features: readonly number[];
  label: 0 | 1;
  /** How much the example counts (1 unless said). */
  weight?: number;
}

export interface Boosting {
  rounds: number;
  depth: number;
  /** Shrinkage of each tree's contribution. */
  learningRate: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Least summed hessian (weighted p(1-p)) a leaf may hold. */
  minLeafWeight: number;
}

type Tree = { leaf: number } | { feature: number; threshold: number; left: Tree; right: Tree };

interface Gradients {
  x: ReadonlyArray<readonly number[]>;
  g: readonly number[];
  h: readonly number[];
}

function grow(data: Gradients, rows: readonly number[], depth: number, settings: Boosting): Tree {
  let sumG = 0;
  let sumH = 0;
  for (const i of rows) {
    sumG += data.g[i]!;
    sumH += data.h[i]!;
  }
  const leaf = { leaf: -sumG / (sumH + settings.lambda) };
  if (depth === 0 || rows.length < 2) return leaf;
  const parent = (sumG * sumG) / (sumH + settings.lambda);
  let best = { gain: 1e-9, feature: -1, threshold: 0 };
  const features = data.x[rows[0]!]!.length;
  for (let f = 0; f < features; f++) {
    const sorted = [...rows].sort((a, b) => data.x[a]![f]! - data.x[b]![f]! || a - b);
    let leftG = 0;
    let leftH = 0;
    for (let k = 0; k < sorted.length - 1; k++) {
      const i = sorted[k]!;
      leftG += data.g[i]!;
      leftH += data.h[i]!;
      const value = data.x[i]![f]!;
      const next = data.x[sorted[k + 1]!]![f]!;
      if (value === next) continue;
      const rightG = sumG - leftG;
      const rightH = sumH - leftH;
      if (leftH < settings.minLeafWeight || rightH < settings.minLeafWeight) continue;
      const gain =
        (leftG * leftG) / (leftH + settings.lambda) + (rightG * rightG) / (rightH + settings.lambda) - parent;
      if (gain > best.gain) best = { gain, feature: f, threshold: (value + next) / 2 };
    }
  }
  if (best.feature < 0) return leaf;
  const left = rows.filter((i) => data.x[i]![best.feature]! <= best.threshold);
  const right = rows.filter((i) => data.x[i]![best.feature]! > best.threshold);
  return {
    feature: best.feature,
    threshold: best.threshold,
    left: grow(data, left, depth - 1, settings),
    right: grow(data, right, depth - 1, settings),
  };
}

function readTree(tree: Tree, features: readonly number[]): number {
  let node = tree;
  while (!('leaf' in node)) node = (features[node.feature] ?? 0) <= node.threshold ? node.left : node.right;
  return node.leaf;
}

/**
 * Fits boosted trees and returns the log-odds function of the positive class.
 *
 * @param examples feature vectors of one length with their labels
 * @param settings how many trees, how deep, how much each counts
 */
export function trainBoostedTrees(
  examples: readonly BoostingExample[],
  settings: Boosting,
): (features: readonly number[]) => number {
  const weights = examples.map((e) => e.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const positive = examples.reduce((a, e, i) => a + e.label * weights[i]!, 0) / Math.max(total, 1e-9);
  const clamped = Math.min(Math.max(positive, 1e-6), 1 - 1e-6);
  const base = Math.log(clamped / (1 - clamped));
  const x = examples.map((e) => e.features);
  const scores = examples.map(() => base);
  const rows = examples.map((_, i) => i);
  const trees: Tree[] = [];
  for (let round = 0; round < settings.rounds && examples.length > 0; round++) {
    const p = scores.map((s) => 1 / (1 + Math.exp(-s)));
    const g = p.map((pi, i) => (pi - examples[i]!.label) * weights[i]!);
    const h = p.map((pi, i) => Math.max(pi * (1 - pi), 1e-6) * weights[i]!);
    const tree = grow({ x, g, h }, rows, settings.depth, settings);
    trees.push(tree);
    for (let i = 0; i < scores.length; i++) scores[i]! += settings.learningRate * readTree(tree, x[i]!);
  }
  return (features) => base + settings.learningRate * trees.reduce((a, t) => a + readTree(t, features), 0);
}
