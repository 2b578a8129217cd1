/**
 * Binary logistic regression, small enough to train in a script and ship as numbers: full-batch
 * gradient descent with L2 regularisation. Pure.
 */

export interface LogisticModel {
  weights: number[];
  bias: number;
}

export interface LogisticExample {
  features: readonly number[];
  /** 1 for the positive class, 0 for the other. */
  label: 0 | 1;
  /** How much the example counts (1 unless said): examples from a neighbouring task count less. */
  weight?: number;
}

export interface LogisticTraining {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias). */
  l2: number;
}

// The L2 penalty chosen by ten-fold cross-validation over bioasq_dev's yes/no questions (0.0001–0.01 tried).
export const DEFAULT_TRAINING: LogisticTraining = { epochs: 3000, learningRate: 1, l2: 0.001 };

/** The model's log-odds of the positive class. */
export function logOdds(model: LogisticModel, features: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j]! * (features[j] ?? 0);
  return z;
}

/**
 * Fits weights to the examples.
 *
 * @param examples feature vectors of one length with their labels
 * @param training how long and how hard to fit
 */
export function trainLogistic(
  examples: readonly LogisticExample[],
  training: LogisticTraining = DEFAULT_TRAINING,
): LogisticModel {
  const n = examples[0]?.features.length ?? 0;
  const model: LogisticModel = { weights: new Array<number>(n).fill(0), bias: 0 };
  if (examples.length === 0) return model;
  const total = examples.reduce((a, e) => a + (e.weight ?? 1), 0);
  for (let epoch = 0; epoch < training.epochs; epoch++) {
    const gradient = new Array<number>(n).fill(0);
    let gradientBias = 0;
    for (const e of examples) {
      const error = (1 / (1 + Math.exp(-logOdds(model, e.features))) - e.label) * (e.weight ?? 1);
      for (let j = 0; j < n; j++) gradient[j]! += error * (e.features[j] ?? 0);
      gradientBias += error;
    }
    for (let j = 0; j < n; j++) {
      model.weights[j]! -= training.learningRate * (gradient[j]! / total + training.l2 * model.weights[j]!);
    }
    model.bias -= (training.learningRate * gradientBias) / total;
  }
  return model;
}
