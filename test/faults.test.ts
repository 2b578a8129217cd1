import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killDuringIngest, splitCorpus, timeIngest } from '../bench/fault-harness.js';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { dataPath, HAS_SHARED_DATA, tempDir } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';

// Killing the ingest process (SIGKILL, no chance to clean up) must leave each file whole or
// absent, an intact database, and a re-run must end with exactly every document.
// `npm run bench:faults` runs the full version (10 kills on all of medquad_beir).
describe.skipIf(!HAS_SHARED_DATA)('ingest killed with SIGKILL', () => {
  const tmp = tempDir();
  const library = splitCorpus(dataPath('medquad_beir/corpus.jsonl'), join(tmp.dir, 'library'), 6, 2400);
  afterAll(() => tmp.cleanup());
  // Kill moments are drawn from inside an uninterrupted run on this machine (SQLite; PostgreSQL
  // loads more slowly, so the same moments fall inside its runs too).
  let window = { min: 0, max: 0 };
  beforeAll(async () => {
    const ms = await timeIngest(library.folder, { EVIDENTIA_DB: join(tmp.dir, 'scratch.db'), DATABASE_URL: '' });
    window = { min: Math.round(ms * 0.2), max: Math.round(ms * 0.8) };
  }, 120_000);

  const check = (result: Awaited<ReturnType<typeof killDuringIngest>>) => {
    for (const run of result.runs) expect(run.problems, `kill after ${run.killAfterMs} ms`).toEqual([]);
    // At least one kill must land mid-ingest, or the test proved nothing.
    expect(result.runs.some((r) => r.killed && r.filesPresent < library.files.length)).toBe(true);
    expect(result.final.problems).toEqual([]);
    expect(result.final.documents).toBe(result.final.expected);
  };

  it('leaves SQLite whole and complete after a re-run', async () => {
    const file = join(tmp.dir, 'lib.db');
    const result = await killDuringIngest({
      library,
      open: () => openSqliteStore(file),
      env: { EVIDENTIA_DB: file, DATABASE_URL: '' },
      reset: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
      kills: 3,
      seed: 11,
      window,
    });
    check(result);
  }, 240_000);

  it.skipIf(NO_POSTGRES)(
    'leaves PostgreSQL whole and complete after a re-run',
    async () => {
      const schema = uniqueSchema();
      await adminQuery(`CREATE SCHEMA ${schema}`);
      try {
        const url = new URL(POSTGRES_URL!);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const result = await killDuringIngest({
          library,
          open: () => openPostgresStore(POSTGRES_URL!, { schema }),
          env: { DATABASE_URL: url.toString() },
          reset: async () => void (await adminQuery(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`)),
          kills: 3,
          seed: 11,
          window,
        });
        check(result);
      } finally {
        await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    },
    240_000,
  );
});
