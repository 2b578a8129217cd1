import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore } from '../adapters/store/postgres/index.js';
import { openPlainBm25Index, openSqliteStore } from '../adapters/store/sqlite/index.js';
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
import { loadEvalSet } from '../eval/beir-set.js';
import { runRetrievalEval, type EvalProgress, type RetrievalReport } from '../eval/retrieval-eval.js';
import { answerQuestion, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../pipeline/run.js';
import { NO_PRIORS } from '../pipeline/retrieve/priors.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { AnswerEvaluation } from '../eval/answers.js';
import { evalAnswers, type EvalAnswersOptions } from './eval-answers.js';
import type { LibraryStats, OptimizeProgress, OptimizeReport, SearchIndexStatistics, Store } from '../ports/store.js';
import { resolveFollowUp } from '../pipeline/understand/follow-up.js';
import type { Thread } from '../domain/thread.js';
import { createAccountsService, type AccountsService } from './accounts-service.js';
import { createEditorialService, type EditorialService } from './editorial-service.js';
import { checkDenseConfig, openDenseSetup, type DenseSetup } from './dense-setup.js';
import type { EmbedReport } from '../ingest/embed-passages.js';

export type { AccountsService, EditorialService };

/** What every surface can do; the one place where adapters meet the pipeline. */
export interface App {
  readonly store: Store;
  /** With `live`, searches PubMed first when the library has too little for the question. */
  ask(question: string, audience: Audience, options?: { save?: boolean; live?: boolean }): Promise<Article>;
  /**
   * Answers a question as a turn of a conversation: a follow-up ("and the risks?") is resolved
   * against the thread's earlier questions first. Without a thread id a new thread starts.
   */
  askInThread(
    asked: string,
    audience: Audience,
    options?: { threadId?: string; by?: string },
  ): Promise<{ article: Article; threadId: string; question: string }>;
  thread(threadId: string): Promise<Thread | null>;
  /** The conversation an article belongs to; one is started with it as the first turn if none. */
  threadFor(article: Article): Promise<string>;
  /**
   * The same question answered for another audience: an existing article when there is one,
   * else a new answer. The facts are the same; only the wording differs.
   */
  articleForAudience(id: string, audience: Audience, by?: string): Promise<Article>;
  threadOfArticle(articleId: string): Promise<Thread | null>;
  readonly accounts: AccountsService;
  readonly editorial: EditorialService;
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
  /**
   * Compacts the library's search indexes (after large imports); searches find the same. An
   * index whose ranking statistics drifted (deletes, changed documents) is rebuilt first.
   */
  optimizeLibrary(onProgress?: (progress: OptimizeProgress) => void): Promise<OptimizeReport>;
  /** Each search index's ranking statistics beside the rows it holds: they differ when drifted. */
  searchStatistics(): Promise<SearchIndexStatistics[]>;
  /** Resolves when the library's database answers; fails with STORE_UNAVAILABLE when it does not. */
  ready(): Promise<void>;
  /** Scores answers on a BioASQ folder (its own temporary library) beside the baseline. */
  evalAnswers(dir: string, options?: EvalAnswersOptions): Promise<AnswerEvaluation>;
  /** Loads a retrieval collection (BEIR folder or PubMedQA) and measures retrieval beside plain BM25. */
  evaluateRetrieval(dir: string, progress?: EvalProgress): Promise<RetrievalReport>;
  /** Which retriever answers: BM25 alone, or BM25 fused with a named embedding model. */
  readonly retriever: string;
  /** Computes vectors for the passages that have none (dense retrieval must be configured). */
  embed(options?: { rebuild?: boolean; onProgress?: (done: number, total: number) => void }): Promise<EmbedReport>;
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
  checkDenseConfig(config);
  // DATABASE_URL selects PostgreSQL (shared by several servers); otherwise the SQLite file.
  const store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, { clock })
    : openSqliteStore(config.dbPath, { clock });
  let dense: DenseSetup | undefined;
  try {
    // After the store: its migrations make the vector index's bookkeeping tables.
    dense = openDenseSetup(config);
  } catch (error) {
    void store.close();
    throw error;
  }
  return createApp(store, clock, liveSourcesFrom(config), answerSettings(config), dense);
}

/** The answer path's settings from the configuration (retrieval priors). */
export function answerSettings(config: Pick<Config, 'kindPrior' | 'recencyPrior'>): AnswerSettings {
  const priors = { ...NO_PRIORS, kindWeight: config.kindPrior, recencyWeight: config.recencyPrior };
  return { ...DEFAULT_ANSWER_SETTINGS, retrieve: { ...DEFAULT_ANSWER_SETTINGS.retrieve, priors } };
}

export function createApp(
  store: Store,
  clock: Clock = systemClock,
  live?: LiveSources,
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
  dense?: DenseSetup,
): App {
  const accounts = createAccountsService(store, clock);
  const editorial = createEditorialService(store, clock, accounts);
  const liveSources = (): LiveSources => {
    if (live === undefined)
      throw new EvidentiaError('CONFIG_INVALID', 'live sources are not configured for this library');
    return live;
  };
  // Approved articles resting on a source that just changed go back for review.
  const afterImport = async (report: LiveReport): Promise<LiveReport> => {
    if (report.updated > 0 || report.deleted > 0) await editorial.flagChangedSources();
    return report;
  };
  const ingestPubmed = async (query: string, max: number, onDocument?: (fetched: number) => void) =>
    afterImport(await storeLiveItems(store, 'PubMed', query, liveSources().pubmed.search(query, max), onDocument));
  const app: App = {
    store,
    accounts,
    editorial,
    async askInThread(asked, audience, options = {}) {
      const thread = options.threadId ? await store.getThread(options.threadId) : null;
      if (options.threadId && !thread) throw new EvidentiaError('NOT_FOUND', `no conversation ${options.threadId}`);
      const question = thread
        ? resolveFollowUp(
            thread.turns.map((t) => t.question),
            asked,
          )
        : asked.trim();
      const article = await app.ask(question, audience);
      const threadId = thread?.id ?? `t-${randomUUID()}`;
      const at = clock.now().toISOString();
      await store.appendTurn(threadId, { asked: asked.trim(), question: article.question, articleId: article.id, at });
      await accounts.audit(options.by ?? 'anonymous', 'article.create', `${article.id}@1`, article.question);
      return { article, threadId, question: article.question };
    },
    thread: (threadId) => store.getThread(threadId),
    async threadFor(article) {
      const existing = await store.threadOfArticle(article.id);
      if (existing) return existing.id;
      const threadId = `t-${randomUUID()}`;
      await store.appendTurn(threadId, {
        asked: article.question,
        question: article.question,
        articleId: article.id,
        at: article.createdAt,
      });
      return threadId;
    },
    async articleForAudience(id, audience, by) {
      const article = await editorial.get(id);
      if (article.audience === audience) return article;
      for (const s of await store.listArticles({ limit: 1000 })) {
        if (s.question !== article.question || s.id === id) continue;
        const other = await store.getArticle(s.id);
        if (other?.audience === audience) return other;
      }
      const answer = await app.ask(article.question, audience);
      await accounts.audit(by ?? 'anonymous', 'article.create', `${answer.id}@1`, `${audience} version of ${id}`);
      return answer;
    },
    threadOfArticle: (articleId) => store.threadOfArticle(articleId),
    async ask(question, audience, options = {}) {
      const stats = await store.stats();
      if (stats.documents === 0 && !options.live) {
        throw new EvidentiaError(
          'LIBRARY_EMPTY',
          'the library is empty: load documents first, e.g. `evidentia ingest samples/library` or a PubMed XML file',
        );
      }
      const answer = () =>
        answerQuestion(
          { text: question, audience },
          { store, clock, ...(dense ? { dense: dense.retrieval } : {}) },
          settings,
        );
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
    async ingest(paths, callbacks) {
      const reports = await ingestPaths(store, paths, callbacks);
      if (reports.some((r) => r.updated > 0 || r.deleted > 0)) await editorial.flagChangedSources();
      return reports;
    },
    ingestPubmed,
    ingestEuropePmc: async (query, max, options = {}, onDocument) =>
      afterImport(
        await storeLiveItems(
          store,
          'Europe PMC',
          query,
          liveSources().europePmc.search(query, max, options),
          onDocument,
        ),
      ),
    stats: () => store.stats(),
    optimizeLibrary: (onProgress) => store.optimizeSearch(onProgress ? { onProgress } : {}),
    searchStatistics: () => store.searchStatistics(),
    ready: () => store.ping(),
    evalAnswers: (dir, options) => evalAnswers(dir, clock, options),
    async evaluateRetrieval(dir, progress) {
      const set = await loadEvalSet(dir);
      // The baseline index is scratch: built for this run beside the library, then removed.
      const scratch = mkdtempSync(join(tmpdir(), 'evidentia-bm25-'));
      const baseline = openPlainBm25Index(join(scratch, 'bm25.db'));
      try {
        return await runRetrievalEval(
          set,
          { store, baseline },
          {
            ...(progress ? { progress } : {}),
            // With dense retrieval the loaded corpus is embedded before the queries run.
            ...(dense
              ? {
                  dense: dense.retrieval,
                  afterLoad: async () => {
                    await dense.embed(progress?.embedded ? { onProgress: progress.embedded } : {});
                  },
                }
              : {}),
          },
        );
      } finally {
        await baseline.close();
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    retriever: dense ? `BM25 + dense (${dense.modelName}), reciprocal rank fusion` : 'BM25',
    async embed(options = {}) {
      if (!dense) {
        throw new EvidentiaError(
          'CONFIG_INVALID',
          'dense retrieval is not configured: set EVIDENTIA_EMBEDDINGS_MODEL_DIR (a local ONNX model folder) or EVIDENTIA_EMBEDDINGS_URL and EVIDENTIA_EMBEDDINGS_MODEL',
        );
      }
      return dense.embed(options);
    },
    async close() {
      await dense?.close();
      await store.close();
    },
  };
  return app;
}
