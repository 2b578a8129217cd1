import type Database from 'better-sqlite3';
import type { OptimizeProgress, SearchIndexStatistics } from '../../../ports/store.js';
import { readVarints } from './bm25-scoring.js';

/**
 * The full-text indexes are contentless with `contentless_delete = 1`. FTS5 cannot lower the
 * averages record of such a table on DELETE (it never sees the old tokens), so every delete
 * leaves the row count and token totals as they were and a delete-then-insert of the same rowid
 * raises them: BM25 then normalises by a document count and mean length that drift from the
 * library's. This module detects the drift and rebuilds an index from the stored rows.
 */

/** The text of one row of an index, column by column: title, headings, body. */
export interface IndexRow {
  title: string;
  heading: string;
  body: string;
}

/**
 * The passages_fts row of one passage: the document's title, the passage's heading and its text.
 * Both the import and the rebuild write it from here, so the two cannot differ.
 * @param title the document's title
 * @param heading the passage's section heading
 * @param text the document's full text
 * @param start the passage's first character in `text`
 * @param end one past its last character
 */
export function passageIndexRow(title: string, heading: string, text: string, start: number, end: number): IndexRow {
  return { title, heading, body: text.slice(start, end) };
}

/**
 * The documents_fts row of one document: its title, its distinct non-empty passage headings in
 * reading order joined by spaces, and its full text.
 * @param title the document's title
 * @param headings the heading of every passage, in passage order
 * @param text the document's full text
 */
export function documentIndexRow(title: string, headings: readonly string[], text: string): IndexRow {
  return { title, heading: [...new Set(headings.filter((h) => h !== ''))].join(' '), body: text };
}

/** Writes one row of each index: the store's own statements, so import and rebuild write alike. */
export interface IndexWriters {
  document(rowid: number | bigint, row: IndexRow): void;
  passage(rowid: number | bigint, row: IndexRow): void;
}

/** The averages record of an FTS5 table: rows counted and the token total of each column. */
export interface AveragesRecord {
  rows: number;
  columnTokens: number[];
}

/**
 * Reads FTS5's averages record (`<table>_data` id 1): SQLite varints, the row count first, then
 * each column's token total. An empty or missing record (new or cleared table) counts nothing.
 * @param block the record's bytes, or undefined when the table has none
 */
export function parseAveragesRecord(block: Uint8Array | undefined): AveragesRecord {
  const [rows = 0, ...columnTokens] = block ? readVarints(block) : [];
  return { rows, columnTokens };
}

/** Each full-text index, the table whose rows it indexes, and how to read its averages record. */
const INDEXES = [
  { index: 'documents', table: 'documents_fts', source: 'documents' },
  { index: 'passages', table: 'passages_fts', source: 'passages' },
] as const satisfies ReadonlyArray<{ index: SearchIndexStatistics['index']; table: string; source: string }>;

/** Documents read per step of a rebuild: bounded memory whatever the library's size. */
const REBUILD_BATCH = 500;

/** Reads the averages record of one index. */
export function readAveragesRecord(db: Database.Database, table: (typeof INDEXES)[number]['table']): AveragesRecord {
  const row = db.prepare<[], { block: Buffer }>(`SELECT block FROM ${table}_data WHERE id = 1`).get();
  return parseAveragesRecord(row?.block);
}

/** Each index's counted rows beside the rows it holds (the documents or passages stored). */
export function readSearchStatistics(db: Database.Database): SearchIndexStatistics[] {
  return INDEXES.map(({ index, table, source }) => ({
    index,
    counted: readAveragesRecord(db, table).rows,
    rows: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${source}`).get()!.n,
  }));
}

/**
 * Empties the given indexes and writes every stored document's rows again, as an import writes
 * them, so their averages records count exactly what they hold. Runs inside the caller's
 * transaction.
 * @param db the library, inside a write transaction
 * @param indexes the indexes to rebuild
 * @param write writes one index row
 * @param onProgress called after each batch with the documents done so far
 */
export function rebuildIndexes(
  db: Database.Database,
  indexes: ReadonlySet<SearchIndexStatistics['index']>,
  write: IndexWriters,
  onProgress?: (progress: OptimizeProgress) => void,
): void {
  const documents = indexes.has('documents');
  const passages = indexes.has('passages');
  if (!documents && !passages) return;
  if (documents) db.exec("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')");
  if (passages) db.exec("INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')");
  const batch = db.prepare<[number, number], { rowid: number; title: string; body: string }>(
    'SELECT rowid, title, body FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const passagesOf = db.prepare<[number], { rowid: number; heading: string; start: number; end: number }>(
    'SELECT rowid, heading, start, end FROM passages WHERE doc = ? ORDER BY rowid',
  );
  const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM documents').get()!.n;
  // Progress is reported against the documents read, whichever indexes are rebuilt.
  const index: SearchIndexStatistics['index'] = documents ? 'documents' : 'passages';
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = batch.all(after, REBUILD_BATCH);
    if (rows.length === 0) break;
    for (const d of rows) {
      const parts = passagesOf.all(d.rowid);
      if (passages) {
        for (const p of parts) {
          write.passage(p.rowid, passageIndexRow(d.title, p.heading, d.body, p.start, p.end));
        }
      }
      if (documents) {
        write.document(
          d.rowid,
          documentIndexRow(
            d.title,
            parts.map((p) => p.heading),
            d.body,
          ),
        );
      }
    }
    after = rows[rows.length - 1]!.rowid;
    done += rows.length;
    onProgress?.({ index, done, total });
  }
}
