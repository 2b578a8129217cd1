import { performance } from 'node:perf_hooks';
import { SourceDocument } from '../domain/source.js';
import type { PlainTextIndex } from '../ports/plain-text-index.js';
import type { DocumentStore, LibraryVocabulary, PassageIndex } from '../ports/store.js';
import type { DenseRetrieval } from '../pipeline/retrieve/dense.js';
import { vocabularyOf } from '../pipeline/retrieve/library-spelling.js';
import { benchmarkRetrieveOptions, retrieve, type RetrieveOptions } from '../pipeline/retrieve/retrieve.js';
import { understand } from '../pipeline/understand/understand.js';
import { corpusIdOf, type EvalSet } from './beir-set.js';
import { meanScores, percentile, scoreQueries, type QueryScores, type RankedDocument } from './retrieval-metrics.js';

/** One system's figures on a collection. */
export interface SystemReport {
  ndcg10: number;
  recall100: number;
  mrr10: number;
  p50Ms: number;
  p95Ms: number;
  queries: number;
  documents: number;
}

export interface RetrievalReport {
  set: string;
  evidentia: SystemReport;
  bm25: SystemReport;
  /** Each judged query's figures for both systems, to see where one wins or loses. */
  perQuery: Array<{ queryId: string; text: string; evidentia: QueryScores; bm25: QueryScores }>;
}

/** A retriever under test: query text → documents (corpus ids) with scores. */
export type Retriever = (text: string) => Promise<RankedDocument[]>;

export interface EvalProgress {
  loaded?: (documents: number) => void;
  /** Passages embedded so far, of how many (dense retrieval only). */
  embedded?: (done: number, total: number) => void;
  queried?: (done: number, total: number) => void;
}

const BATCH = 2000;

/**
 * Loads a collection's corpus into the library and into the baseline index.
 * @returns how many documents the corpus has
 */
export async function loadCollection(
  set: EvalSet,
  deps: { store: DocumentStore; baseline: PlainTextIndex },
  progress: EvalProgress = {},
): Promise<number> {
  let count = 0;
  let batch: Array<{ id: string; title: string; text: string }> = [];
  await deps.store.importDocuments(async (session) => {
    for await (const { corpusId, document } of set.documents()) {
      await session.put(SourceDocument.parse(document));
      batch.push({ id: corpusId, title: document.title, text: document.text });
      count++;
      if (batch.length >= BATCH) {
        await deps.baseline.add(batch);
        batch = [];
        progress.loaded?.(count);
      }
    }
  });
  await deps.baseline.add(batch);
  progress.loaded?.(count);
  return count;
}

/**
 * Evidentia's retriever as the harness runs it: understand, then retrieve 100 documents. A
 * document store with a vocabulary (every Store) serves as the vocabulary too.
 * @param setName the collection's name, to map library ids back to corpus ids
 * @param options retrieve settings (the benchmark settings unless given)
 */
export function evidentiaRetriever(
  setName: string,
  deps: {
    index: PassageIndex;
    documents?: Pick<DocumentStore, 'getDocuments' | 'getSearchTexts'> & Partial<LibraryVocabulary>;
    dense?: DenseRetrieval;
  },
  options: RetrieveOptions = benchmarkRetrieveOptions(),
): Retriever {
  const withVocabulary = { ...deps, ...vocabularyOf(deps.documents ?? {}) };
  return async (text) => {
    const question = understand({ text });
    const { documents } = await retrieve(question, withVocabulary, options);
    return documents.map((d) => ({ id: corpusIdOf(setName, d.documentId), score: d.score }));
  };
}

/** The plain BM25 baseline as a retriever. */
export function baselineRetriever(baseline: PlainTextIndex): Retriever {
  return (text) => baseline.search(text, 100);
}

/**
 * Runs every query through a retriever, timing each, and scores the runs.
 * @param set the collection (queries and judgements)
 * @param retriever the system under test
 * @param documents corpus size, reported with the figures
 */
export async function evaluateRetriever(
  set: EvalSet,
  retriever: Retriever,
  documents: number,
  progress: EvalProgress = {},
): Promise<SystemReport & { perQuery: QueryScores[] }> {
  const runs = new Map<string, RankedDocument[]>();
  const latencies: number[] = [];
  let done = 0;
  for (const query of set.queries) {
    const started = performance.now();
    const run = await retriever(query.text);
    latencies.push(performance.now() - started);
    runs.set(query.id, run);
    progress.queried?.(++done, set.queries.length);
  }
  const perQuery = scoreQueries(runs, set.qrels);
  return {
    ...meanScores(perQuery),
    perQuery,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    documents,
  };
}

/**
 * The whole evaluation: load the corpus, then score Evidentia's retriever and the plain BM25
 * baseline in the same run.
 */
export async function runRetrievalEval(
  set: EvalSet,
  deps: { store: DocumentStore & PassageIndex & Partial<LibraryVocabulary>; baseline: PlainTextIndex },
  options: {
    retrieve?: RetrieveOptions;
    progress?: EvalProgress;
    /** Dense retrieval to fuse with Evidentia's lexical ranking. */
    dense?: DenseRetrieval;
    /** Runs once the corpus is loaded, before any query (to embed it). */
    afterLoad?: () => Promise<void>;
  } = {},
): Promise<RetrievalReport> {
  const documents = await loadCollection(set, deps, options.progress);
  await options.afterLoad?.();
  const evidentia = await evaluateRetriever(
    set,
    evidentiaRetriever(
      set.name,
      {
        index: deps.store,
        documents: deps.store,
        ...(options.dense ? { dense: options.dense } : {}),
      },
      options.retrieve,
    ),
    documents,
    options.progress,
  );
  const bm25 = await evaluateRetriever(set, baselineRetriever(deps.baseline), documents, options.progress);
  const { perQuery: ours, ...evidentiaFigures } = evidentia;
  const { perQuery: theirs, ...bm25Figures } = bm25;
  const baselineOf = new Map(theirs.map((q) => [q.queryId, q]));
  // A query id may repeat in queries.jsonl; the judgements score the last text given for it.
  const textOf = new Map(set.queries.map((q) => [q.id, q.text]));
  return {
    set: set.name,
    evidentia: evidentiaFigures,
    bm25: bm25Figures,
    perQuery: ours.map((q) => ({
      queryId: q.queryId,
      text: textOf.get(q.queryId) ?? '',
      evidentia: q,
      bm25: baselineOf.get(q.queryId) ?? { queryId: q.queryId, ndcg10: 0, recall100: 0, mrr10: 0 },
    })),
  };
}

/**
 * Each query's figures as tab-separated lines with a header: id, nDCG@10, Recall@100 and MRR@10
 * for Evidentia then BM25, and the question (tabs and line breaks in it made spaces).
 * @param report a retrieval report
 */
export function formatPerQuery(report: RetrievalReport): string {
  const header = [
    'query-id',
    'evidentia-ndcg10',
    'evidentia-recall100',
    'evidentia-mrr10',
    'bm25-ndcg10',
    'bm25-recall100',
    'bm25-mrr10',
    'question',
  ];
  const figures = (s: QueryScores) => [s.ndcg10, s.recall100, s.mrr10].map((x) => x.toFixed(4));
  const lines = report.perQuery.map((q) =>
    [q.queryId, ...figures(q.evidentia), ...figures(q.bm25), q.text.replace(/\s+/g, ' ')].join('\t'),
  );
  return `${[header.join('\t'), ...lines].join('\n')}\n`;
}

/** The report as a fixed-width table. */
export function formatReport(report: RetrievalReport): string {
  const rows = [
    ['system', 'nDCG@10', 'Recall@100', 'MRR@10', 'p50 ms', 'p95 ms', 'queries', 'documents'],
    ...(['evidentia', 'bm25'] as const).map((name) => {
      const r = report[name];
      return [
        name,
        r.ndcg10.toFixed(3),
        r.recall100.toFixed(3),
        r.mrr10.toFixed(3),
        r.p50Ms.toFixed(1),
        r.p95Ms.toFixed(1),
        String(r.queries),
        String(r.documents),
      ];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  return `${report.set}\n${lines.join('\n')}\n`;
}
