/**
 * Speed of the dense side of retrieval: `npm run bench:dense [-- 16000,100000]`.
 * Builds a library of that many one-passage documents in a temp folder, stores a random unit
 * vector of 384 numbers (the size of MiniLM and BGE-small) for every passage in the sqlite-vec
 * index, then times 200 nearest-document searches (100 documents each, exact cosine kNN plus the
 * join to documents): p50/p95 in milliseconds, with the load average beside them. No model runs:
 * this measures the vector search alone, not embedding and not quality.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { openSqliteVectorIndex } from '../src/adapters/vector/sqlite-vector-index.js';
import { percentile } from '../src/eval/retrieval-metrics.js';

const sizes = (process.argv[2] ?? '16000,100000').split(',').map(Number);
const DIMENSION = 384;
const QUERIES = 200;
const BATCH = 2000;

/** A random direction (normal coordinates, scaled to length 1), from a small seeded generator. */
function randomUnit(next: () => number): number[] {
  const v = Array.from({ length: DIMENSION }, () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  });
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const next = seeded(42);
const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-dense-'));
const file = path.join(dir, 'library.db');
const store = openSqliteStore(file);
const vectors = openSqliteVectorIndex(file);
const model = { name: 'random-384', dimension: DIMENSION };
console.log(`vector search, ${DIMENSION} dimensions, ${QUERIES} queries of 100 documents; sizes ${sizes.join(', ')}`);
console.log('passages  p50 ms  p95 ms  |  build s  |  load average');
let count = 0;
try {
  for (const size of sizes) {
    const started = performance.now();
    while (count < size) {
      const upto = Math.min(size, count + BATCH);
      await store.importDocuments(async (session) => {
        for (let i = count; i < upto; i++) {
          await session.put({
            id: `speed-${i}`,
            kind: 'other',
            title: `Speed test document ${i}`,
            text: `This is passage ${i} of the vector search speed test.`,
            meshTerms: [],
            publicationTypes: [],
            funding: [],
            sections: [],
            recommendations: [],
            metadata: {},
          });
        }
      });
      count = upto;
      for (;;) {
        const pending = await vectors.pendingPassages(BATCH);
        if (pending.length === 0) break;
        await vectors.upsertVectors(
          model,
          pending.map((p) => ({ passageId: p.passageId, vector: randomUnit(next) })),
        );
      }
    }
    const built = (performance.now() - started) / 1000;
    const queries = Array.from({ length: QUERIES }, () => randomUnit(next));
    for (const q of queries.slice(0, 20)) await vectors.nearestDocuments(q, 100);
    const latencies: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      const found = await vectors.nearestDocuments(q, 100);
      latencies.push(performance.now() - t);
      if (found.length !== 100) throw new Error(`expected 100 documents, got ${found.length}`);
    }
    console.log(
      `${String(size).padStart(8)}  ${percentile(latencies, 50).toFixed(1).padStart(6)}  ${percentile(latencies, 95)
        .toFixed(1)
        .padStart(6)}  |  ${built.toFixed(1).padStart(7)}  |  ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  }
} finally {
  await vectors.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
