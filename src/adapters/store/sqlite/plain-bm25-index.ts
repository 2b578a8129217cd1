import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EvidentiaError } from '../../../domain/errors.js';
import type { PlainTextDocument, PlainTextIndex } from '../../../ports/plain-text-index.js';
import { toMatchExpression } from './fts-query.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS plain_docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
  CREATE VIRTUAL TABLE IF NOT EXISTS plain_fts USING fts5(
    title, text, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
  );`;

/**
 * Plain FTS5 BM25 over whole documents (title + text, porter tokenizer, equal column weights),
 * queried with the OR of the query's words: the baseline of retrieval evaluation. It lives in
 * its own SQLite file (or in memory), apart from the library.
 * @param file the database file, or ':memory:'
 */
export function openPlainBm25Index(file: string): PlainTextIndex {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new EvidentiaError('STORE_UNAVAILABLE', `cannot open ${file}: ${(cause as Error).message}`, { cause });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
  const insertDoc = db.prepare('INSERT INTO plain_docs (id) VALUES (?)');
  const insertFts = db.prepare('INSERT INTO plain_fts (rowid, title, text) VALUES (?, ?, ?)');
  const search = db.prepare<[string, number], { id: string; score: number }>(
    `SELECT d.id AS id, bm25(plain_fts) AS score FROM plain_fts JOIN plain_docs d ON d.rowid = plain_fts.rowid
     WHERE plain_fts MATCH ? ORDER BY score LIMIT ?`,
  );
  const addAll = db.transaction((documents: readonly PlainTextDocument[]) => {
    for (const doc of documents) {
      const rowid = insertDoc.run(doc.id).lastInsertRowid;
      insertFts.run(rowid, doc.title, doc.text);
    }
  });
  return {
    async add(documents) {
      addAll(documents);
    },
    async search(text, limit) {
      const match = toMatchExpression({ clauses: [{ text }] });
      if (match === null) return [];
      // bm25() is negative, better matches more negative; the port promises higher is better.
      return search.all(match, limit).map((r) => ({ id: r.id, score: -r.score }));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
