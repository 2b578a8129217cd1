/**
 * What each group of stance features adds: `npm run bench:stance-ablation`. Trains the stance
 * model on growing sets of features (in STANCE_FEATURES order, each group ending at the named
 * feature), with and without the PubMedQA examples, and prints two honest figures per row:
 * accuracy on bioasq_dev's odd lines of a model fitted on the even lines, and ten-fold
 * out-of-fold accuracy over every answered question. Only the weights change between rows: the
 * examples are read once.
 */
import { logOdds } from '../src/pipeline/compose/logistic.js';
import { STANCE_FEATURES } from '../src/pipeline/compose/stance-features.js';
import {
  crossValidatedCorrect,
  fitStance,
  FOLDS,
  loadStanceData,
  NEIGHBOUR_WEIGHT,
  stanceAccuracy,
} from './stance-data.js';

// Each group: a description and the last feature it adds.
const GROUPS: ReadonlyArray<[string, (typeof STANCE_FEATURES)[number]]> = [
  ['denial, null finding, hedges, siblings, opposites, question form (27)', 'subject-sentences-null'],
  ['+ subject words named together in a sentence or document (6)', 'all-subject-denies-share'],
  ['+ "only / all / always" questions (1)', 'question-only'],
  ['+ a close sentence with one subject word swapped (2)', 'substituted-term-first'],
  ['+ unfavourable outcomes: trial stopped, worse than control (3)', 'efficacy-unfavourable'],
];

const { train, held, neighbours } = await loadStanceData();
const all = [...train, ...held].sort((a, b) => a.index - b.index);
const fixed = (n: number) => n.toFixed(3);
const yes = (set: readonly { label: 0 | 1 }[]) => set.filter((e) => e.label === 0).length;
console.log(
  `odd lines: ${held.length} answered yes/no questions, always "yes" ${fixed(yes(held) / held.length)}; all: ${all.length}, always "yes" ${fixed(yes(all) / all.length)}`,
);
console.log(
  `| features | odd lines | odd lines, with PubMedQA (weight ${NEIGHBOUR_WEIGHT}) | ${FOLDS}-fold | ${FOLDS}-fold, with PubMedQA |`,
);
console.log('|---|---|---|---|---|');
for (const [label, last] of GROUPS) {
  const n = STANCE_FEATURES.indexOf(last) + 1;
  const cut = (f: readonly number[]) => f.slice(0, n);
  const cells = [0, NEIGHBOUR_WEIGHT].flatMap((weight) => {
    const model = fitStance(train, neighbours, weight, cut);
    return [
      stanceAccuracy(held, (f) => logOdds(model, cut(f))),
      crossValidatedCorrect(all, neighbours, weight, cut) / all.length,
    ];
  });
  console.log(`| ${label} | ${fixed(cells[0]!)} | ${fixed(cells[2]!)} | ${fixed(cells[1]!)} | ${fixed(cells[3]!)} |`);
}
