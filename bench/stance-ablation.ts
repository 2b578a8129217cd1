/**
 * What each group of stance features adds: `npm run bench:stance-ablation`. Trains the stance
 * model on growing sets of features (in STANCE_FEATURES order, each group ending at the named
 * feature), with and without the PubMedQA examples, and prints accuracy on the held-out half
 * of bioasq_dev beside always "yes". Only the weights change between rows: the examples are
 * read once.
 */
import { logOdds, trainLogistic } from '../src/pipeline/compose/logistic.js';
import { STANCE_FEATURES } from '../src/pipeline/compose/stance-features.js';
import { loadStanceData, NEIGHBOUR_WEIGHT, stanceAccuracy } from './stance-data.js';

// Each group: a description and the last feature it adds.
const GROUPS: ReadonlyArray<[string, (typeof STANCE_FEATURES)[number]]> = [
  ['denial, null finding, hedges, siblings, opposites, question form (27)', 'subject-sentences-null'],
  ['+ subject words named together in a sentence or document (6)', 'all-subject-denies-share'],
  ['+ "only / all / always" questions (1)', 'question-only'],
  ['+ a close sentence with one subject word swapped (2)', 'substituted-term-first'],
];

const { train, held, neighbours } = await loadStanceData();
const majority = held.filter((e) => e.label === 0).length / Math.max(1, held.length);
console.log(`held-out half: ${held.length} yes/no questions answered; always "yes" ${majority.toFixed(3)}`);
console.log(`| features | held-out accuracy | with PubMedQA (weight ${NEIGHBOUR_WEIGHT}) |`);
console.log('|---|---|---|');
for (const [label, last] of GROUPS) {
  const n = STANCE_FEATURES.indexOf(last) + 1;
  const cut = (f: readonly number[]) => f.slice(0, n);
  const scores = [0, NEIGHBOUR_WEIGHT].map((weight) => {
    const model = trainLogistic([
      ...train.map((e) => ({ features: cut(e.features), label: e.label })),
      ...(weight > 0 ? neighbours.map((e) => ({ features: cut(e.features), label: e.label, weight })) : []),
    ]);
    return stanceAccuracy(held, (f) => logOdds(model, cut(f)));
  });
  console.log(`| ${label} | ${scores[0]!.toFixed(3)} | ${scores[1]!.toFixed(3)} |`);
}
