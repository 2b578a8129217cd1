/**
 * Which evidence the yes/no stance is read from: `npm run bench:stance-evidence`. Reads the
 * stance examples again under other settings — a stance pool that keeps less close sentences of
 * the documents compose uses, and fewer or more documents retrieved — and prints for each how
 * many questions are answered, the share of them where one sentence of the pool names every
 * subject word of the question, the mean pool size, and the same honest figures as
 * `npm run train:stance` (the model is refitted on each reading). Deterministic.
 */
import { coMention } from '../src/pipeline/compose/stance-features.js';
import { logOdds } from '../src/pipeline/compose/logistic.js';
import { DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../src/pipeline/run.js';
import { crossValidatedCorrect, fitStance, FOLDS, loadStanceData, stanceCorrect } from './stance-data.js';

type Settings = Pick<AnswerSettings, 'retrieve' | 'compose'>;
const withCompose = (change: Partial<Settings['compose']>): Settings => ({
  ...DEFAULT_ANSWER_SETTINGS,
  compose: { ...DEFAULT_ANSWER_SETTINGS.compose, ...change },
});
const withRetrieve = (change: Partial<Settings['retrieve']>): Settings => ({
  ...DEFAULT_ANSWER_SETTINGS,
  retrieve: { ...DEFAULT_ANSWER_SETTINGS.retrieve, ...change },
});

const shipped = DEFAULT_ANSWER_SETTINGS;
const ROWS: ReadonlyArray<[string, Settings]> = [
  [
    `shipped: pool closeness ≥ ${shipped.compose.stancePoolRelevance}, ${shipped.retrieve.documentLimit} documents`,
    shipped,
  ],
  ['pool closeness ≥ 0.2', withCompose({ stancePoolRelevance: 0.2 })],
  ['pool closeness ≥ 0: every sentence of the documents compose keeps', withCompose({ stancePoolRelevance: 0 })],
  ['6 documents retrieved', withRetrieve({ documentLimit: 6 })],
  ['24 documents retrieved', withRetrieve({ documentLimit: 24 })],
];

const fixed = (n: number) => n.toFixed(3);
console.log(
  `| evidence | answered | a sentence names every subject word | mean pool | ${FOLDS}-fold, answered | ${FOLDS}-fold, all (abstentions wrong) | even → odd |`,
);
console.log('|---|---|---|---|---|---|---|');
for (const [label, settings] of ROWS) {
  const { train, held, neighbours, questions } = await loadStanceData(settings);
  const all = [...train, ...held].sort((a, b) => a.index - b.index);
  const together = all.filter((e) => coMention(e.inputs.subject, e.inputs.pool).together.length > 0).length;
  const pool = all.reduce((a, e) => a + e.inputs.pool.length, 0) / Math.max(1, all.length);
  const oof = crossValidatedCorrect(all, neighbours);
  const model = fitStance(train, neighbours);
  const odd = stanceCorrect(held, (f) => logOdds(model, f));
  console.log(
    `| ${label} | ${all.length} of ${questions} | ${fixed(together / all.length)} (${together}) | ${pool.toFixed(1)} | ${fixed(oof / all.length)} (${oof}) | ${fixed(oof / questions)} | ${fixed(odd / held.length)} (${odd}) |`,
  );
}
