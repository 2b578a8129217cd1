/**
 * Retrieval speed as the library grows:
 *   npm run bench:retrieval [-- --sizes 16000,100000,1000000 --queries 400 --baseline-queries 40]
 * Builds a library from the real documents of ../shared/data (bioasq_dev and medquad_beir),
 * repeated with new ids to reach each size, beside the plain FTS5 BM25 baseline, then times real
 * questions through Evidentia's retrieve stage and through the baseline: p50/p95 in milliseconds
 * (a warm-up over other questions, then the median of three timed passes; the baseline, which
 * scores every matching document, times fewer questions and one pass). Built libraries
 * are kept under os.tmpdir() keyed by size and a hash of the source files, so a 1M run builds once;
 * their search indexes are optimized once (`evidentia library optimize`) before the first timing.
 * The last column says how whole-document searches were scored: `native` (the extension built by
 * `npm install`) or `fts5` (bm25(): no compiler at install).
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { openPlainBm25Index, openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { SourceDocument } from '../src/domain/source.js';
import { loadEvalSet, type EvalDocument } from '../src/eval/beir-set.js';
import { baselineRetriever, evidentiaRetriever, type Retriever } from '../src/eval/retrieval-eval.js';
import { percentile } from '../src/eval/retrieval-metrics.js';

const dataDir = path.resolve(fileURLToPath(new URL('../', import.meta.url)), '../shared/data');
const SETS = ['medquad_beir', 'bioasq_dev'] as const;
/** Bump when the way a cached library is built changes. */
const BUILD_VERSION = 1;
const BATCH = 5000;

function positiveInts(value: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n <= 0)) throw new InvalidArgumentError('expected whole numbers');
  return list;
}

const options = new Command()
  .option('--sizes <list>', 'library sizes, comma-separated', positiveInts, [16000, 100000, 1000000])
  .option('--queries <n>', 'questions timed per size', (v) => positiveInts(v)[0]!, 400)
  .option('--baseline-queries <n>', 'questions timed on the baseline', (v) => positiveInts(v)[0]!, 40)
  .option('--rebuild', 'ignore cached libraries')
  .parse(process.argv)
  .opts<{ sizes: number[]; queries: number; baselineQueries: number; rebuild?: boolean }>();

async function collect(): Promise<{ docs: EvalDocument[]; questions: string[]; warmup: string[] }> {
  const docs: EvalDocument[] = [];
  const questions: string[] = [];
  const warmup: string[] = [];
  for (const name of SETS) {
    const set = await loadEvalSet(path.join(dataDir, name));
    for await (const doc of set.documents()) docs.push(doc);
    questions.push(...set.queries.filter((_, i) => i % 8 === 0).map((q) => q.text));
    warmup.push(...set.queries.filter((_, i) => i % 8 === 4).map((q) => q.text));
  }
  return { docs, questions: questions.slice(0, options.queries), warmup: warmup.slice(0, 50) };
}

/**
 * Identifies the source files by their content (not their dates: a fresh copy of the same data
 * keeps its libraries), so a cached library is rebuilt only when the data changes.
 */
function sourceHash(): string {
  const hash = createHash('sha256').update(String(BUILD_VERSION));
  for (const name of SETS) hash.update(`${name}\u0000`).update(readFileSync(path.join(dataDir, name, 'corpus.jsonl')));
  return hash.digest('hex').slice(0, 12);
}

const cacheRoot = path.join(tmpdir(), 'evidentia-bench-retrieval');
const FILES = ['library.db', 'bm25.db'] as const;
/** Present once a library's search indexes were optimized, as an operator does after a large import. */
const OPTIMIZED = 'optimized';

/**
 * Runs `evidentia library optimize`'s store step once on a cached library, in place (built
 * libraries, old or new, are left by their imports with many index segments).
 */
async function optimizeOnce(folder: string): Promise<void> {
  const marker = path.join(folder, OPTIMIZED);
  if (existsSync(marker)) return;
  const started = performance.now();
  const store = openSqliteStore(path.join(folder, FILES[0]));
  try {
    await store.optimizeSearch();
  } finally {
    await store.close();
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`optimized ${path.basename(folder)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** Copies a library (both databases, checkpointed) to a new folder. */
function copyLibrary(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const file of FILES) copyFileSync(path.join(from, file), path.join(to, file));
}

/**
 * The folder of a library with `size` documents, built (from the largest smaller cached one, if
 * any) when missing.
 */
async function libraryOf(size: number, docs: readonly EvalDocument[], hash: string): Promise<string> {
  const folder = (n: number) => path.join(cacheRoot, `${hash}-${n}`);
  if (!options.rebuild && existsSync(path.join(folder(size), FILES[0]))) return folder(size);
  const partial = `${folder(size)}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const smaller = options.rebuild
    ? []
    : readdirSync(cacheRoot)
        .map((name) => /^([0-9a-f]+)-(\d+)$/.exec(name))
        .filter((m): m is RegExpExecArray => m !== null && m[1] === hash && Number(m[2]) < size)
        .map((m) => Number(m[2]))
        .sort((a, b) => b - a);
  let loaded = 0;
  if (smaller[0] !== undefined) {
    copyLibrary(folder(smaller[0]), partial);
    loaded = smaller[0];
  } else mkdirSync(partial, { recursive: true });
  const started = performance.now();
  const store = openSqliteStore(path.join(partial, FILES[0]));
  const baseline = openPlainBm25Index(path.join(partial, FILES[1]));
  try {
    while (loaded < size) {
      const end = Math.min(size, loaded + BATCH);
      const batch: Array<{ id: string; title: string; text: string }> = [];
      await store.importDocuments(async (session) => {
        for (let n = loaded; n < end; n++) {
          const source = docs[n % docs.length]!;
          const id = `bench:${Math.floor(n / docs.length)}:${source.corpusId}`;
          await session.put(SourceDocument.parse({ ...source.document, id }));
          batch.push({ id, title: source.document.title, text: source.document.text });
        }
      });
      await baseline.add(batch);
      loaded = end;
      if (process.stderr.isTTY) process.stderr.write(`\rbuilding ${size}: ${loaded}`);
    }
  } finally {
    await store.close();
    await baseline.close();
  }
  renameSync(partial, folder(size));
  console.log(`built ${size} documents in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return folder(size);
}

/**
 * p50/p95 latency of a retriever over the questions.
 * @param passes timed passes; the median of their percentiles is reported
 */
async function time(
  retriever: Retriever,
  questions: readonly string[],
  warmup: readonly string[],
  passes: number,
): Promise<{ p50: number; p95: number }> {
  for (const q of warmup) await retriever(q);
  const runs: Array<{ p50: number; p95: number }> = [];
  for (let pass = 0; pass < passes; pass++) {
    const latencies: number[] = [];
    for (const q of questions) {
      const started = performance.now();
      await retriever(q);
      latencies.push(performance.now() - started);
    }
    runs.push({ p50: percentile(latencies, 50), p95: percentile(latencies, 95) });
  }
  const median = (values: number[]) => percentile(values, 50);
  return { p50: median(runs.map((r) => r.p50)), p95: median(runs.map((r) => r.p95)) };
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

const { docs, questions, warmup } = await collect();
const hash = sourceHash();
mkdirSync(cacheRoot, { recursive: true });
console.log(`${docs.length} real documents, ${questions.length} questions, sizes ${options.sizes.join(', ')}`);
console.log(
  `documents  evidentia p50  p95 ms (${questions.length} q × 3)  |  bm25 p50  p95 ms (${options.baselineQueries} q)  |  load average 1/5/15 min  |  ranking`,
);
for (const size of [...options.sizes].sort((a, b) => a - b)) {
  const folder = await libraryOf(size, docs, hash);
  await optimizeOnce(folder);
  const store = openSqliteStore(path.join(folder, FILES[0]));
  const baseline = openPlainBm25Index(path.join(folder, FILES[1]));
  try {
    const e = await time(evidentiaRetriever('bench', { index: store, documents: store }), questions, warmup, 3);
    // Spread the baseline's questions over the whole list (both collections).
    const step = Math.max(1, Math.floor(questions.length / options.baselineQueries));
    const sample = questions.filter((_, i) => i % step === 0).slice(0, options.baselineQueries);
    const b = await time(baselineRetriever(baseline), sample, warmup.slice(0, 5), 1);
    console.log(
      `${String(size).padStart(9)}  ${e.p50.toFixed(1).padStart(13)}  ${e.p95.toFixed(1).padStart(17)}  |  ${b.p50.toFixed(1).padStart(8)}  ${b.p95.toFixed(1).padStart(13)}  |  ${load()}  |  ${store.searchRanking}`,
    );
  } finally {
    await store.close();
    await baseline.close();
  }
}
