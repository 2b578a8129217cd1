import { openPostgresStore } from '../adapters/store/postgres/index.js';
import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import type { Config } from '../config/config.js';
import type { Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import type { Audience } from '../domain/question.js';
import { ingestPaths, type FileReport, type IngestCallbacks } from '../ingest/ingest-paths.js';

export type { FileReport, IngestCallbacks };
import { answerQuestion } from '../pipeline/run.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { LibraryStats, Store } from '../ports/store.js';

/** What every surface can do; the one place where adapters meet the pipeline. */
export interface App {
  readonly store: Store;
  ask(question: string, audience: Audience, options?: { save?: boolean }): Promise<Article>;
  ingest(paths: readonly string[], callbacks?: IngestCallbacks): Promise<FileReport[]>;
  stats(): Promise<LibraryStats>;
  close(): Promise<void>;
}

export function openApp(config: Config, options: { clock?: Clock } = {}): App {
  const clock = options.clock ?? systemClock;
  // DATABASE_URL selects PostgreSQL (shared by several servers); otherwise the SQLite file.
  const store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, { clock })
    : openSqliteStore(config.dbPath, { clock });
  return createApp(store, clock);
}

export function createApp(store: Store, clock: Clock = systemClock): App {
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
      const article = await answerQuestion({ text: question, audience }, { store, clock });
      if (options.save ?? true) await store.saveArticle(article, 'evidentia');
      return article;
    },
    ingest: (paths, callbacks) => ingestPaths(store, paths, callbacks),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
