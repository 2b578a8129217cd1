/**
 * Latency and throughput of the web application over real HTTP: `npm run bench:web [requests]`.
 * Starts the server on a temporary SQLite library holding the sample library, then measures
 * sign-in (scrypt), asking through the API, reading an article page, listing the library, and
 * article-page throughput with several clients at once. Prints median, p95 and max in ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/surfaces/http/server.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const requests = Number(process.argv[2] ?? 200);
const QUESTIONS = [
  'What are the considerations and procedures for a patient with chronic back pain undergoing basivertebral nerve ablation?',
  'How is uncomplicated cystitis in women treated?',
  'What are the risks of basivertebral nerve ablation?',
];

function summary(name: string, ms: number[]): void {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  console.log(
    `${name.padEnd(34)} n=${String(sorted.length).padEnd(5)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
}

async function timed(fn: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const r = await fn();
  await r.arrayBuffer();
  if (r.status >= 400) throw new Error(`HTTP ${r.status}`);
  return performance.now() - t;
}

const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-web-'));
const app = openApp(loadConfig({ dbPath: path.join(dir, 'bench.db') }));
await app.ingest([path.join(repoRoot, 'samples/library')]);
await app.accounts.addUser({ username: 'bench', password: 'bench-password-1', role: 'reviewer' }, 'cli');
const server = await buildServer(app, { askLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
const base = await server.listen({ host: '127.0.0.1', port: 0 });

try {
  const signIn: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await app.accounts.signIn('bench', 'bench-password-1');
    signIn.push(performance.now() - t);
  }
  summary('sign-in (scrypt N=2^17)', signIn);

  const ask: number[] = [];
  let id = '';
  for (let i = 0; i < Math.max(10, Math.floor(requests / 10)); i++) {
    const t = performance.now();
    const r = await fetch(`${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: QUESTIONS[i % QUESTIONS.length], audience: 'clinician' }),
    });
    id = ((await r.json()) as { id: string }).id;
    ask.push(performance.now() - t);
  }
  summary('POST /api/ask', ask);

  const page: number[] = [];
  for (let i = 0; i < requests; i++) page.push(await timed(() => fetch(`${base}/articles/${id}`)));
  summary('GET /articles/:id (HTML)', page);

  const list: number[] = [];
  for (let i = 0; i < Math.max(10, Math.floor(requests / 4)); i++)
    list.push(await timed(() => fetch(`${base}/api/articles?q=nerve`)));
  summary('GET /api/articles?q=…', list);

  const clients = 8;
  const t0 = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (done < requests) {
        done++;
        await timed(() => fetch(`${base}/articles/${id}`));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(`article pages, ${clients} clients at once: ${(done / seconds).toFixed(0)} requests/s`);
  console.log(`peak resident memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await server.close();
  await app.close();
  await rm(dir, { recursive: true, force: true });
}
