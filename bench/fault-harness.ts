import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beirDocumentId } from '../src/ingest/beir/beir-importer.js';
import { createIdDeduper } from '../src/ingest/common/unique-ids.js';
import type { Store } from '../src/ports/store.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** One BEIR corpus split into several files, so an ingest commits file by file. */
export interface SplitLibrary {
  folder: string;
  /** The document ids of each file, in the order ingest reads them. */
  files: string[][];
}

/**
 * Splits a BEIR corpus.jsonl into `parts` folders (`part-01/corpus.jsonl` …) under `folder`.
 * @param corpus the source corpus.jsonl
 * @param maxRows rows to keep from the top of the corpus
 */
export function splitCorpus(corpus: string, folder: string, parts: number, maxRows = Infinity): SplitLibrary {
  const rows = readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, maxRows);
  const size = Math.ceil(rows.length / parts);
  const files: string[][] = [];
  for (let p = 0; p < parts; p++) {
    const name = `part-${String(p + 1).padStart(2, '0')}`;
    const chunk = rows.slice(p * size, (p + 1) * size);
    if (chunk.length === 0) break;
    mkdirSync(path.join(folder, name), { recursive: true });
    writeFileSync(path.join(folder, name, 'corpus.jsonl'), `${chunk.join('\n')}\n`);
    // The importer's own rule for repeated ids within a file (`~2`, `~3`…).
    const unique = createIdDeduper();
    files.push(chunk.map((l) => unique(beirDocumentId(name, String((JSON.parse(l) as { _id: string | number })._id)))));
  }
  return { folder, files };
}

/** A seeded generator (mulberry32), so a run's kill moments can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `evidentia ingest` as a child; kills it with SIGKILL after `killAfterMs` unless it ends first. */
export function ingestChild(
  folder: string,
  env: Record<string, string>,
  killAfterMs: number | null,
): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/evidentia.js'), 'ingest', folder], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let killed = false;
    const timer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ killed, code, stderr });
    });
  });
}

/**
 * How long an uninterrupted `evidentia ingest` of the library takes, in milliseconds, so kill
 * moments can be drawn from inside a run whatever the machine's speed.
 * @param env the child's environment, pointing at a scratch library
 */
export async function timeIngest(folder: string, env: Record<string, string>): Promise<number> {
  const started = Date.now();
  const run = await ingestChild(folder, env, null);
  if (run.code !== 0) throw new Error(`calibration ingest failed: ${run.stderr.trim()}`);
  return Date.now() - started;
}

/**
 * What a library holds of a split corpus: documents per file. A sound library after a crash
 * holds each file whole or not at all, and whole files form a prefix of the ingest order.
 * @returns problems found (empty when the library is exactly some prefix of the files)
 */
export async function checkWholeFiles(
  store: Store,
  library: SplitLibrary,
): Promise<{ problems: string[]; filesPresent: number; documents: number }> {
  const problems: string[] = [];
  const present: number[] = [];
  for (const ids of library.files) present.push((await store.getDocuments(ids)).size);
  present.forEach((n, i) => {
    if (n !== 0 && n !== library.files[i]!.length) {
      problems.push(`file ${i + 1} is half-written: ${n} of ${library.files[i]!.length} documents`);
    }
  });
  const whole = present.map((n, i) => n === library.files[i]!.length && n > 0);
  const filesPresent = whole.filter(Boolean).length;
  if (whole.some((w, i) => w && whole.slice(0, i).some((x) => !x))) {
    problems.push(`files present out of order: ${whole.map((w) => (w ? '1' : '0')).join('')}`);
  }
  const documents = (await store.stats()).documents;
  const expected = present.reduce((s, n) => s + n, 0);
  if (documents !== expected) problems.push(`library holds ${documents} documents, expected ${expected}`);
  problems.push(...(await store.checkIntegrity()));
  return { problems, filesPresent, documents };
}

export interface KillRun {
  killAfterMs: number;
  killed: boolean;
  filesPresent: number;
  documents: number;
  problems: string[];
}

/**
 * Kills `evidentia ingest` at `kills` random moments, checking the library after each (a run
 * that got to the end empties the library first, so every kill meets work to do), then
 * lets one run finish and checks the library holds every document of every file.
 * @param open opens the library the child writes to (a fresh connection each time)
 * @param env the child's environment (EVIDENTIA_DB or DATABASE_URL)
 * @param window kill moments are drawn uniformly from [min, max] milliseconds after spawn
 */
export async function killDuringIngest(options: {
  library: SplitLibrary;
  open: () => Store;
  env: Record<string, string>;
  kills: number;
  window: { min: number; max: number };
  seed: number;
  /** Empties the library; called when a run finished everything, so the next kill meets real work. */
  reset: () => Promise<void>;
  onRun?: (run: KillRun, index: number) => void;
}): Promise<{ runs: KillRun[]; final: { problems: string[]; documents: number; expected: number } }> {
  const random = seededRandom(options.seed);
  const runs: KillRun[] = [];
  for (let i = 0; i < options.kills; i++) {
    if (runs.at(-1)?.filesPresent === options.library.files.length) await options.reset();
    const killAfterMs = Math.round(options.window.min + random() * (options.window.max - options.window.min));
    const child = await ingestChild(options.library.folder, options.env, killAfterMs);
    const store = options.open();
    try {
      const check = await checkWholeFiles(store, options.library);
      if (!child.killed && child.code !== 0) check.problems.push(`ingest failed: ${child.stderr.trim()}`);
      const run = { killAfterMs, killed: child.killed, ...check };
      runs.push(run);
      options.onRun?.(run, i);
    } finally {
      await store.close();
    }
  }
  const last = await ingestChild(options.library.folder, options.env, null);
  const store = options.open();
  try {
    const check = await checkWholeFiles(store, options.library);
    if (last.code !== 0) check.problems.push(`final ingest failed: ${last.stderr.trim()}`);
    const expected = options.library.files.reduce((s, f) => s + f.length, 0);
    if (check.documents !== expected) check.problems.push(`final library holds ${check.documents} of ${expected}`);
    return { runs, final: { problems: check.problems, documents: check.documents, expected } };
  } finally {
    await store.close();
  }
}
