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
});
