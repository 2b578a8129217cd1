import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import type { Config } from '../config/config.js';
import type { Article } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';
import type { Audience } from '../domain/question.js';
import { ingestPaths, type FileReport, type IngestCallbacks } from '../ingest/ingest-paths.js';
import { EutilsClient } from '../ingest/live/eutils-client.js';
import { EuropePmcClient } from '../ingest/live/europe-pmc-client.js';
import { pubmedQueriesFor, storeLiveItems, type LiveReport } from '../ingest/live/live-ingest.js';
import { understand } from '../pipeline/understand/understand.js';

export type { FileReport, IngestCallbacks, LiveReport };
import { answerQuestion } from '../pipeline/run.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { LibraryStats, Store } from '../ports/store.js';

/** What every surface can do; the one place where adapters meet the pipeline. */
export interface App {
  readonly store: Store;
  /** With `live`, searches PubMed first when the library has too little for the question. */
  ask(question: string, audience: Audience, options?: { save?: boolean; live?: boolean }): Promise<Article>;
  ingest(paths: readonly string[], callbacks?: IngestCallbacks): Promise<FileReport[]>;
  /** Searches PubMed and stores up to `max` records in the library. */
  ingestPubmed(query: string, max: number, onDocument?: (fetched: number) => void): Promise<LiveReport>;
  /** Searches Europe PMC (abstracts, and open-access full text where the licence allows) and stores the results. */
  ingestEuropePmc(
    query: string,
    max: number,
    options?: { fullText?: boolean },
    onDocument?: (fetched: number) => void,
  ): Promise<LiveReport>;
  stats(): Promise<LibraryStats>;
  close(): Promise<void>;
}

/** The live sources an app may search; built from the configuration by `openApp`. */
export interface LiveSources {
  pubmed: EutilsClient;
  europePmc: EuropePmcClient;
}

/** When `ask --live` goes to PubMed, and how much it brings back. */
export const LIVE_ASK = { minReferences: 3, maxRecords: 20 } as const;

export function liveSourcesFrom(config: Config): LiveSources {
  return {
    pubmed: new EutilsClient({
      baseUrl: config.eutilsUrl,
      tool: config.ncbiTool,
      ...(config.ncbiApiKey === undefined ? {} : { apiKey: config.ncbiApiKey }),
      ...(config.ncbiEmail === undefined ? {} : { email: config.ncbiEmail }),
    }),
    europePmc: new EuropePmcClient({ baseUrl: config.europePmcUrl }),
  };
}

export function openApp(config: Config, options: { clock?: Clock } = {}): App {
  const clock = options.clock ?? systemClock;
  const store = openSqliteStore(config.dbPath, { clock });
  return createApp(store, clock, liveSourcesFrom(config));
}

export function createApp(store: Store, clock: Clock = systemClock, live?: LiveSources): App {
  const liveSources = (): LiveSources => {
    if (live === undefined)
      throw new EvidentiaError('CONFIG_INVALID', 'live sources are not configured for this library');
    return live;
  };
  const ingestPubmed = (query: string, max: number, onDocument?: (fetched: number) => void) =>
    storeLiveItems(store, 'PubMed', query, liveSources().pubmed.search(query, max), onDocument);
  return {
    store,
    async ask(question, audience, options = {}) {
      const stats = await store.stats();
      if (stats.documents === 0 && !options.live) {
        throw new EvidentiaError(
          'LIBRARY_EMPTY',
          'the library is empty: load documents first, e.g. `evidentia ingest samples/library` or a PubMed XML file',
        );
      }
      const answer = () => answerQuestion({ text: question, audience }, { store, clock });
      let article = stats.documents === 0 ? undefined : await answer();
      const tooLittle =
        article === undefined ||
        article.status === 'insufficient_evidence' ||
        (article.status === 'answered' && article.references.length < LIVE_ASK.minReferences);
      if (options.live && tooLittle) {
        // Most specific query first; the broader one only when it finds nothing.
        for (const query of pubmedQueriesFor(understand({ text: question, audience }))) {
          const report = await ingestPubmed(query, LIVE_ASK.maxRecords);
          if (report.fetched > 0) break;
        }
        if ((await store.stats()).documents === 0) {
          throw new EvidentiaError('LIBRARY_EMPTY', 'the library is empty and PubMed found nothing for this question');
        }
        article = await answer();
      }
      if (article === undefined) throw new EvidentiaError('INTERNAL', 'no article was composed');
      if (options.save ?? true) await store.saveArticle(article, 'evidentia');
      return article;
    },
    ingest: (paths, callbacks) => ingestPaths(store, paths, callbacks),
    ingestPubmed,
    ingestEuropePmc: (query, max, options = {}, onDocument) =>
      storeLiveItems(store, 'Europe PMC', query, liveSources().europePmc.search(query, max, options), onDocument),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
