/**
 * Trains the yes/no stance model: `npm run train:stance`. Builds a temporary library from
 * bioasq_dev's corpus, reads the stance features of the yes/no questions on even lines (the
 * training half), adds PubMedQA's yes/no questions over their own abstracts at a fifth of the
 * weight (a neighbouring task: more examples of denying and affirming findings, but other
 * questions), fits a logistic regression for "no", writes its weights to
 * src/pipeline/compose/stance-model.json and prints its accuracy on the odd lines (held out)
 * beside the majority answer ("yes"). Deterministic: full-batch descent from zero weights.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { loadBioasqQuestions } from '../src/eval/answers.js';
import { pubmedqaStanceExamples, stanceExamples, type StanceExample } from '../src/eval/answers-stance.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { logOdds, trainLogistic, type LogisticModel } from '../src/pipeline/compose/logistic.js';
import { STANCE_FEATURES } from '../src/pipeline/compose/stance-features.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dir = path.resolve(repoRoot, '../shared/data/bioasq_dev');
const pubmedqa = path.resolve(repoRoot, '../shared/data/pubmedqa/pqal_trainval.jsonl');
// How much a PubMedQA example counts beside a BioASQ one.
const NEIGHBOUR_WEIGHT = 0.2;
const work = mkdtempSync(path.join(tmpdir(), 'evidentia-train-'));
const store = openSqliteStore(path.join(work, 'library.db'));
const neighbourStore = openSqliteStore(path.join(work, 'pubmedqa.db'));
try {
  await ingestPaths(store, [path.join(dir, 'corpus.jsonl')]);
  await ingestPaths(neighbourStore, [pubmedqa]);
  const examples = await stanceExamples(loadBioasqQuestions(dir), store, new Date());
  const neighbours = await pubmedqaStanceExamples(pubmedqa, neighbourStore, new Date());
  const train = examples.filter((e) => e.index % 2 === 0);
  const held = examples.filter((e) => e.index % 2 === 1);
  const model = trainLogistic([
    ...train.map((e) => ({ features: e.features, label: e.label })),
    ...neighbours.map((e) => ({ features: e.features, label: e.label, weight: NEIGHBOUR_WEIGHT })),
  ]);
  const accuracy = (m: LogisticModel, set: readonly StanceExample[]) =>
    set.filter((e) => (logOdds(m, e.features) > 0 ? 1 : 0) === e.label).length / Math.max(1, set.length);
  const majority = (set: readonly StanceExample[]) => set.filter((e) => e.label === 0).length / Math.max(1, set.length);
  const round = (n: number) => Math.round(n * 1e4) / 1e4;
  const out = {
    trainedOn: `bioasq_dev yes/no questions on even lines (${train.length}) and PubMedQA pqal_trainval yes/no (${neighbours.length}, weight ${NEIGHBOUR_WEIGHT}); logistic regression for "no"`,
    features: [...STANCE_FEATURES],
    weights: model.weights.map(round),
    bias: round(model.bias),
    threshold: 0,
  };
  writeFileSync(path.join(repoRoot, 'src/pipeline/compose/stance-model.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`training half ${train.length} questions: accuracy ${accuracy(model, train).toFixed(3)}`);
  console.log(
    `held-out half ${held.length} questions: accuracy ${accuracy(model, held).toFixed(3)} (always "yes" ${majority(held).toFixed(3)})`,
  );
} finally {
  await store.close();
  await neighbourStore.close();
  rmSync(work, { recursive: true, force: true });
}
