/**
 * The examples the stance model learns from, read at run time from ../shared/data: bioasq_dev's
 * yes/no questions over a temporary library of its corpus, and PubMedQA's yes/no questions over
 * a library of their own abstracts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { goldYesNo, loadBioasqQuestions } from '../src/eval/answers.js';
import { pubmedqaStanceExamples, stanceExamples, type StanceExample } from '../src/eval/answers-stance.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { logOdds, trainLogistic, type LogisticModel } from '../src/pipeline/compose/logistic.js';
import { DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../src/pipeline/run.js';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** How much a PubMedQA example counts beside a BioASQ one: a neighbouring task, other questions. */
export const NEIGHBOUR_WEIGHT = 0.2;

/** Folds of the cross-validation estimate: question k of the answered list is in fold k mod FOLDS. */
export const FOLDS = 10;

export interface StanceData {
  /** bioasq_dev yes/no questions on even lines: the training half. */
  train: StanceExample[];
  /** bioasq_dev yes/no questions on odd lines: held out. */
  held: StanceExample[];
  /** PubMedQA pqal_trainval yes/no questions ("maybe" left out). */
  neighbours: StanceExample[];
  /** bioasq_dev yes/no questions with a gold answer, the ones the article abstains on included. */
  questions: number;
  /** Of those, the ones whose gold answer is "yes". */
  questionsYes: number;
}

/**
 * Builds both libraries in a temporary folder, reads every example and removes the folder.
 *
 * @param settings how the evidence is retrieved and composed (the shipped settings unless said)
 */
export async function loadStanceData(
  settings: Pick<AnswerSettings, 'retrieve' | 'compose'> = DEFAULT_ANSWER_SETTINGS,
): Promise<StanceData> {
  const bioasq = path.resolve(REPO_ROOT, '../shared/data/bioasq_dev');
  const pubmedqa = path.resolve(REPO_ROOT, '../shared/data/pubmedqa/pqal_trainval.jsonl');
  const work = mkdtempSync(path.join(tmpdir(), 'evidentia-train-'));
  const store = openSqliteStore(path.join(work, 'library.db'));
  const neighbourStore = openSqliteStore(path.join(work, 'pubmedqa.db'));
  try {
    await ingestPaths(store, [path.join(bioasq, 'corpus.jsonl')]);
    await ingestPaths(neighbourStore, [pubmedqa]);
    const questions = loadBioasqQuestions(bioasq);
    const gold = questions.map((q) => (q.type === 'yesno' ? goldYesNo(q) : undefined));
    const examples = await stanceExamples(questions, store, new Date(), settings);
    const neighbours = await pubmedqaStanceExamples(pubmedqa, neighbourStore, new Date(), settings);
    return {
      train: examples.filter((e) => e.index % 2 === 0),
      held: examples.filter((e) => e.index % 2 === 1),
      neighbours,
      questions: gold.filter((g) => g !== undefined).length,
      questionsYes: gold.filter((g) => g === 'yes').length,
    };
  } finally {
    await store.close();
    await neighbourStore.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Number of the examples whose label the log-odds function reads right (above 0 = "no"). */
export function stanceCorrect(set: readonly StanceExample[], logOddsOf: (features: number[]) => number): number {
  return set.filter((e) => (logOddsOf(e.features) > 0 ? 1 : 0) === e.label).length;
}

/** Share of the examples whose label the log-odds function reads right (above 0 = "no"). */
export function stanceAccuracy(set: readonly StanceExample[], logOddsOf: (features: number[]) => number): number {
  return stanceCorrect(set, logOddsOf) / Math.max(1, set.length);
}

/**
 * Fits the stance model: the BioASQ examples at full weight, the PubMedQA ones at `neighbourWeight`.
 *
 * @param own BioASQ examples
 * @param neighbours PubMedQA examples
 * @param cut the features used (all unless said)
 */
export function fitStance(
  own: readonly StanceExample[],
  neighbours: readonly StanceExample[],
  neighbourWeight = NEIGHBOUR_WEIGHT,
  cut: (features: readonly number[]) => number[] = (f) => [...f],
): LogisticModel {
  return trainLogistic([
    ...own.map((e) => ({ features: cut(e.features), label: e.label })),
    ...(neighbourWeight > 0
      ? neighbours.map((e) => ({ features: cut(e.features), label: e.label, weight: neighbourWeight }))
      : []),
  ]);
}

/**
 * Out-of-fold accuracy over every answered BioASQ example: each fold is read by a model fitted on
 * the other folds (and the PubMedQA examples). Deterministic: fold = place in the list mod FOLDS.
 *
 * @returns the number read right
 */
export function crossValidatedCorrect(
  examples: readonly StanceExample[],
  neighbours: readonly StanceExample[],
  neighbourWeight = NEIGHBOUR_WEIGHT,
  cut: (features: readonly number[]) => number[] = (f) => [...f],
): number {
  let correct = 0;
  for (let fold = 0; fold < FOLDS; fold++) {
    const inFold = (_: StanceExample, k: number) => k % FOLDS === fold;
    const test = examples.filter(inFold);
    const model = fitStance(
      examples.filter((e, k) => !inFold(e, k)),
      neighbours,
      neighbourWeight,
      cut,
    );
    correct += stanceCorrect(test, (f) => logOdds(model, cut(f)));
  }
  return correct;
}

/**
 * The examples in an order fixed by `seed` (a linear congruential sequence): another fold
 * assignment for crossValidatedCorrect, to see how much the estimate moves with the folds alone.
 */
export function reordered<T>(examples: readonly T[], seed: number): T[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const keyed = examples.map((e) => ({ e, key: next() }));
  return keyed.sort((a, b) => a.key - b.key).map((x) => x.e);
}
