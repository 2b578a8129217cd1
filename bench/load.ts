/**
 * Load on loopback: `npm run bench:load [-- --clients 50 --seconds 60 --baseline-seconds 10]`.
 * Builds a library (the sample library plus NGC and MedQuAD from ../shared/data; `--small` for the
 * sample library only), starts `evidentia serve` as its own process, then runs first one client
 * (the baseline) and then `clients` clients at once for `seconds`. Each client asks patient
 * questions from ../shared/data/kqa/ (POST /api/ask) and reads articles (GET /api/articles/:id,
 * GET /articles/:id, GET /api/articles?q=…). A warm-up with all clients comes before the measured
 * window (`--warmup-seconds`), so memory is compared from a steady state. Prints requests, errors, p50/p95/max per route,
 * throughput, the server's resident memory at start, middle and end, and the load average.
 * Set DATABASE_URL=postgres://… (a database or schema of its own) to run it on PostgreSQL.
 * Exits 1 when any request failed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { MAX_QUESTION_LENGTH } from '../src/domain/question.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const data = path.resolve(repoRoot, '../shared/data');

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'baseline-seconds': { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '15' },
    'ask-share': { type: 'string', default: '0.25' },
    small: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
  },
});
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const BASELINE_SECONDS = Number(args['baseline-seconds']);
const WARMUP_SECONDS = Number(args['warmup-seconds']);
const ASK_SHARE = Number(args['ask-share']);

/** A small seeded generator, so two runs send the same mix of requests. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Patient questions from K-QA, as people typed them. */
function kqaQuestions(): string[] {
  return readFileSync(path.join(data, 'kqa/patient_questions_unanswered.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => String((JSON.parse(line) as { Question: unknown }).Question ?? '').trim())
    .filter((q) => q.length >= 2 && q.length <= MAX_QUESTION_LENGTH);
}

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

/** Starts `evidentia serve` on a free loopback port; resolves with its address and process. */
async function startServer(env: Record<string, string>, dbArgs: string[]) {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/evidentia.js'), ...dbArgs, 'serve', '--port', '0', '--ask-limit', '100000000'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  let err = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, base, stderr: () => err };
}

interface Phase {
  latencies: Map<string, number[]>;
  errors: Map<string, number>;
  firstErrors: string[];
  requests: number;
  seconds: number;
}

/**
 * Runs `clients` loops until `seconds` have passed. Each loop asks (share `askShare`) or reads
 * one of the articles asked so far, and records the latency per route.
 */
async function runPhase(
  base: string,
  clients: number,
  seconds: number,
  questions: readonly string[],
  articleIds: string[],
  next: () => number,
): Promise<Phase> {
  const phase: Phase = { latencies: new Map(), errors: new Map(), firstErrors: [], requests: 0, seconds };
  const deadline = performance.now() + seconds * 1000;
  const record = (route: string, ms: number) => {
    const list = phase.latencies.get(route) ?? [];
    list.push(ms);
    phase.latencies.set(route, list);
  };
  const fail = (route: string, what: string) => {
    phase.errors.set(route, (phase.errors.get(route) ?? 0) + 1);
    if (phase.firstErrors.length < 5) phase.firstErrors.push(`${route}: ${what}`);
  };
  const request = async (route: string, url: string, init?: RequestInit): Promise<string | undefined> => {
    const t = performance.now();
    phase.requests++;
    try {
      const response = await fetch(url, init);
      const body = await response.text();
      record(route, performance.now() - t);
      if (response.status !== 200) {
        fail(route, `HTTP ${response.status} ${body.slice(0, 160)}`);
        return undefined;
      }
      return body;
    } catch (error) {
      record(route, performance.now() - t);
      fail(route, (error as Error).message);
      return undefined;
    }
  };
  const loop = async () => {
    while (performance.now() < deadline) {
      const roll = next();
      if (roll < ASK_SHARE || articleIds.length === 0) {
        const question = questions[Math.floor(next() * questions.length)]!;
        const body = await request('POST /api/ask', `${base}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question, audience: next() < 0.7 ? 'patient' : 'clinician' }),
        });
        if (body) articleIds.push((JSON.parse(body) as { id: string }).id);
      } else {
        const id = articleIds[Math.floor(next() * articleIds.length)]!;
        const read = (roll - ASK_SHARE) / (1 - ASK_SHARE);
        if (read < 0.45) await request('GET /api/articles/:id', `${base}/api/articles/${id}`);
        else if (read < 0.9) await request('GET /articles/:id (HTML)', `${base}/articles/${id}`);
        else await request('GET /api/articles?q=…', `${base}/api/articles?q=pain&limit=20`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, loop));
  // Requests in flight at the deadline still finish, so the phase lasts a little longer.
  phase.seconds = (performance.now() - started) / 1000;
  return phase;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function report(name: string, phase: Phase): void {
  const errors = [...phase.errors.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\n${name}: ${phase.requests} requests in ${phase.seconds.toFixed(1)} s = ${(phase.requests / phase.seconds).toFixed(1)} req/s; errors ${errors}`,
  );
  for (const [route, list] of [...phase.latencies].sort()) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `  ${route.padEnd(26)} n=${String(sorted.length).padEnd(6)} p50 ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms  p95 ${percentile(sorted, 0.95).toFixed(1).padStart(7)} ms  max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms  errors ${phase.errors.get(route) ?? 0}`,
    );
  }
  for (const e of phase.firstErrors) console.log(`  error: ${e}`);
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  const onPostgres = Boolean(databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl));
  const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-load-'));
  const dbFile = path.join(dir, 'load.db');
  const dbArgs = onPostgres ? [] : ['--db', dbFile];
  const env: Record<string, string> = onPostgres ? { DATABASE_URL: databaseUrl! } : {};
  // Without PostgreSQL the bench keeps its own SQLite file, whatever else DATABASE_URL says.
  if (!onPostgres) env['DATABASE_URL'] = '';
  const library = [path.join(repoRoot, 'samples/library')];
  if (!args.small) {
    library.push(path.join(data, 'ngc_guideline_summaries/ngc_permissive_summaries.jsonl'));
    library.push(path.join(data, 'medquad/medquad_answered.jsonl'));
  }
  try {
    const t0 = performance.now();
    const app = openApp(
      loadConfig(onPostgres ? { databaseUrl: databaseUrl! } : { dbPath: dbFile }, { ...process.env, ...env }),
    );
    try {
      await app.ingest(library);
      const stats = await app.stats();
      console.log(
        `store ${onPostgres ? 'PostgreSQL' : 'SQLite'}; library ${stats.documents} documents, ${stats.passages} passages, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    } finally {
      await app.close();
    }
    const questions = kqaQuestions();
    const server = await startServer(env, dbArgs);
    const pid = server.child.pid!;
    const next = random(Number(args.seed));
    const articleIds: string[] = [];
    try {
      console.log(`server pid ${pid} at ${server.base}; ${questions.length} K-QA questions; load average ${load()}`);
      const baseline = await runPhase(server.base, 1, BASELINE_SECONDS, questions, articleIds, next);
      report('baseline, 1 client', baseline);

      // The same number of clients first, unmeasured, so memory is compared from a steady state.
      const warmup = await runPhase(server.base, CLIENTS, WARMUP_SECONDS, questions, articleIds, next);
      console.log(
        `\nwarm-up, ${CLIENTS} clients: ${warmup.requests} requests in ${warmup.seconds.toFixed(1)} s, errors ${[...warmup.errors.values()].reduce((a, b) => a + b, 0)}`,
      );
      const rss: Array<[number, number]> = [];
      const sampler = setInterval(() => rss.push([performance.now(), rssMb(pid)]), 1000);
      const start = performance.now();
      rss.push([start, rssMb(pid)]);
      const loadStart = load();
      const phase = await runPhase(server.base, CLIENTS, SECONDS, questions, articleIds, next);
      clearInterval(sampler);
      rss.push([performance.now(), rssMb(pid)]);
      report(`${CLIENTS} clients`, phase);
      const at = (fraction: number) => {
        const t = start + fraction * phase.seconds * 1000;
        return rss.reduce((best, s) => (Math.abs(s[0] - t) < Math.abs(best[0] - t) ? s : best))[1];
      };
      const peak = Math.max(...rss.map((s) => s[1]));
      console.log(
        `\nserver RSS: start ${at(0).toFixed(0)} MB, middle ${at(0.5).toFixed(0)} MB, end ${at(1).toFixed(0)} MB, peak ${peak.toFixed(0)} MB (${rss.length} samples)`,
      );
      console.log(`load average: ${loadStart} at start, ${load()} at end (2 cores shared)`);
      const errors = [...phase.errors.values(), ...baseline.errors.values(), ...warmup.errors.values()].reduce(
        (a, b) => a + b,
        0,
      );
      const alive = server.child.exitCode === null;
      console.log(`errors: ${errors}; server ${alive ? 'still running' : 'exited'}`);
      if (errors > 0 || !alive) process.exitCode = 1;
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
