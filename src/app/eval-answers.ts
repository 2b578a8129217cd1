import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import {
  abstentionRate,
  corpusWithout,
  loadBioasqQuestions,
  scoreAnswers,
  type AnswerEvaluation,
} from '../eval/answers.js';
import { ingestPaths } from '../ingest/ingest-paths.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

export interface EvalAnswersOptions {
  /** Score only the first this many questions. */
  limit?: number;
  /** Keep one question in this many (spreads a small run over the whole set). */
  every?: number;
  /** With `every`, which question of each run of that many is kept (0 = the first). */
  offset?: number;
  /** Questions whose gold documents are taken out for the second abstention measurement (0 = skip). */
  absentSample?: number;
  onProgress?: (done: number, total: number) => void;
}

async function withLibrary<T>(corpus: string, work: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'evidentia-eval-db-'));
  const store = openSqliteStore(join(dir, 'library.db'));
  try {
    await ingestPaths(store, [corpus]);
    return await work(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `eval answers`: builds a temporary library from the folder's corpus, answers its questions and
 * scores them beside the baseline; then takes the gold documents of a sample of questions out of
 * the library and measures how often those questions are still answered.
 */
export async function evalAnswers(
  dir: string,
  clock: Clock,
  options: EvalAnswersOptions = {},
): Promise<AnswerEvaluation> {
  const questions = loadBioasqQuestions(dir, options);
  const corpus = join(dir, 'corpus.jsonl');
  const scored = await withLibrary(corpus, (store) => scoreAnswers(questions, { store, clock }, options.onProgress));
  const sampleSize = options.absentSample ?? 100;
  if (sampleSize <= 0) return scored;
  const step = Math.max(1, Math.floor(questions.length / sampleSize));
  const sample = questions.filter((q, i) => i % step === 0 && q.documents.length > 0).slice(0, sampleSize);
  const without = await corpusWithout(corpus, new Set(sample.flatMap((q) => q.documents)));
  try {
    const absent = await withLibrary(without.path, (store) => abstentionRate(sample, { store, clock }));
    return {
      ...scored,
      abstention: { goldPresent: scored.evidentia.abstained, goldAbsent: absent, questionsAbsent: sample.length },
    };
  } finally {
    without.cleanup();
  }
}
