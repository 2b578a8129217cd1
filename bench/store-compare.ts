/**
 * PostgreSQL against SQLite on the BEIR sets: `npm run bench:store-compare [-- --queries N]`.
 * Needs EVIDENTIA_TEST_DATABASE_URL or DATABASE_URL (a postgres:// URL; tables go in throwaway
 * schemas). For each of bioasq_dev and medquad_beir it loads the corpus into a fresh SQLite
 * library and a fresh PostgreSQL schema, the way `evidentia eval retrieval` does, then asks every
 * judged query (or the first N) through the harness's own retriever (understand + whole-document
 * retrieve, 100 documents, priors off), the two stores in turn, and prints per store nDCG@10,
 * Recall@100, MRR@10 and retrieve latency p50/p95, the nDCG@10 difference, the mean top-10
 * overlap and the machine's load average beside the timings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openPlainBm25Index, openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { loadEvalSet, type EvalSet } from '../src/eval/beir-set.js';
import { evidentiaRetriever, loadCollection, type Retriever } from '../src/eval/retrieval-eval.js';
import { percentile, scoreRuns, trecOrder, type RankedDocument } from '../src/eval/retrieval-metrics.js';
import type { Store } from '../src/ports/store.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const SETS = ['bioasq_dev', 'medquad_beir'];
const STORES = ['sqlite', 'postgres'] as const;
type StoreName = (typeof STORES)[number];

/** The load averages now, to print beside timings taken on a shared machine. */
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/**
 * Loads one collection into a store, as `eval retrieval` does (the baseline index is scratch).
 * @returns the number of documents and the seconds it took
 */
async function loadInto(set: EvalSet, store: Store, dir: string): Promise<{ documents: number; seconds: number }> {
  const baseline = openPlainBm25Index(path.join(dir, `bm25-${randomBytes(4).toString('hex')}.db`));
  const started = performance.now();
  try {
    const documents = await loadCollection(set, { store, baseline });
    return { documents, seconds: (performance.now() - started) / 1000 };
  } finally {
    await baseline.close();
  }
}

/** Drops a throwaway schema of the bench. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Runs the queries through both stores in turn (so load from other processes falls on both
 * alike) and prints the figures.
 * @param set the collection, already loaded into both stores
 * @param retrievers the harness retriever of each store
 */
async function compare(set: EvalSet, retrievers: Record<StoreName, Retriever>, maxQueries: number): Promise<void> {
  const queries = set.queries.slice(0, maxQueries);
  const qrels = new Map(queries.flatMap((q) => (set.qrels.has(q.id) ? [[q.id, set.qrels.get(q.id)!] as const] : [])));
  // Warm both stores (page cache, plans) before timing.
  for (const q of queries.slice(0, 20)) for (const name of STORES) await retrievers[name](q.text);
  const runs: Record<StoreName, Map<string, RankedDocument[]>> = { sqlite: new Map(), postgres: new Map() };
  const latency: Record<StoreName, number[]> = { sqlite: [], postgres: [] };
  const overlap: number[] = [];
  const loadBefore = load();
  for (const q of queries) {
    for (const name of STORES) {
      const started = performance.now();
      runs[name].set(q.id, await retrievers[name](q.text));
      latency[name].push(performance.now() - started);
    }
    const [a, b] = STORES.map((name) => trecOrder(runs[name].get(q.id)!).slice(0, 10)) as [string[], string[]];
    overlap.push(
      Math.max(a.length, b.length) === 0 ? 1 : a.filter((id) => b.includes(id)).length / Math.max(a.length, b.length),
    );
  }
  const scores = { sqlite: scoreRuns(runs.sqlite, qrels), postgres: scoreRuns(runs.postgres, qrels) };
  console.log(`\n${set.name}: ${scores.sqlite.queries} judged queries; load average ${loadBefore} → ${load()}`);
  for (const name of STORES) {
    const s = scores[name];
    console.log(
      `  ${name.padEnd(8)} nDCG@10 ${s.ndcg10.toFixed(4)}  Recall@100 ${s.recall100.toFixed(4)}  MRR@10 ${s.mrr10.toFixed(4)}` +
        `  retrieve p50 ${percentile(latency[name], 50).toFixed(1)} ms  p95 ${percentile(latency[name], 95).toFixed(1)} ms`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / Math.max(xs.length, 1);
  console.log(
    `  nDCG@10 difference (postgres − sqlite) ${(scores.postgres.ndcg10 - scores.sqlite.ndcg10).toFixed(4)}; ` +
      `mean top-10 overlap ${(100 * mean(overlap)).toFixed(1)}%; ` +
      `latency ratio p50 ${(percentile(latency.postgres, 50) / percentile(latency.sqlite, 50)).toFixed(2)}×`,
  );
}

async function main(): Promise<void> {
  const url = process.env['EVIDENTIA_TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error('set EVIDENTIA_TEST_DATABASE_URL (or DATABASE_URL) to a postgres:// URL');
    process.exit(2);
  }
  const limitArg = process.argv.indexOf('--queries');
  const maxQueries = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Infinity;
  const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-compare-'));
  try {
    for (const setName of SETS) {
      const set = await loadEvalSet(path.join(dataDir, setName));
      const schema = `evidentia_bench_${randomBytes(4).toString('hex')}`;
      const stores: Record<StoreName, Store> = {
        sqlite: openSqliteStore(path.join(dir, `${setName}.db`)),
        postgres: openPostgresStore(url, { schema }),
      };
      try {
        for (const name of STORES) {
          const { documents, seconds } = await loadInto(set, stores[name], dir);
          console.log(
            `${setName}: ${documents} documents loaded into ${name} in ${seconds.toFixed(1)} s (load ${load()})`,
          );
        }
        const retrievers = {
          sqlite: evidentiaRetriever(set.name, { index: stores.sqlite, documents: stores.sqlite }),
          postgres: evidentiaRetriever(set.name, { index: stores.postgres, documents: stores.postgres }),
        };
        await compare(set, retrievers, maxQueries);
      } finally {
        for (const name of STORES) await stores[name].close();
        await dropSchema(url, schema);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
