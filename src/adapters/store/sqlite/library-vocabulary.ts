import type Database from 'better-sqlite3';
import type { IndexedTerm, NearTerms, WordInLibrary } from '../../../ports/store.js';
import { tokenize } from '../index-tokens.js';

/**
 * The whole-document index's term list as a table (FTS5's fts5vocab), in the connection's temp
 * schema: it stores nothing, so it needs no migration and works on a library opened read-only.
 */
const CREATE_VOCABULARY = `CREATE VIRTUAL TABLE IF NOT EXISTS temp.documents_vocab USING fts5vocab(main, documents_fts, row)`;
// One row is enough to know a word is there; FTS5 stops reading its postings at the first.
const ANY_DOCUMENT = `SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1`;
// The term column takes range constraints, so only the prefix's stretch of the term list is read.
const NEAR_TERMS = `SELECT term, doc AS documents FROM temp.documents_vocab
  WHERE term >= ? AND term < ? AND term <> ? AND length(term) BETWEEN ? AND ?
  ORDER BY doc DESC, term LIMIT ?`;

/** The first string after every string that starts with `prefix` (its last character bumped). */
export function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1) ?? 0;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

/**
 * Looks words up in a SQLite library's whole-document index (see LibraryVocabulary).
 * @param db the library's connection
 * @param words words as written
 * @param near which neighbouring terms to list, if any
 */
export function lookUpWords(db: Database.Database, words: readonly string[], near?: NearTerms): WordInLibrary[] {
  const any = db.prepare<[string], number>(ANY_DOCUMENT).pluck();
  let nearTerms: Database.Statement<[string, string, string, number, number, number], IndexedTerm> | undefined;
  return words.map((word) => {
    const terms = tokenize(word);
    // The word itself goes to MATCH (quoted, so it is only words): FTS5 tokenizes it as it indexed.
    const present = terms.length > 0 && any.get(`"${word.replace(/"/g, '""')}"`) !== undefined;
    let found: IndexedTerm[] = [];
    const term = terms[0];
    if (near && terms.length === 1 && term !== undefined && term.length >= near.prefix) {
      if (!nearTerms) {
        db.exec(CREATE_VOCABULARY);
        nearTerms = db.prepare(NEAR_TERMS);
      }
      const prefix = term.slice(0, near.prefix);
      found = nearTerms.all(
        prefix,
        prefixEnd(prefix),
        term,
        Math.max(1, term.length - near.lengthDifference),
        term.length + near.lengthDifference,
        near.limit,
      );
    }
    return { word, terms, present, near: found };
  });
}
