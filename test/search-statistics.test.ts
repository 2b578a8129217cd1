import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAveragesRecord, parseAveragesRecord } from '../src/adapters/store/sqlite/search-statistics.js';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import { SourceDocument } from '../src/domain/source.js';
import { loadEvalSet } from '../src/eval/beir-set.js';
import type { LexicalQuery, OptimizeProgress } from '../src/ports/store.js';

/** A search result of either kind: a document, or a passage with its offset. */
type Scored = { documentId: string; start?: number; score: number };
import { dataPath, HAS_SHARED_DATA, tempDir } from './helpers.js';

/** Both averages records of a library file, read straight from the file. */
function averagesRecords(
  file: string,
): Record<'documents_fts' | 'passages_fts', ReturnType<typeof readAveragesRecord>> {
  const db = new Database(file, { readonly: true });
  try {
    return {
      documents_fts: readAveragesRecord(db, 'documents_fts'),
      passages_fts: readAveragesRecord(db, 'passages_fts'),
    };
  } finally {
    db.close();
  }
}

/** A document with its text changed: the first half of its sections, so shorter and different. */
function shortened(document: SourceDocument): SourceDocument {
  const cut = Math.max(1, Math.floor(document.text.length / 2));
  const text = document.text.slice(0, cut);
  const sections = document.sections.filter((s) => s.start < cut).map((s) => ({ ...s, end: Math.min(s.end, cut) }));
  return SourceDocument.parse({ ...document, text, sections });
}

describe('averages record parsing', () => {
  it('reads SQLite varints of one and several bytes, and an empty record as nothing counted', () => {
    // 3 rows; 127 (one byte); 128 (0x81 0x00); 300 (0x82 0x2c).
    expect(parseAveragesRecord(Uint8Array.from([3, 127, 0x81, 0x00, 0x82, 0x2c]))).toEqual({
      rows: 3,
      columnTokens: [127, 128, 300],
    });
    expect(parseAveragesRecord(new Uint8Array())).toEqual({ rows: 0, columnTokens: [] });
    expect(parseAveragesRecord(undefined)).toEqual({ rows: 0, columnTokens: [] });
  });
});

describe.skipIf(!HAS_SHARED_DATA)('SQLite ranking statistics after changes and deletes (medquad_beir)', () => {
  const tmp = tempDir();
  const changedFile = join(tmp.dir, 'changed.db');
  const freshFile = join(tmp.dir, 'fresh.db');
  let changed: SqliteStore;
  let fresh: SqliteStore;
  const questions: string[] = [];
  let finalDocuments: SourceDocument[] = [];
  let before: ReturnType<typeof averagesRecords>;
  const progress: OptimizeProgress[] = [];
  let rebuilt: Array<{ index: string; counted: number; rows: number }> = [];

  beforeAll(async () => {
    const set = await loadEvalSet(dataPath('medquad_beir'));
    const documents: SourceDocument[] = [];
    for await (const { document } of set.documents()) {
      documents.push(SourceDocument.parse(document));
      if (documents.length === 600) break;
    }
    questions.push(...set.queries.slice(0, 30).map((q) => q.text));
    // Every 5th document changes, every 7th (not already changed) goes.
    const changes = documents.filter((_, i) => i % 5 === 0).map(shortened);
    const removed = documents.filter((_, i) => i % 7 === 0 && i % 5 !== 0).map((d) => d.id);
    const changedIds = new Set(changes.map((d) => d.id));
    finalDocuments = [
      ...documents.filter((d) => !changedIds.has(d.id) && !removed.includes(d.id)),
      ...changes.filter((d) => !removed.includes(d.id)),
    ];

    changed = openSqliteStore(changedFile);
    await changed.importDocuments(async (s) => {
      for (const d of documents) await s.put(d);
    });
    await changed.importDocuments(async (s) => {
      for (const d of changes) expect(await s.put(d)).toBe('updated');
      for (const id of removed) expect(await s.delete(id)).toBe(true);
    });
    fresh = openSqliteStore(freshFile);
    await fresh.importDocuments(async (s) => {
      for (const d of finalDocuments) await s.put(d);
    });
    before = averagesRecords(changedFile);
    const report = await changed.optimizeSearch({ onProgress: (p) => progress.push(p) });
    rebuilt = report.rebuilt;
    await fresh.optimizeSearch();
  }, 120_000);
  afterAll(async () => {
    await changed?.close();
    await fresh?.close();
    tmp.cleanup();
  });

  it('finds the averages records drifted after changes and deletes, and reports the drift', () => {
    const stats = averagesRecords(freshFile);
    // Each change (delete + insert of the same rowid) adds a row; each delete removes none.
    expect(before.documents_fts.rows).toBe(600 + 120);
    expect(stats.documents_fts.rows).toBe(finalDocuments.length);
    expect(rebuilt.map((r) => r.index)).toEqual(['documents', 'passages']);
    expect(rebuilt[0]).toEqual({ index: 'documents', counted: 720, rows: finalDocuments.length });
    expect(rebuilt[1]!.counted).toBe(before.passages_fts.rows);
    expect(rebuilt[1]!.counted).toBeGreaterThan(rebuilt[1]!.rows);
  });

  it('rebuilds them to equal a fresh library of the same documents, row count and every column total', async () => {
    expect(averagesRecords(changedFile)).toEqual(averagesRecords(freshFile));
    expect(averagesRecords(changedFile).documents_fts.columnTokens).toHaveLength(3);
    for (const s of await changed.searchStatistics()) expect(s.counted).toBe(s.rows);
  });

  it('reports its progress in documents, ending at all of them', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ index: 'documents', done: finalDocuments.length, total: finalDocuments.length });
  });

  it('scores every search as the fresh library does, to 1e-9', async () => {
    const keyed = (rows: Scored[]) => new Map(rows.map((r) => [`${r.documentId}@${r.start ?? 0}`, r.score]));
    let compared = 0;
    for (const text of questions) {
      const queries: LexicalQuery[] = [
        { clauses: [{ text }], limit: 10 },
        // With a kind filter, documents are ranked by FTS5's bm25() rather than the top-k search.
        { clauses: [{ text }], limit: 10, kinds: ['other'] },
      ];
      for (const query of queries) {
        const pairs: Array<[Scored[], Scored[]]> = [
          [await fresh.searchDocuments(query), await changed.searchDocuments(query)],
          [await fresh.searchPassages(query), await changed.searchPassages(query)],
        ];
        for (const [want, got] of pairs) {
          const wanted = keyed(want);
          // Equal scores may come in another order (the libraries number rows differently).
          expect(got.map((r) => r.score)).toHaveLength(want.length);
          got.forEach((r, i) => expect(Math.abs(r.score - want[i]!.score)).toBeLessThan(1e-9));
          for (const [key, score] of keyed(got)) {
            if (wanted.has(key)) expect(Math.abs(score - wanted.get(key)!)).toBeLessThan(1e-9);
          }
          compared += got.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('rebuilds nothing when the statistics are in step', async () => {
    const record = averagesRecords(changedFile);
    expect((await changed.optimizeSearch()).rebuilt).toEqual([]);
    expect(averagesRecords(changedFile)).toEqual(record);
  });
});
