/**
 * Crash safety of ingest: `npm run bench:faults [-- --kills 10 --seed 7 --rows 16407 --parts 8]`.
 * Splits ../shared/data/medquad_beir/corpus.jsonl into several files, then for SQLite and (when
 * EVIDENTIA_TEST_DATABASE_URL or DATABASE_URL names one) PostgreSQL: starts `evidentia ingest`
 * and kills it with SIGKILL at `kills` random moments, checking after each that the library
 * passes its integrity check and holds whole files only; then lets one run finish and checks
 * the library holds exactly every document. Prints each kill and a summary; exits 1 on a problem.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import type { Store } from '../src/ports/store.js';
import { killDuringIngest, splitCorpus, timeIngest } from './fault-harness.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const corpus = path.resolve(repoRoot, '../shared/data/medquad_beir/corpus.jsonl');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const kills = arg('kills', 10);
  const seed = arg('seed', 7);
  const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-faults-'));
  const library = splitCorpus(corpus, path.join(dir, 'library'), arg('parts', 8), arg('rows', Infinity));
  const total = library.files.reduce((s, f) => s + f.length, 0);
  console.log(`library: ${total} documents in ${library.files.length} files; ${kills} kills per store, seed ${seed}`);

  const url = process.env['EVIDENTIA_TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  const schema = `evidentia_faults_${randomBytes(4).toString('hex')}`;
  const sqliteFile = path.join(dir, 'lib.db');
  const targets: Array<{ name: string; open: () => Store; env: Record<string, string>; reset: () => Promise<void> }> = [
    {
      name: 'sqlite',
      open: () => openSqliteStore(sqliteFile),
      env: { EVIDENTIA_DB: sqliteFile, DATABASE_URL: '' },
      reset: async () => {
        for (const suffix of ['', '-wal', '-shm']) await rm(`${sqliteFile}${suffix}`, { force: true });
      },
    },
  ];
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const withSchema = new URL(url);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    targets.push({
      name: 'postgres',
      open: () => openPostgresStore(url, { schema }),
      env: { DATABASE_URL: withSchema.toString() },
      reset: async () => admin(url, `DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`),
    });
  } else {
    console.log('postgres: skipped (set EVIDENTIA_TEST_DATABASE_URL to a postgres:// URL)');
  }

  // Kill moments are drawn from inside an uninterrupted SQLite run on this machine (PostgreSQL
  // loads more slowly, so they fall inside its runs too); --max-ms overrides the upper bound.
  const calibration = await timeIngest(library.folder, {
    EVIDENTIA_DB: path.join(dir, 'scratch.db'),
    DATABASE_URL: '',
  });
  const window = { min: 300, max: arg('max-ms', Math.round(calibration * 0.9)) };
  console.log(
    `an uninterrupted SQLite ingest takes ${calibration} ms; kills drawn from ${window.min}–${window.max} ms`,
  );

  let failed = false;
  try {
    for (const target of targets) {
      // The schema must exist before the child's first connection sets search_path to it.
      if (target.name === 'postgres') await admin(url!, `CREATE SCHEMA ${schema}`);
      const started = Date.now();
      const result = await killDuringIngest({
        library,
        open: target.open,
        env: target.env,
        kills,
        seed,
        window,
        reset: target.reset,
        onRun: (run, i) =>
          console.log(
            `${target.name} kill ${i + 1}: after ${run.killAfterMs} ms ${run.killed ? 'killed' : 'had finished'}; ` +
              `${run.filesPresent}/${library.files.length} files, ${run.documents} documents; ` +
              `${run.problems.length === 0 ? 'integrity ok' : `PROBLEMS: ${run.problems.join('; ')}`}`,
          ),
      });
      const killed = result.runs.filter((r) => r.killed).length;
      const midway = result.runs.filter((r) => r.killed && r.filesPresent < library.files.length).length;
      const bad = result.runs.filter((r) => r.problems.length > 0).length + (result.final.problems.length > 0 ? 1 : 0);
      failed ||= bad > 0;
      console.log(
        `${target.name}: ${killed}/${kills} runs killed (${midway} with files still to load), ${bad} with problems; final library ${result.final.documents}/${result.final.expected} documents, ` +
          `${result.final.problems.length === 0 ? 'integrity ok' : `PROBLEMS: ${result.final.problems.join('; ')}`} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
  } finally {
    if (targets.some((t) => t.name === 'postgres')) await admin(url!, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await rm(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

await main();
