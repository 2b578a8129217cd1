/**
 * Retrieval speed as the library grows: `npm run bench:retrieval [-- 16000,100000,1000000]`.
 * Builds one library in a temp folder from the real documents of ../shared/data (bioasq_dev and
 * medquad_beir), repeated with new ids to reach each size, beside the plain FTS5 BM25 baseline,
 * then times 400 real questions through Evidentia's retrieve stage and through the baseline:
 * p50/p95 in milliseconds (one warm-up pass, then the median of three timed passes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openPlainBm25Index, openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { SourceDocument } from '../src/domain/source.js';
import { loadEvalSet, type EvalDocument } from '../src/eval/beir-set.js';
import { baselineRetriever, evidentiaRetriever, type Retriever } from '../src/eval/retrieval-eval.js';
import { percentile } from '../src/eval/retrieval-metrics.js';

const dataDir = path.resolve(fileURLToPath(new URL('../', import.meta.url)), '../shared/data');
const sizes = (process.argv[2] ?? '16000,100000,1000000').split(',').map(Number);
const QUERIES = 400;
const BATCH = 5000;

async function collect(): Promise<{ docs: EvalDocument[]; questions: string[] }> {
  const docs: EvalDocument[] = [];
  const questions: string[] = [];
  for (const name of ['medquad_beir', 'bioasq_dev']) {
    const set = await loadEvalSet(path.join(dataDir, name));
    for await (const doc of set.documents()) docs.push(doc);
    questions.push(...set.queries.filter((_, i) => i % 8 === 0).map((q) => q.text));
  }
  return { docs, questions: questions.slice(0, QUERIES) };
}

async function time(retriever: Retriever, questions: readonly string[]): Promise<{ p50: number; p95: number }> {
  for (const q of questions.slice(0, 50)) await retriever(q);
  const runs: Array<{ p50: number; p95: number }> = [];
  for (let pass = 0; pass < 3; pass++) {
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

const { docs, questions } = await collect();
const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-retrieval-'));
const store = openSqliteStore(path.join(dir, 'library.db'));
const baseline = openPlainBm25Index(path.join(dir, 'bm25.db'));
const evidentia = evidentiaRetriever('bench', { index: store, documents: store });
const bm25 = baselineRetriever(baseline);
console.log(`${docs.length} real documents, ${questions.length} questions, sizes ${sizes.join(', ')}`);
console.log('documents  evidentia p50  p95 ms  |  bm25 p50  p95 ms  |  load s');
let loaded = 0;
try {
  for (const size of sizes) {
    const started = performance.now();
    while (loaded < size) {
      const end = Math.min(size, loaded + BATCH);
      const batch: Array<{ id: string; title: string; text: string }> = [];
      await store.importDocuments(async (session) => {
        for (let n = loaded; n < end; n++) {
          const source = docs[n % docs.length]!;
          const copy = Math.floor(n / docs.length);
          const id = `bench:${copy}:${source.corpusId}`;
          await session.put(SourceDocument.parse({ ...source.document, id }));
          batch.push({ id, title: source.document.title, text: source.document.text });
        }
      });
      await baseline.add(batch);
      loaded = end;
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const e = await time(evidentia, questions);
    const b = await time(bm25, questions);
    console.log(
      `${String(size).padStart(9)}  ${e.p50.toFixed(1).padStart(13)}  ${e.p95.toFixed(1).padStart(6)}  |  ${b.p50.toFixed(1).padStart(8)}  ${b.p95.toFixed(1).padStart(6)}  |  ${loadSeconds.toFixed(0).padStart(6)}`,
    );
  }
} finally {
  await store.close();
  await baseline.close();
  await rm(dir, { recursive: true, force: true });
}
