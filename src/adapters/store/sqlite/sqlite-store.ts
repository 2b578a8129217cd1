import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Article } from '../../../domain/article.js';
import { EvidentiaError } from '../../../domain/errors.js';
import type { ScoredPassage, Sentence } from '../../../domain/passage.js';
import { segmentDocument } from '../../../domain/segment.js';
import {
  SourceDocument,
  type EvidenceKind,
  type SourceDocumentInput,
  type StoredDocument,
} from '../../../domain/source.js';
import { sha256 } from '../../../domain/text.js';
import type { Clock } from '../../../ports/clock.js';
import { systemClock } from '../../../ports/clock.js';
import type { AuditEntry, User, UserRecord } from '../../../domain/account.js';
import type { Thread, ThreadTurn } from '../../../domain/thread.js';
import type {
  ArticleVersionInfo,
  Credential,
  ArticleSummary,
  ImportCounts,
  ImportSession,
  LexicalQuery,
  LibraryStats,
  NearTerms,
  OptimizeProgress,
  OptimizeReport,
  SearchIndexStatistics,
  PutOutcome,
  ScoredDocument,
  Store,
  WordInLibrary,
} from '../../../ports/store.js';
import { DEFAULT_SEARCH_BUDGET, DocumentSearch } from './document-search.js';
import { toMatchExpression } from './fts-query.js';
import { lookUpWords } from './library-vocabulary.js';
import { loadNativeRanking, type SearchRanking } from './native-ranking.js';
import {
  documentIndexRow,
  passageIndexRow,
  readSearchStatistics,
  rebuildIndexes,
  type IndexWriters,
} from './search-statistics.js';
import { SqliteAccounts } from './sqlite-accounts.js';
import { MIGRATIONS } from './schema.js';

interface DocumentRow {
  rowid: number;
  id: string;
  version: number;
  content_hash: string;
  body: string;
  meta: string;
  updated_at: string;
}

/** Sentence spans packed per document: section, start, end of each sentence in reading order. */
type SentenceSpans = number[];

const DEFAULT_FIELD_WEIGHTS = { title: 2, heading: 1, body: 1 } as const;

/** Bytes of the library file mapped into memory for reads; pages read stay resident while in use. */
const READ_MMAP_BYTES = 8_000_000_000;
/** SQLite's own page cache per connection, in KiB. */
const READ_CACHE_KIB = 262_144;
/**
 * The page cache while importing, in KiB (SQLite's own default), with no memory map: an import
 * writes the library once, front to back, and a large cache or map would only make its memory
 * grow with the library.
 */
const IMPORT_CACHE_KIB = 2_000;

/** How long a write waits for another connection's lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

/** FTS5's own default for `hashsize`, in effect while the config table has no row for it. */
const FTS5_DEFAULT_HASH_BYTES = 1024 * 1024;

/** The full-text indexes every import writes. */
const IMPORT_FTS_TABLES = ['passages_fts', 'documents_fts'] as const;

/**
 * Pending index data FTS5 holds in memory during an import before writing it out as a new
 * segment (its own default is 1 MiB). Each flush makes a segment that later merges read and
 * write again, so a larger one means less merging and fewer segments left for searches; the
 * setting is put back before the import commits.
 */
const IMPORT_FTS_HASH_BYTES = 8 * 1024 * 1024;

/** Whether SQLite refused for a lock another connection holds. */
function isBusy(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_BUSY';
}

/** Opens (creating if needed) an Evidentia library in one SQLite file, migrated to the current schema. */
export function openSqliteStore(file: string, options: { clock?: Clock; readonly?: boolean } = {}): SqliteStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false });
  } catch (cause) {
    throw new EvidentiaError(
      'STORE_UNAVAILABLE',
      `cannot open the library database ${file}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return new SqliteStore(db, options.clock ?? systemClock);
}

export class SqliteStore implements Store {
  private inImport = false;
  private readonly statements;
  /** Writes index rows: the import and an optimize's rebuild alike. */
  private readonly indexWriters: IndexWriters;
  private readonly accounts: SqliteAccounts;
  private readonly documentSearch: DocumentSearch;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    try {
      db.pragma('journal_mode = WAL');
    } catch (cause) {
      // Only a first import into an empty library holds it in the rollback journal (beginBulkLoad).
      if (!isBusy(cause)) throw cause;
      throw new EvidentiaError(
        'STORE_UNAVAILABLE',
        `the library ${db.name} is locked by a first import into it; open it again when that import ends`,
        { cause },
      );
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Searches read the index pages straight from the file's memory map (no copy per page read)
    // and keep more of them between queries: ~7 % faster at 16k and at 1M documents.
    this.useMemory('read');
    this.migrate();
    this.statements = this.prepare();
    const { insertFts, insertDocFts } = this.statements;
    this.indexWriters = {
      passage: (rowid, row) => insertFts.run(rowid, row.title, row.heading, row.body),
      document: (rowid, row) => insertDocFts.run(rowid, row.title, row.heading, row.body),
    };
    this.accounts = new SqliteAccounts(db);
    // The native ranking function scores common words without recounting their documents on
    // every query; without it (no compiler at install) FTS5's bm25() ranks the same, slower.
    this.documentSearch = new DocumentSearch(db, DEFAULT_SEARCH_BUDGET, loadNativeRanking(db));
  }

  /**
   * How whole-document searches are scored: 'native' (the evidentia_bm25 extension built at
   * install) or 'fts5' (FTS5's bm25(): the same ranking, slower on large libraries).
   */
  get searchRanking(): SearchRanking {
    return this.documentSearch.ranking;
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new EvidentiaError(
        'STORE_UNAVAILABLE',
        `the library database was written by a newer Evidentia (schema ${current}); upgrade Evidentia to open it`,
      );
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      findDoc: db.prepare<[string], Pick<DocumentRow, 'rowid' | 'version' | 'content_hash' | 'body' | 'meta'>>(
        'SELECT rowid, version, content_hash, body, meta FROM documents WHERE id = ?',
      ),
      getDoc: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
      // Headings are read from the stored sections inside SQLite: no JSON parse per document in JS.
      searchTexts: db.prepare<[string], { id: string; title: string; headings: string | null; body: string }>(
        `SELECT d.id AS id, d.title AS title, d.body AS body,
           (SELECT group_concat(json_extract(s.value, '$.heading'), char(10))
              FROM json_each(d.meta, '$.sections') s) AS headings
         FROM json_each(?) ids JOIN documents d ON d.id = ids.value`,
      ),
      insertDoc: db.prepare(
        `INSERT INTO documents (id, version, content_hash, kind, title, year, body, meta, updated_at,
           sentence_spans, sentence_count)
         VALUES (@id, @version, @contentHash, @kind, @title, @year, @body, @meta, @updatedAt,
           @sentenceSpans, @sentenceCount)`,
      ),
      updateDoc: db.prepare(
        `UPDATE documents SET version = @version, content_hash = @contentHash, kind = @kind, title = @title,
         year = @year, body = @body, meta = @meta, updated_at = @updatedAt, sentence_spans = @sentenceSpans,
         sentence_count = @sentenceCount WHERE rowid = @rowid`,
      ),
      archiveDoc: db.prepare(
        `INSERT OR REPLACE INTO document_versions (document_id, version, content_hash, body, meta, replaced_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      deleteDoc: db.prepare('DELETE FROM documents WHERE rowid = ?'),
      deleteFtsOfDoc: db.prepare('DELETE FROM passages_fts WHERE rowid IN (SELECT rowid FROM passages WHERE doc = ?)'),
      deletePassages: db.prepare('DELETE FROM passages WHERE doc = ?'),
      insertPassage: db.prepare('INSERT INTO passages (doc, section, heading, start, end) VALUES (?, ?, ?, ?, ?)'),
      insertFts: db.prepare('INSERT INTO passages_fts (rowid, title, heading, body) VALUES (?, ?, ?, ?)'),
      insertDocFts: db.prepare('INSERT INTO documents_fts (rowid, title, heading, body) VALUES (?, ?, ?, ?)'),
      deleteDocFts: db.prepare('DELETE FROM documents_fts WHERE rowid = ?'),
      ftsSettings: IMPORT_FTS_TABLES.map((table) => ({
        storedHashSize: db.prepare<[], { v: number }>(`SELECT v FROM ${table}_config WHERE k = 'hashsize'`),
        // FTS5 takes only an integer here, so the value is bound as a BigInt.
        setHashSize: db.prepare<[bigint]>(`INSERT INTO ${table} (${table}, rank) VALUES ('hashsize', ?)`),
      })),
      sentencesOf: db.prepare<[string], { sentence_spans: string; body: string }>(
        'SELECT sentence_spans, body FROM documents WHERE id = ?',
      ),
      countDocs: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM documents'),
      anyDocument: db.prepare<[], { one: number }>('SELECT 1 AS one FROM documents LIMIT 1'),
      optimizeDocumentsFts: db.prepare("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')"),
      optimizePassagesFts: db.prepare("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')"),
      countPassages: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM passages'),
      countSentences: db.prepare<[], { n: number }>('SELECT coalesce(sum(sentence_count), 0) AS n FROM documents'),
      countArticles: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles'),
      countByKind: db.prepare<[], { kind: EvidenceKind; n: number }>(
        'SELECT kind, count(*) AS n FROM documents GROUP BY kind',
      ),
      articleVersion: db.prepare<[string], { version: number; created_at: string }>(
        'SELECT version, created_at FROM articles WHERE id = ?',
      ),
      upsertArticle: db.prepare(
        `INSERT INTO articles (id, version, question, title, status, review_status, body, created_at, updated_at)
         VALUES (@id, @version, @question, @title, @status, @reviewStatus, @body, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, question = excluded.question,
           title = excluded.title, status = excluded.status, review_status = excluded.review_status,
           body = excluded.body, updated_at = excluded.updated_at`,
      ),
      insertArticleVersion: db.prepare(
        'INSERT INTO article_versions (id, version, body, author, saved_at) VALUES (?, ?, ?, ?, ?)',
      ),
      getArticle: db.prepare<[string], { body: string }>('SELECT body FROM articles WHERE id = ?'),
      getArticleVersion: db.prepare<[string, number], { body: string }>(
        'SELECT body FROM article_versions WHERE id = ? AND version = ?',
      ),
    };
  }

  async importDocuments(work: (session: ImportSession) => Promise<void>): Promise<ImportCounts> {
    if (this.inImport) throw new EvidentiaError('CONFLICT', 'an import is already running on this library');
    const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    const session: ImportSession = {
      put: async (document) => {
        const outcome = this.put(document);
        counts[outcome]++;
        return outcome;
      },
      delete: async (documentId) => {
        const removed = this.remove(documentId);
        if (removed) counts.deleted++;
        return removed;
      },
    };
    this.inImport = true;
    this.useMemory('import');
    const bulk = this.beginBulkLoad();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const restoreIndexSettings = this.tuneIndexesForImport();
      await work(session);
      restoreIndexSettings();
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.inImport = false;
      if (bulk) this.endBulkLoad();
      this.useMemory('read');
    }
    return counts;
  }

  /**
   * A first import into an empty library that no other connection has open writes through
   * SQLite's rollback journal instead of the write-ahead log: pages new to the file need no
   * journal entry, so the import is written once instead of twice (log, then checkpoint into the
   * file: ~10 % of a 1 GB import). Readers are locked out meanwhile, which costs nothing while
   * there is nothing to read. A crash mid-way is rolled back by the next open, as with the log.
   * @returns whether the library switched (and must be switched back)
   */
  private beginBulkLoad(): boolean {
    if (this.db.memory || this.statements.anyDocument.get() !== undefined) return false;
    // Another connection keeps the log in use: leaving it fails at once rather than waiting.
    this.db.pragma('busy_timeout = 0');
    try {
      return this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** Back to the write-ahead log after a bulk load; every open sets it again should this fail. */
  private endBulkLoad(): void {
    try {
      this.db.pragma('journal_mode = WAL');
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** Sets the page cache and memory map for searching (large) or for an import (small, flat). */
  private useMemory(mode: 'read' | 'import'): void {
    this.db.pragma(`mmap_size = ${mode === 'read' ? READ_MMAP_BYTES : 0}`);
    this.db.pragma(`cache_size = -${mode === 'read' ? READ_CACHE_KIB : IMPORT_CACHE_KIB}`);
  }

  /**
   * Sets each full-text index's in-memory hash to IMPORT_FTS_HASH_BYTES inside the open import
   * transaction; the returned function puts back the size stored before (FTS5's default when
   * none was), so later writes behave as before the import. A rollback undoes both by itself.
   */
  private tuneIndexesForImport(): () => void {
    const stored = this.statements.ftsSettings.map((s) => s.storedHashSize.get()?.v);
    for (const s of this.statements.ftsSettings) s.setHashSize.run(BigInt(IMPORT_FTS_HASH_BYTES));
    return () => {
      this.statements.ftsSettings.forEach((s, i) => s.setHashSize.run(BigInt(stored[i] ?? FTS5_DEFAULT_HASH_BYTES)));
    };
  }

  private put(input: SourceDocumentInput): PutOutcome {
    const document = SourceDocument.parse(input);
    const { text, ...rest } = document;
    const meta = JSON.stringify(rest);
    const contentHash = sha256(`${meta}\u0000${text}`);
    const existing = this.statements.findDoc.get(document.id);
    if (existing && existing.content_hash === contentHash) return 'unchanged';

    const now = this.clock.now().toISOString();
    const { sentences, passages } = segmentDocument(document);
    const spans: SentenceSpans = [];
    for (const s of sentences) spans.push(s.sectionIndex, s.start, s.end);
    const row = {
      id: document.id,
      contentHash,
      kind: document.kind,
      title: document.title,
      year: document.year ?? null,
      body: text,
      meta,
      updatedAt: now,
      sentenceSpans: JSON.stringify(spans),
      sentenceCount: sentences.length,
    };
    let rowid: number;
    if (existing) {
      this.statements.archiveDoc.run(
        document.id,
        existing.version,
        existing.content_hash,
        existing.body,
        existing.meta,
        now,
      );
      this.clearDerived(existing.rowid);
      this.statements.updateDoc.run({ ...row, version: existing.version + 1, rowid: existing.rowid });
      rowid = existing.rowid;
    } else {
      rowid = Number(this.statements.insertDoc.run({ ...row, version: 1 }).lastInsertRowid);
    }
    for (const p of passages) {
      const passageRowid = this.statements.insertPassage.run(
        rowid,
        p.sectionIndex,
        p.heading,
        p.start,
        p.end,
      ).lastInsertRowid;
      this.indexWriters.passage(passageRowid, passageIndexRow(document.title, p.heading, text, p.start, p.end));
    }
    this.indexWriters.document(
      rowid,
      documentIndexRow(
        document.title,
        passages.map((p) => p.heading),
        text,
      ),
    );
    return existing ? 'updated' : 'inserted';
  }

  private clearDerived(rowid: number): void {
    this.statements.deleteDocFts.run(rowid);
    this.statements.deleteFtsOfDoc.run(rowid);
    this.statements.deletePassages.run(rowid);
  }

  private remove(documentId: string): boolean {
    const existing = this.statements.findDoc.get(documentId);
    if (!existing) return false;
    this.statements.archiveDoc.run(
      documentId,
      existing.version,
      existing.content_hash,
      existing.body,
      existing.meta,
      this.clock.now().toISOString(),
    );
    this.clearDerived(existing.rowid);
    this.statements.deleteDoc.run(existing.rowid);
    return true;
  }

  async getDocument(id: string): Promise<StoredDocument | null> {
    const row = this.statements.getDoc.get(id);
    return row ? toStoredDocument(row) : null;
  }

  async getDocuments(ids: readonly string[]): Promise<Map<string, StoredDocument>> {
    const result = new Map<string, StoredDocument>();
    for (const id of new Set(ids)) {
      const row = this.statements.getDoc.get(id);
      if (row) result.set(id, toStoredDocument(row));
    }
    return result;
  }

  async getSearchTexts(ids: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const row of this.statements.searchTexts.all(JSON.stringify([...new Set(ids)]))) {
      result.set(row.id, [row.title, row.headings ?? '', row.body].join('\n'));
    }
    return result;
  }

  async getSentences(documentId: string): Promise<Sentence[]> {
    const row = this.statements.sentencesOf.get(documentId);
    if (!row) return [];
    const spans = JSON.parse(row.sentence_spans) as SentenceSpans;
    const sentences: Sentence[] = [];
    for (let i = 0; i + 2 < spans.length; i += 3) {
      const [sectionIndex, start, end] = [spans[i]!, spans[i + 1]!, spans[i + 2]!];
      sentences.push({ documentId, sectionIndex, start, end, text: row.body.slice(start, end) });
    }
    return sentences;
  }

  async searchPassages(query: LexicalQuery): Promise<ScoredPassage[]> {
    const match = toMatchExpression(query);
    if (match === null) return [];
    const w = query.fieldWeights ?? DEFAULT_FIELD_WEIGHTS;
    const kinds = query.kinds && query.kinds.length > 0 ? query.kinds : null;
    const sql = `
      SELECT p.rowid AS rowid, d.id AS documentId, p.heading AS heading, p.start AS start, p.end AS end,
             bm25(passages_fts, ?, ?, ?) AS score
      FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid JOIN documents d ON d.rowid = p.doc
      WHERE passages_fts MATCH ? ${kinds ? `AND d.kind IN (${kinds.map(() => '?').join(',')})` : ''}
      ORDER BY score LIMIT ?`;
    const rows = this.db
      .prepare<
        unknown[],
        { rowid: number; documentId: string; heading: string; start: number; end: number; score: number }
      >(sql)
      .all(w.title, w.heading, w.body, match, ...(kinds ?? []), query.limit);
    const bodies = new Map<string, string>();
    const bodyOf = this.db.prepare<[string], { body: string }>('SELECT body FROM documents WHERE id = ?');
    return rows.map((r) => {
      let body = bodies.get(r.documentId);
      if (body === undefined) {
        body = bodyOf.get(r.documentId)?.body ?? '';
        bodies.set(r.documentId, body);
      }
      return {
        id: String(r.rowid),
        documentId: r.documentId,
        section: r.heading,
        start: r.start,
        end: r.end,
        text: body.slice(r.start, r.end),
        // FTS5's bm25() is negative, better matches more negative; the port promises higher is better.
        score: -r.score,
      };
    });
  }

  async searchDocuments(query: LexicalQuery): Promise<ScoredDocument[]> {
    const match = toMatchExpression(query);
    if (match === null) return [];
    const w = query.fieldWeights ?? DEFAULT_FIELD_WEIGHTS;
    const kinds = query.kinds && query.kinds.length > 0 ? query.kinds : null;
    // Without a kind filter the search does bounded work whatever the library's size.
    if (!kinds) return this.documentSearch.search(query, w);
    const sql = `
      SELECT d.id AS documentId, f.score AS score
      FROM (SELECT rowid, bm25(documents_fts, ?, ?, ?) AS score FROM documents_fts WHERE documents_fts MATCH ?
            ${kinds ? '' : 'ORDER BY score LIMIT ?'}) f
      JOIN documents d ON d.rowid = f.rowid
      ${kinds ? `WHERE d.kind IN (${kinds.map(() => '?').join(',')}) ORDER BY f.score LIMIT ?` : 'ORDER BY f.score'}`;
    const rows = this.db
      .prepare<unknown[], { documentId: string; score: number }>(sql)
      .all(w.title, w.heading, w.body, match, ...(kinds ?? []), query.limit);
    // bm25() is negative, better matches more negative; the port promises higher is better.
    return rows.map((r) => ({ documentId: r.documentId, score: -r.score }));
  }

  /**
   * Rebuilds each full-text index whose ranking statistics drifted (deletes and rewrites leave
   * them counting rows that are gone), in one transaction; then merges each index into one
   * segment (FTS5 'optimize'): every term lookup otherwise visits every segment the imports left
   * (15 at a million documents); then folds the log back into the file.
   */
  async optimizeSearch(options: { onProgress?: (progress: OptimizeProgress) => void } = {}): Promise<OptimizeReport> {
    if (this.inImport) throw new EvidentiaError('CONFLICT', 'an import is running on this library; optimize after it');
    const drifted = readSearchStatistics(this.db).filter((s) => s.counted !== s.rows);
    if (drifted.length > 0) {
      this.db.transaction(() =>
        rebuildIndexes(this.db, new Set(drifted.map((s) => s.index)), this.indexWriters, options.onProgress),
      )();
    }
    this.statements.optimizeDocumentsFts.run();
    this.statements.optimizePassagesFts.run();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return { rebuilt: drifted };
  }

  async searchStatistics(): Promise<SearchIndexStatistics[]> {
    return readSearchStatistics(this.db);
  }

  async lookUpWords(words: readonly string[], near?: NearTerms): Promise<WordInLibrary[]> {
    return lookUpWords(this.db, words, near);
  }

  async stats(): Promise<LibraryStats> {
    const byKind: LibraryStats['byKind'] = {};
    for (const row of this.statements.countByKind.all()) byKind[row.kind] = row.n;
    return {
      documents: this.statements.countDocs.get()!.n,
      passages: this.statements.countPassages.get()!.n,
      sentences: this.statements.countSentences.get()!.n,
      byKind,
      articles: this.statements.countArticles.get()!.n,
    };
  }

  async saveArticle(article: Article, author: string): Promise<void> {
    const valid = Article.parse(article);
    const body = JSON.stringify(valid);
    this.db.transaction(() => {
      const current = this.statements.articleVersion.get(valid.id);
      const expected = (current?.version ?? 0) + 1;
      if (valid.version !== expected) {
        throw new EvidentiaError(
          'CONFLICT',
          `article ${valid.id} changed meanwhile (stored version ${current?.version ?? 0}, saving ${valid.version}); reload and try again`,
        );
      }
      this.statements.upsertArticle.run({
        id: valid.id,
        version: valid.version,
        question: valid.question,
        title: valid.title ?? null,
        status: valid.status,
        reviewStatus: valid.review.status,
        body,
        createdAt: current?.created_at ?? valid.createdAt,
        updatedAt: valid.updatedAt,
      });
      this.statements.insertArticleVersion.run(valid.id, valid.version, body, author, this.clock.now().toISOString());
    })();
  }

  async getArticle(id: string, version?: number): Promise<Article | null> {
    const row =
      version === undefined ? this.statements.getArticle.get(id) : this.statements.getArticleVersion.get(id, version);
    return row ? Article.parse(JSON.parse(row.body)) : null;
  }

  async listArticles(filter: { reviewStatus?: string; limit?: number } = {}): Promise<ArticleSummary[]> {
    const rows = this.db
      .prepare<
        unknown[],
        {
          id: string;
          version: number;
          question: string;
          title: string | null;
          status: string;
          review_status: string;
          updated_at: string;
        }
      >(
        `SELECT id, version, question, title, status, review_status, updated_at FROM articles
         ${filter.reviewStatus ? 'WHERE review_status = ?' : ''} ORDER BY updated_at DESC LIMIT ?`,
      )
      .all(...(filter.reviewStatus ? [filter.reviewStatus] : []), filter.limit ?? 100);
    return rows.map((r) => ({
      id: r.id,
      version: r.version,
      question: r.question,
      ...(r.title ? { title: r.title } : {}),
      status: r.status as ArticleSummary['status'],
      reviewStatus: r.review_status as ArticleSummary['reviewStatus'],
      updatedAt: r.updated_at,
    }));
  }

  async listArticleVersions(id: string): Promise<ArticleVersionInfo[]> {
    const rows = this.db
      .prepare<[string], { version: number; author: string; saved_at: string; review_status: string }>(
        `SELECT version, author, saved_at, json_extract(body, '$.review.status') AS review_status
         FROM article_versions WHERE id = ? ORDER BY version`,
      )
      .all(id);
    return rows.map((r) => ({
      version: r.version,
      author: r.author,
      savedAt: r.saved_at,
      reviewStatus: r.review_status as ArticleVersionInfo['reviewStatus'],
    }));
  }

  createUser = (user: UserRecord): Promise<void> => this.accounts.createUser(user);
  findUserByName = (username: string): Promise<UserRecord | null> => this.accounts.findUserByName(username);
  getUser = (id: string): Promise<UserRecord | null> => this.accounts.getUser(id);
  listUsers = (): Promise<User[]> => this.accounts.listUsers();
  saveCredential = (credential: Credential): Promise<void> => this.accounts.saveCredential(credential);
  findCredential = (tokenHash: string, now: string): Promise<Credential | null> =>
    this.accounts.findCredential(tokenHash, now);
  deleteCredential = (tokenHash: string): Promise<void> => this.accounts.deleteCredential(tokenHash);
  appendAudit = (entry: AuditEntry): Promise<void> => this.accounts.appendAudit(entry);
  listAudit = (options?: { limit?: number }): Promise<AuditEntry[]> => this.accounts.listAudit(options);
  appendTurn = (threadId: string, turn: ThreadTurn): Promise<void> => this.accounts.appendTurn(threadId, turn);
  getThread = (threadId: string): Promise<Thread | null> => this.accounts.getThread(threadId);
  threadOfArticle = (articleId: string): Promise<Thread | null> => this.accounts.threadOfArticle(articleId);

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async checkIntegrity(): Promise<string[]> {
    const problems: string[] = [];
    const result = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    for (const row of result) if (row.integrity_check !== 'ok') problems.push(row.integrity_check);
    try {
      this.db.exec("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 0)");
    } catch (error) {
      problems.push(`full-text index: ${(error as Error).message}`);
    }
    const orphans = this.db
      .prepare<[], { n: number }>('SELECT count(*) AS n FROM passages WHERE doc NOT IN (SELECT rowid FROM documents)')
      .get()!.n;
    if (orphans > 0) problems.push(`${orphans} passages without a document`);
    return problems;
  }

  async close(): Promise<void> {
    this.documentSearch.close();
    if (this.db.open) this.db.close();
  }
}

function toStoredDocument(row: DocumentRow): StoredDocument {
  const meta = JSON.parse(row.meta) as Omit<SourceDocument, 'text'>;
  return { ...meta, text: row.body, version: row.version, contentHash: row.content_hash, updatedAt: row.updated_at };
}
