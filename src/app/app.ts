import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlainBm25Index, openSqliteStore } from '../adapters/store/sqlite/index.js';
import type { Config } from '../config/config.js';
import type { Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import type { Audience } from '../domain/question.js';
import { ingestPaths, type FileReport, type IngestCallbacks } from '../ingest/ingest-paths.js';

export type { FileReport, IngestCallbacks };
import { loadEvalSet } from '../eval/beir-set.js';
import { runRetrievalEval, type EvalProgress, type RetrievalReport } from '../eval/retrieval-eval.js';
import { answerQuestion, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../pipeline/run.js';
import { NO_PRIORS } from '../pipeline/retrieve/priors.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { LibraryStats, Store } from '../ports/store.js';

/** What every surface can do; the one place where adapters meet the pipeline. */
export interface App {
  readonly store: Store;
  ask(question: string, audience: Audience, options?: { save?: boolean }): Promise<Article>;
  ingest(paths: readonly string[], callbacks?: IngestCallbacks): Promise<FileReport[]>;
  stats(): Promise<LibraryStats>;
  /** Loads a retrieval collection (BEIR folder or PubMedQA) and measures retrieval beside plain BM25. */
  evaluateRetrieval(dir: string, progress?: EvalProgress): Promise<RetrievalReport>;
  close(): Promise<void>;
}

export function openApp(config: Config, options: { clock?: Clock } = {}): App {
  const clock = options.clock ?? systemClock;
  const store = openSqliteStore(config.dbPath, { clock });
  return createApp(store, clock, answerSettings(config));
}

/** The answer path's settings from the configuration (retrieval priors). */
export function answerSettings(config: Pick<Config, 'kindPrior' | 'recencyPrior'>): AnswerSettings {
  const priors = { ...NO_PRIORS, kindWeight: config.kindPrior, recencyWeight: config.recencyPrior };
  return { ...DEFAULT_ANSWER_SETTINGS, retrieve: { ...DEFAULT_ANSWER_SETTINGS.retrieve, priors } };
}

export function createApp(
  store: Store,
  clock: Clock = systemClock,
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
): App {
  return {
    store,
    async ask(question, audience, options = {}) {
      const stats = await store.stats();
      if (stats.documents === 0) {
        throw new EvidentiaError(
          'LIBRARY_EMPTY',
          'the library is empty: load documents first, e.g. `evidentia ingest samples/library` or a PubMed XML file',
        );
      }
      const article = await answerQuestion({ text: question, audience }, { store, clock }, settings);
      if (options.save ?? true) await store.saveArticle(article, 'evidentia');
      return article;
    },
    ingest: (paths, callbacks) => ingestPaths(store, paths, callbacks),
    stats: () => store.stats(),
    async evaluateRetrieval(dir, progress) {
      const set = await loadEvalSet(dir);
      // The baseline index is scratch: built for this run beside the library, then removed.
      const scratch = mkdtempSync(join(tmpdir(), 'evidentia-bm25-'));
      const baseline = openPlainBm25Index(join(scratch, 'bm25.db'));
      try {
        return await runRetrievalEval(set, { store, baseline }, { ...(progress ? { progress } : {}) });
      } finally {
        await baseline.close();
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    close: () => store.close(),
  };
}
