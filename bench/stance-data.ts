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
import { loadBioasqQuestions } from '../src/eval/answers.js';
import { pubmedqaStanceExamples, stanceExamples, type StanceExample } from '../src/eval/answers-stance.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** How much a PubMedQA example counts beside a BioASQ one: a neighbouring task, other questions. */
export const NEIGHBOUR_WEIGHT = 0.2;

export interface StanceData {
  /** bioasq_dev yes/no questions on even lines: the training half. */
  train: StanceExample[];
  /** bioasq_dev yes/no questions on odd lines: held out. */
  held: StanceExample[];
  /** PubMedQA pqal_trainval yes/no questions ("maybe" left out). */
  neighbours: StanceExample[];
}

/** Builds both libraries in a temporary folder, reads every example and removes the folder. */
export async function loadStanceData(): Promise<StanceData> {
  const bioasq = path.resolve(REPO_ROOT, '../shared/data/bioasq_dev');
  const pubmedqa = path.resolve(REPO_ROOT, '../shared/data/pubmedqa/pqal_trainval.jsonl');
  const work = mkdtempSync(path.join(tmpdir(), 'evidentia-train-'));
  const store = openSqliteStore(path.join(work, 'library.db'));
  const neighbourStore = openSqliteStore(path.join(work, 'pubmedqa.db'));
  try {
    await ingestPaths(store, [path.join(bioasq, 'corpus.jsonl')]);
    await ingestPaths(neighbourStore, [pubmedqa]);
    const examples = await stanceExamples(loadBioasqQuestions(bioasq), store, new Date());
    const neighbours = await pubmedqaStanceExamples(pubmedqa, neighbourStore, new Date());
    return {
      train: examples.filter((e) => e.index % 2 === 0),
      held: examples.filter((e) => e.index % 2 === 1),
      neighbours,
    };
  } finally {
    await store.close();
    await neighbourStore.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Share of the examples whose label the log-odds function reads right (above 0 = "no"). */
export function stanceAccuracy(set: readonly StanceExample[], logOddsOf: (features: number[]) => number): number {
  return set.filter((e) => (logOddsOf(e.features) > 0 ? 1 : 0) === e.label).length / Math.max(1, set.length);
}
