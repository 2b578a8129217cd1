import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { tempDir, testDocument } from './helpers.js';

const INDEXES = ['passages_fts', 'documents_fts'] as const;

/** 300 words from a vocabulary of 500: a few thousand documents make MBs of postings. */
function bulkDocument(n: number) {
  const words = Array.from({ length: 300 }, (_, i) => `term${(n * 7 + i * 13) % 500}`).join(' ');
  return testDocument(`bulk:${n}`, [{ heading: 'Findings', text: `Finding ${n}: ${words}.` }]);
}

describe('SQLite import and the full-text index settings', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.dir, 'lib.db');
  });
  afterEach(() => dir.cleanup());

  /** Segments and stored `hashsize` of each index, read through a second connection. */
  function inspect(): Record<string, { segments: number; hashsize: number | undefined }> {
    const raw = new Database(file, { readonly: true });
    try {
      return Object.fromEntries(
        INDEXES.map((table) => [
          table,
          {
            segments: raw.prepare<[], { n: number }>(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get()!.n,
            hashsize: raw.prepare<[], { v: number }>(`SELECT v FROM ${table}_config WHERE k = 'hashsize'`).get()?.v,
          },
        ]),
      );
    } finally {
      raw.close();
    }
  }

  it('writes a bulk import as few segments and leaves the default hash size stored', async () => {
    const store = openSqliteStore(file);
    // ~4 MB of index data: FTS5's default 1 MiB hash would flush it as several segments.
    await store.importDocuments(async (session) => {
      for (let n = 0; n < 2500; n++) await session.put(bulkDocument(n));
    });
    await store.close();
    for (const table of INDEXES) expect(inspect()[table]).toEqual({ segments: 1, hashsize: 1024 * 1024 });
  });

  it('puts back a hash size the library had stored, and a failed import changes nothing', async () => {
    const store = openSqliteStore(file);
    await store.close();
    const setup = new Database(file);
    for (const table of INDEXES) setup.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('hashsize', 2097152)`);
    setup.close();

    const again = openSqliteStore(file);
    await again.importDocuments(async (session) => void (await session.put(bulkDocument(1))));
    expect(inspect().passages_fts?.hashsize).toBe(2097152);
    expect(inspect().documents_fts?.hashsize).toBe(2097152);

    await expect(
      again.importDocuments(async (session) => {
        await session.put(bulkDocument(2));
        throw new Error('stopped halfway');
      }),
    ).rejects.toThrow('stopped halfway');
    expect(inspect()).toEqual({
      passages_fts: { segments: 1, hashsize: 2097152 },
      documents_fts: { segments: 1, hashsize: 2097152 },
    });
    expect(await again.getDocument('bulk:2')).toBeNull();
    await again.close();
  });

  /** The library's journal mode, read through a second connection. */
  function journalMode(): string {
    const raw = new Database(file, { readonly: true });
    try {
      return raw.pragma('journal_mode', { simple: true }) as string;
    } finally {
      raw.close();
    }
  }

  it('loads an empty library through the rollback journal, then goes back to the log', async () => {
    const store = openSqliteStore(file);
    const journalDuring: boolean[] = [];
    await store.importDocuments(async (session) => {
      for (let n = 0; n < 600; n++) await session.put(bulkDocument(n));
      journalDuring.push(existsSync(`${file}-journal`));
    });
    expect(journalDuring).toEqual([true]);
    expect(journalMode()).toBe('wal');
    // The library has documents now: later imports keep the log, so readers go on reading.
    await store.importDocuments(async (session) => {
      await session.put(bulkDocument(9999));
      journalDuring.push(existsSync(`${file}-journal`));
    });
    expect(journalDuring).toEqual([true, false]);
    expect((await store.stats()).documents).toBe(601);
    await store.close();
  });

  it('keeps the log when another connection has the empty library open', async () => {
    const store = openSqliteStore(file);
    const reader = openSqliteStore(file);
    let journal = true;
    const started = Date.now();
    await store.importDocuments(async (session) => {
      await session.put(bulkDocument(1));
      journal = existsSync(`${file}-journal`);
    });
    expect(journal).toBe(false);
    // Leaving the log is refused at once, not after the lock timeout.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await reader.getDocument('bulk:1')).not.toBeNull();
    await reader.close();
    await store.close();
  });

  it('leaves an empty library empty and in the log after a first import fails', async () => {
    const store = openSqliteStore(file);
    await expect(
      store.importDocuments(async (session) => {
        for (let n = 0; n < 300; n++) await session.put(bulkDocument(n));
        throw new Error('stopped halfway');
      }),
    ).rejects.toThrow('stopped halfway');
    expect((await store.stats()).documents).toBe(0);
    expect(existsSync(`${file}-journal`)).toBe(false);
    expect(journalMode()).toBe('wal');
    await store.close();
  });

  it('refuses to open a library while a first import holds it, with a clear error', async () => {
    const store = openSqliteStore(file);
    let opened: unknown;
    await store.importDocuments(async (session) => {
      for (let n = 0; n < 600; n++) await session.put(bulkDocument(n));
      try {
        openSqliteStore(file);
      } catch (error) {
        opened = error;
      }
    });
    expect(opened).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/first import/) });
    await store.close();
    // Once the import has ended the library opens again, with everything it stored.
    const again = openSqliteStore(file);
    expect((await again.stats()).documents).toBe(600);
    await again.close();
  });
});
