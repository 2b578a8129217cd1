/**
 * PostgreSQL against SQLite on the BEIR sets: `npm run bench:store-compare [-- --queries N]`.
 * Needs EVIDENTIA_TEST_DATABASE_URL or DATABASE_URL (a postgres:// URL; tables go in a throwaway
 * schema). Loads bioasq_dev and medquad_beir from ../shared/data into both stores, asks every
 * query (or the first N) through the pipeline's own understand + retrieve stages, and prints
 * per set: nDCG@10 of each store, the mean top-10 document overlap, and query latency p50/p95.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { beirDocumentId } from '../src/ingest/beir/beir-importer.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { DEFAULT_RETRIEVE_OPTIONS, retrieve } from '../src/pipeline/retrieve/index.js';
import { understand } from '../src/pipeline/understand/index.js';
import type { Store } from '../src/ports/store.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const SETS = ['bioasq_dev', 'medquad_beir'];
const K = 10;

/** nDCG@k with graded relevance (qrels score), log2 discount. */
export function ndcgAtK(ranked: readonly string[], relevance: ReadonlyMap<string, number>, k = K): number {
  const dcg = ranked
    .slice(0, k)
    .reduce((sum, id, i) => sum + (2 ** (relevance.get(id) ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = [...relevance.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function readQueries(set: string): Array<{ id: string; text: string }> {
  return readFileSync(path.join(dataDir, set, 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { _id: string; text: string })
    .map((q) => ({ id: String(q._id), text: q.text }));
}

function readQrels(set: string): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(path.join(dataDir, set, 'qrels.tsv'), 'utf8')
    .split('\n')
    .slice(1);
  for (const line of lines) {
    const [query, doc, score] = line.split('\t');
    if (!query || !doc) continue;
    const map = qrels.get(query) ?? new Map<string, number>();
    map.set(beirDocumentId(set, doc), Number(score));
    qrels.set(query, map);
  }
  return qrels;
}

async function rankedDocuments(store: Store, text: string): Promise<{ ids: string[]; ms: number }> {
  const question = understand({ text, audience: 'clinician' });
  const started = performance.now();
  const result = await retrieve(question, { index: store }, DEFAULT_RETRIEVE_OPTIONS);
  return { ids: result.documents.map((d) => d.documentId), ms: performance.now() - started };
}

async function main(): Promise<void> {
  const url = process.env['EVIDENTIA_TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error('set EVIDENTIA_TEST_DATABASE_URL (or DATABASE_URL) to a postgres:// URL');
    process.exit(2);
  }
  const limitArg = process.argv.indexOf('--queries');
  const maxQueries = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Infinity;
  const schema = `evidentia_bench_${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-compare-'));
  const stores: Array<[string, Store]> = [
    ['sqlite', openSqliteStore(path.join(dir, 'lib.db'))],
    ['postgres', openPostgresStore(url, { schema })],
  ];
  try {
    for (const set of SETS) {
      for (const [name, store] of stores) {
        const started = performance.now();
        await ingestPaths(store, [path.join(dataDir, set, 'corpus.jsonl')]);
        const stats = await store.stats();
        console.log(
          `${set}: loaded into ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s (library now ${stats.documents} documents, ${stats.passages} passages)`,
        );
      }
    }
    for (const set of SETS) {
      const qrels = readQrels(set);
      const queries = readQueries(set)
        .filter((q) => qrels.has(q.id))
        .slice(0, maxQueries);
      const ndcg: Record<string, number[]> = { sqlite: [], postgres: [] };
      const latency: Record<string, number[]> = { sqlite: [], postgres: [] };
      const overlap: number[] = [];
      // Warm both stores (page cache, prepared plans) before timing.
      for (const q of queries.slice(0, 20)) for (const [, store] of stores) await rankedDocuments(store, q.text);
      for (const q of queries) {
        const tops: string[][] = [];
        for (const [name, store] of stores) {
          const { ids, ms } = await rankedDocuments(store, q.text);
          ndcg[name]!.push(ndcgAtK(ids, qrels.get(q.id)!));
          latency[name]!.push(ms);
          tops.push(ids.slice(0, K));
        }
        const [a, b] = tops as [string[], string[]];
        const union = new Set([...a, ...b]).size;
        overlap.push(union === 0 ? 1 : a.filter((id) => b.includes(id)).length / Math.max(a.length, b.length, 1));
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
      console.log(`\n${set}: ${queries.length} queries (both sets loaded in each store)`);
      for (const [name] of stores) {
        console.log(
          `  ${name.padEnd(8)} nDCG@10 ${mean(ndcg[name]!).toFixed(4)}   retrieve p50 ${percentile(latency[name]!, 50).toFixed(1)} ms  p95 ${percentile(latency[name]!, 95).toFixed(1)} ms`,
        );
      }
      console.log(
        `  nDCG@10 difference (postgres − sqlite) ${(mean(ndcg['postgres']!) - mean(ndcg['sqlite']!)).toFixed(4)}; mean top-10 overlap ${(100 * mean(overlap)).toFixed(1)}%`,
      );
    }
  } finally {
    for (const [, store] of stores) await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
