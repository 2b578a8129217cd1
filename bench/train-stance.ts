/**
 * Trains the yes/no stance model: `npm run train:stance`. Reads the stance features of
 * bioasq_dev's yes/no questions on even lines (the training half) and adds PubMedQA's yes/no
 * questions at a fifth of the weight (more examples of denying and affirming findings, but
 * other questions), fits a logistic regression for "no", writes its weights to
 * src/pipeline/compose/stance-model.json and prints its accuracy on the odd lines (held out)
 * beside the majority answer ("yes"). Deterministic: full-batch descent from zero weights.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { logOdds, trainLogistic } from '../src/pipeline/compose/logistic.js';
import { STANCE_FEATURES } from '../src/pipeline/compose/stance-features.js';
import { loadStanceData, NEIGHBOUR_WEIGHT, REPO_ROOT, stanceAccuracy } from './stance-data.js';

const { train, held, neighbours } = await loadStanceData();
const model = trainLogistic([
  ...train.map((e) => ({ features: e.features, label: e.label })),
  ...neighbours.map((e) => ({ features: e.features, label: e.label, weight: NEIGHBOUR_WEIGHT })),
]);
const round = (n: number) => Math.round(n * 1e4) / 1e4;
const out = {
  trainedOn: `bioasq_dev yes/no questions on even lines (${train.length}) and PubMedQA pqal_trainval yes/no (${neighbours.length}, weight ${NEIGHBOUR_WEIGHT}); logistic regression for "no"`,
  features: [...STANCE_FEATURES],
  weights: model.weights.map(round),
  bias: round(model.bias),
  threshold: 0,
};
writeFileSync(path.join(REPO_ROOT, 'src/pipeline/compose/stance-model.json'), `${JSON.stringify(out, null, 2)}\n`);
const majority = held.filter((e) => e.label === 0).length / Math.max(1, held.length);
console.log(
  `training half ${train.length} questions: accuracy ${stanceAccuracy(train, (f) => logOdds(model, f)).toFixed(3)}`,
);
console.log(
  `held-out half ${held.length} questions: accuracy ${stanceAccuracy(held, (f) => logOdds(model, f)).toFixed(3)} (always "yes" ${majority.toFixed(3)})`,
);
