/**
 * Ingest rate and answer latency on a realistic library: `npm run bench:library [-- --queries N]`.
 *
 * 1. Ingests NGC, MedQuAD and the PubMedQA abstracts, each into a fresh SQLite file, in a child
 *    process of its own, and prints documents/s and that process's peak memory.
 * 2. Ingests all three into one library and times `ask` (the whole pipeline, article not saved)
 *    over the medquad_beir questions, printing p50/p95 — beside retrieval alone as the baseline
 *    in the same run.
 * Reads ../shared/data; writes only under the system temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app/app.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { retrieve } from '../src/pipeline/retrieve/index.js';
import { understand } from '../src/pipeline/understand/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = resolve(root, '../shared/data');
const SOURCES = {
  ngc: join(data, 'ngc_guideline_summaries/ngc_permissive_summaries.jsonl'),
  medquad: join(data, 'medquad/medquad_answered.jsonl'),
  pubmedqa: join(data, 'pubmedqa/pqal_corpus_contexts.jsonl'),
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

// Runs in a child so each figure is that ingest's own peak memory.
async function ingestWorker(db: string, file: string): Promise<void> {
  const app = createApp(openSqliteStore(db));
  const started = performance.now();
  const reports = await app.ingest([file]);
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  const documents = reports.reduce((n, r) => n + r.inserted + r.updated + r.unchanged, 0);
  process.stdout.write(JSON.stringify({ documents, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') return ingestWorker(args[1]!, args[2]!);
  if (!existsSync(data)) {
    console.error(`bench:library needs the datasets in ${data}`);
    process.exit(1);
  }
  const queryLimit = Number(args[args.indexOf('--queries') + 1] ?? NaN) || 2000;
  const tmp = mkdtempSync(join(tmpdir(), 'evidentia-bench-'));
  try {
    console.log('ingest (fresh library each, one child process each)');
    console.log('source     documents   seconds   docs/s   peak MB');
    for (const [name, file] of Object.entries(SOURCES)) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', join(tmp, `${name}.db`), file],
        { encoding: 'utf8', cwd: root, maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(out) as { documents: number; seconds: number; peakRssMb: number };
      console.log(
        `${name.padEnd(10)} ${String(r.documents).padStart(9)} ${r.seconds.toFixed(1).padStart(9)} ${Math.round(
          r.documents / r.seconds,
        )
          .toString()
          .padStart(8)} ${r.peakRssMb.toFixed(0).padStart(9)}`,
      );
    }

    const app = createApp(openSqliteStore(join(tmp, 'all.db')));
    await app.ingest(Object.values(SOURCES));
    const stats = await app.stats();
    const queries = readFileSync(join(data, 'medquad_beir/queries.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(0, queryLimit)
      .map((l) => (JSON.parse(l) as { text: string }).text);
    const askMs: number[] = [];
    const retrieveMs: number[] = [];
    const outcomes: Record<string, number> = {};
    for (const q of queries) {
      let t = performance.now();
      await retrieve(understand({ text: q }), { index: app.store });
      retrieveMs.push(performance.now() - t);
      t = performance.now();
      const article = await app.ask(q, 'clinician', { save: false });
      askMs.push(performance.now() - t);
      outcomes[article.status] = (outcomes[article.status] ?? 0) + 1;
    }
    await app.close();
    askMs.sort((a, b) => a - b);
    retrieveMs.sort((a, b) => a - b);
    console.log(
      `\nlibrary: ${stats.documents} documents, ${stats.passages} passages; ${queries.length} medquad_beir questions`,
    );
    console.log('stage               p50 ms   p95 ms');
    console.log(
      `retrieve (baseline) ${percentile(retrieveMs, 50).toFixed(1).padStart(6)} ${percentile(retrieveMs, 95).toFixed(1).padStart(8)}`,
    );
    console.log(
      `ask (whole answer)  ${percentile(askMs, 50).toFixed(1).padStart(6)} ${percentile(askMs, 95).toFixed(1).padStart(8)}`,
    );
    console.log(`outcomes: ${JSON.stringify(outcomes)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
