import pg from 'pg';
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
import type { AuditEntry, User, UserRecord } from '../../../domain/account.js';
import type { Thread, ThreadTurn } from '../../../domain/thread.js';
import type { Clock } from '../../../ports/clock.js';
import { systemClock } from '../../../ports/clock.js';
import type {
  ArticleSummary,
  ArticleVersionInfo,
  Credential,
  ImportCounts,
  ImportSession,
  IndexedTerm,
  LexicalQuery,
  LibraryStats,
  OptimizeReport,
  SearchIndexStatistics,
  NearTerms,
  PutOutcome,
  ScoredDocument,
  Store,
  WordInLibrary,
} from '../../../ports/store.js';
import { toStoreError } from './errors.js';
import { PostgresAccounts } from './postgres-accounts.js';
import {
  candidateTsquery,
  compilePhrases,
  fieldsOfLetters,
  indexDocument,
  indexPassage,
  parseDocumentHits,
  phraseTsquery,
  prefixTsquery,
  queryLexemes,
  scoreBm25,
  type Candidate,
  type IndexedDocument,
} from './lexical.js';
import { tokenize } from '../index-tokens.js';
import { MIGRATIONS } from './schema.js';
import { SQL } from './statements.js';

const DEFAULT_FIELD_WEIGHTS = { title: 2, heading: 1, body: 1 } as const;

export interface PostgresStoreOptions {
  clock?: Clock;
  /** A schema to keep the tables in (created when missing); default: the server's search_path. */
  schema?: string;
  /** Connections kept by this process. */
  poolSize?: number;
}

interface DocumentRow {
  pk: string;
  id: string;
  version: number;
  content_hash: string;
  body: string;
  meta: string;
  updated_at: string;
}

/**
 * Opens an Evidentia library in PostgreSQL. Nothing is contacted until the first call, which
 * migrates the schema; when the server is unreachable, calls fail with STORE_UNAVAILABLE and the
 * next call tries again, so a running server recovers once the database is back.
 * @param url a postgres:// connection URL
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new EvidentiaError('CONFIG_INVALID', `schema name "${options.schema}" must be lower-case letters, digits, _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that dies (server restart) is dropped by the pool; without a listener
  // the error would end the process.
  pool.on('error', () => undefined);
  return new PostgresStore(pool, options.clock ?? systemClock, options.schema);
}

export class PostgresStore implements Store {
  private ready: Promise<void> | null = null;
  private inImport = false;
  private readonly accounts: PostgresAccounts;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly schema: string | undefined,
  ) {
    this.accounts = new PostgresAccounts({
      query: (sql, values) => this.query(sql, values),
      transaction: async (work) => {
        await this.connect();
        return this.transaction(work);
      },
    });
  }

  /** Migrates once per process; a failure is forgotten so the next call tries again. */
  private async connect(): Promise<void> {
    this.ready ??= this.migrate().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    await this.ready;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(SQL.migrationLock);
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(SQL.schemaTable);
      const current = Number((await client.query<{ version: number }>(SQL.schemaVersion)).rows[0]?.version ?? 0);
      if (current > MIGRATIONS.length) {
        throw new EvidentiaError(
          'STORE_UNAVAILABLE',
          `the library database was written by a newer Evidentia (schema ${current}); upgrade Evidentia to open it`,
        );
      }
      for (let v = current; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v]!);
      // Documents stored before the whole-document index existed get their rows now, once.
      if (current > 0 && current < DOCUMENT_INDEX_MIGRATION) await indexStoredDocuments(client);
      if (current < MIGRATIONS.length) await client.query(SQL.setSchemaVersion, [MIGRATIONS.length]);
    });
  }

  /** Runs `work` on one connection inside BEGIN … COMMIT; any error rolls back. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw toStoreError(error);
    });
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw toStoreError(error);
    } finally {
      client.release(broken);
    }
  }

  /** One query on any pooled connection, after migration. */
  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    await this.connect();
    try {
      return (await this.pool.query<R>(sql, values)).rows;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async importDocuments(work: (session: ImportSession) => Promise<void>): Promise<ImportCounts> {
    if (this.inImport) throw new EvidentiaError('CONFLICT', 'an import is already running on this library');
    this.inImport = true;
    try {
      await this.connect();
      return await this.transaction(async (client) => {
        const batch = new PutBatch(client, this.clock);
        await batch.loadKnown();
        let deleted = 0;
        await work({
          put: (document) => batch.put(document),
          delete: async (documentId) => {
            await batch.flush();
            const removed = await this.remove(client, documentId);
            batch.forget(documentId);
            if (removed) deleted++;
            return removed;
          },
        });
        await batch.flush();
        return { ...batch.counts, deleted };
      });
    } finally {
      this.inImport = false;
    }
  }

  private async archive(client: pg.PoolClient, row: DocumentRow, now: string): Promise<void> {
    await client.query(SQL.archiveDoc, [row.id, row.version, row.content_hash, row.body, row.meta, now]);
  }

  /** Removes a document's sentences and passages and takes its passages out of the totals. */
  private async clearDerived(client: pg.PoolClient, pk: string): Promise<void> {
    await client.query(SQL.deleteSentences, [pk]);
    await client.query(SQL.deletePassagesAndTotals, [pk]);
  }

  private async remove(client: pg.PoolClient, documentId: string): Promise<boolean> {
    const existing = (await client.query<DocumentRow>(SQL.findDocForUpdate, [documentId])).rows[0];
    if (!existing) return false;
    await this.archive(client, existing, this.clock.now().toISOString());
    await this.clearDerived(client, existing.pk);
    await client.query(SQL.unindexDocument, [existing.pk]);
    await client.query(SQL.deleteDoc, [existing.pk]);
    return true;
  }

  async getDocument(id: string): Promise<StoredDocument | null> {
    const row = (await this.query<DocumentRow>(SQL.getDocs, [[id]]))[0];
    return row ? toStoredDocument(row) : null;
  }

  async getDocuments(ids: readonly string[]): Promise<Map<string, StoredDocument>> {
    const result = new Map<string, StoredDocument>();
    if (ids.length === 0) return result;
    for (const row of await this.query<DocumentRow>(SQL.getDocs, [[...new Set(ids)]])) {
      result.set(row.id, toStoredDocument(row));
    }
    return result;
  }

  async getSearchTexts(ids: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (ids.length === 0) return result;
    const rows = await this.query<{ id: string; title: string; headings: string | null; body: string }>(
      SQL.searchTexts,
      [[...new Set(ids)]],
    );
    for (const row of rows) result.set(row.id, [row.title, row.headings ?? '', row.body].join('\n'));
    return result;
  }

  async getSentences(documentId: string): Promise<Sentence[]> {
    const rows = await this.query<{ section: number; start_offset: number; end_offset: number; body: string }>(
      SQL.sentencesOf,
      [documentId],
    );
    return rows.map((r) => ({
      documentId,
      sectionIndex: r.section,
      start: r.start_offset,
      end: r.end_offset,
      text: r.body.slice(r.start_offset, r.end_offset),
    }));
  }

  /**
   * Whole documents ranked as the SQLite store's FTS5 `bm25()` ranks them: PostgreSQL finds every
   * document holding a query lexeme (GIN) and returns just those lexemes' positions; phrase
   * instances, field weights and column filters are counted here, and the best `limit` kept.
   */
  async searchDocuments(query: LexicalQuery): Promise<ScoredDocument[]> {
    const phrases = compilePhrases(query);
    if (phrases.length === 0 || query.limit <= 0) return [];
    const [totalsRows, hitRows] = await Promise.all([
      this.query<{ documents: string; document_tokens: string }>(SQL.documentTotals),
      this.query<{
        doc: string;
        kind: EvidenceKind;
        title_end: number;
        heading_end: number;
        tokens: number;
        hits: string;
      }>(SQL.documentHits, [candidateTsquery(phrases), queryLexemes(phrases)]),
    ]);
    // In index order, so that equal scores keep one order whatever plan PostgreSQL chose.
    const candidates = hitRows
      .map((row): Candidate<{ pk: string; kind: EvidenceKind }> => ({
        ref: { pk: row.doc, kind: row.kind },
        tokens: row.tokens,
        hits: parseDocumentHits(row.hits, row.title_end, row.heading_end),
      }))
      .sort((a, b) => Number(a.ref.pk) - Number(b.ref.pk));
    const totals = { rows: Number(totalsRows[0]?.documents ?? 0), tokens: Number(totalsRows[0]?.document_tokens ?? 0) };
    const kinds = query.kinds && query.kinds.length > 0 ? new Set(query.kinds) : null;
    const ranked = scoreBm25(candidates, phrases, totals, query.fieldWeights ?? DEFAULT_FIELD_WEIGHTS)
      .filter((r) => !kinds || kinds.has(r.ref.kind))
      .slice(0, query.limit);
    if (ranked.length === 0) return [];
    const ids = new Map(
      (await this.query<{ pk: string; id: string }>(SQL.documentIdsByPk, [ranked.map((r) => r.ref.pk)])).map((r) => [
        r.pk,
        r.id,
      ]),
    );
    return ranked.flatMap(({ ref, score }) => {
      const documentId = ids.get(ref.pk);
      return documentId === undefined ? [] : [{ documentId, score }]; // removed between the two queries
    });
  }

  async searchPassages(query: LexicalQuery): Promise<ScoredPassage[]> {
    const phrases = compilePhrases(query);
    if (phrases.length === 0 || query.limit <= 0) return [];
    const lexemes = queryLexemes(phrases);
    const [totalsRows, hitRows] = await Promise.all([
      this.query<{ passages: string; tokens: string }>(SQL.totals),
      this.query<{
        id: string;
        tokens: number;
        kind: EvidenceKind;
        lexeme: string;
        positions: number[];
        weights: string[];
      }>(SQL.candidateHits, [candidateTsquery(phrases), lexemes]),
    ]);
    const byPassage = new Map<string, Candidate<{ id: string; kind: EvidenceKind }>>();
    for (const row of hitRows) {
      let candidate = byPassage.get(row.id);
      if (!candidate) {
        candidate = { ref: { id: row.id, kind: row.kind }, tokens: row.tokens, hits: [] };
        byPassage.set(row.id, candidate);
      }
      (candidate.hits as Candidate<unknown>['hits'][number][]).push({
        lexeme: row.lexeme,
        positions: row.positions,
        fields: fieldsOfLetters(row.weights),
      });
    }
    const totals = { rows: Number(totalsRows[0]?.passages ?? 0), tokens: Number(totalsRows[0]?.tokens ?? 0) };
    const kinds = query.kinds && query.kinds.length > 0 ? new Set(query.kinds) : null;
    const ranked = scoreBm25([...byPassage.values()], phrases, totals, query.fieldWeights ?? DEFAULT_FIELD_WEIGHTS)
      .filter((r) => !kinds || kinds.has(r.ref.kind))
      .slice(0, query.limit);
    if (ranked.length === 0) return [];
    const rows = await this.query<{
      id: string;
      document_id: string;
      heading: string;
      start_offset: number;
      end_offset: number;
    }>(SQL.passagesById, [ranked.map((r) => r.ref.id)]);
    const bodies = new Map(
      (
        await this.query<{ id: string; body: string }>(SQL.bodiesOf, [[...new Set(rows.map((r) => r.document_id))]])
      ).map((r) => [r.id, r.body]),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const results: ScoredPassage[] = [];
    for (const { ref, score } of ranked) {
      const row = byId.get(ref.id);
      if (!row) continue; // removed between the two queries
      results.push({
        id: row.id,
        documentId: row.document_id,
        section: row.heading,
        start: row.start_offset,
        end: row.end_offset,
        text: (bodies.get(row.document_id) ?? '').slice(row.start_offset, row.end_offset),
        score,
      });
    }
    return results;
  }

  /**
   * PostgreSQL's GIN indexes need no merging: the tables are vacuumed and their statistics
   * refreshed. The BM25 totals follow every write, so they are recounted only should they differ.
   */
  async optimizeSearch(): Promise<OptimizeReport> {
    if (this.inImport) throw new EvidentiaError('CONFLICT', 'an import is running on this library; optimize after it');
    const drifted = (await this.searchStatistics()).filter((s) => s.counted !== s.rows);
    if (drifted.length > 0) await this.query(SQL.recountTotals);
    for (const statement of SQL.optimizeSearch) await this.query(statement);
    return { rebuilt: drifted };
  }

  async searchStatistics(): Promise<SearchIndexStatistics[]> {
    const [row] = await this.query<{
      documents_counted: string;
      documents: string;
      passages_counted: string;
      passages: string;
    }>(SQL.searchStatistics);
    return [
      { index: 'documents', counted: Number(row!.documents_counted), rows: Number(row!.documents) },
      { index: 'passages', counted: Number(row!.passages_counted), rows: Number(row!.passages) },
    ];
  }

  async lookUpWords(words: readonly string[], near?: NearTerms): Promise<WordInLibrary[]> {
    const found: WordInLibrary[] = [];
    for (const word of words) {
      const terms = tokenize(word);
      const present =
        terms.length > 0 &&
        (await this.query<{ present: boolean }>(SQL.anyDocument, [phraseTsquery(terms)]))[0]?.present === true;
      const term = terms[0];
      const listNear = near && terms.length === 1 && term !== undefined && term.length >= near.prefix;
      const nearTerms = listNear
        ? await this.query<IndexedTerm>(SQL.nearTerms, [
            prefixTsquery(term.slice(0, near.prefix)),
            term.slice(0, near.prefix),
            term,
            Math.max(1, term.length - near.lengthDifference),
            term.length + near.lengthDifference,
            near.limit,
          ])
        : [];
      found.push({ word, terms, present, near: nearTerms });
    }
    return found;
  }

  async stats(): Promise<LibraryStats> {
    const [counts] = await this.query<{ documents: string; passages: string; sentences: string; articles: string }>(
      SQL.counts,
    );
    const byKind: LibraryStats['byKind'] = {};
    for (const row of await this.query<{ kind: EvidenceKind; n: string }>(SQL.countByKind))
      byKind[row.kind] = Number(row.n);
    return {
      documents: Number(counts!.documents),
      passages: Number(counts!.passages),
      sentences: Number(counts!.sentences),
      byKind,
      articles: Number(counts!.articles),
    };
  }

  async saveArticle(article: Article, author: string): Promise<void> {
    const valid = Article.parse(article);
    const body = JSON.stringify(valid);
    await this.connect();
    await this.transaction(async (client) => {
      const current = (
        await client.query<{ version: number; created_at: string }>(SQL.articleVersionForUpdate, [valid.id])
      ).rows[0];
      const conflict = (stored: number) =>
        new EvidentiaError(
          'CONFLICT',
          `article ${valid.id} changed meanwhile (stored version ${stored}, saving ${valid.version}); reload and try again`,
        );
      if (valid.version !== (current?.version ?? 0) + 1) throw conflict(current?.version ?? 0);
      // PostgreSQL text cannot hold U+0000; the listing columns get U+FFFD, the JSON body keeps it escaped.
      const row = [
        valid.id,
        valid.version,
        valid.question.replaceAll('\u0000', '\uFFFD'),
        valid.title?.replaceAll('\u0000', '\uFFFD') ?? null,
        valid.status,
        valid.review.status,
        body,
        current?.created_at ?? valid.createdAt,
        valid.updatedAt,
      ];
      // Both statements check the version again, so a writer that raced past the read above
      // (a first save, which has no row to lock) still loses instead of overwriting.
      const written = current
        ? await client.query(SQL.updateArticle, [...row, current.version])
        : await client.query(SQL.insertArticle, row);
      if (written.rowCount !== 1) throw conflict(valid.version);
      await client.query(SQL.insertArticleVersion, [
        valid.id,
        valid.version,
        body,
        author,
        this.clock.now().toISOString(),
      ]);
    });
  }

  async getArticle(id: string, version?: number): Promise<Article | null> {
    const rows =
      version === undefined
        ? await this.query<{ body: string }>(SQL.getArticle, [storableId(id)])
        : await this.query<{ body: string }>(SQL.getArticleVersion, [storableId(id), version]);
    return rows[0] ? Article.parse(JSON.parse(rows[0].body)) : null;
  }

  async listArticles(filter: { reviewStatus?: string; limit?: number } = {}): Promise<ArticleSummary[]> {
    const rows = await this.query<{
      id: string;
      version: number;
      question: string;
      title: string | null;
      status: string;
      review_status: string;
      updated_at: string;
    }>(SQL.listArticles, [filter.reviewStatus ?? null, filter.limit ?? 100]);
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
    const rows = await this.query<{ version: number; author: string; saved_at: string; body: string }>(
      SQL.articleVersions,
      [storableId(id)],
    );
    // The status is read from the JSON in JavaScript: PostgreSQL's JSON functions refuse a body
    // that holds an escaped U+0000, which an article's text may.
    return rows.map((r) => ({
      version: r.version,
      author: r.author,
      savedAt: r.saved_at,
      reviewStatus: (JSON.parse(r.body) as { review: { status: ArticleVersionInfo['reviewStatus'] } }).review.status,
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
    await this.query(SQL.ping);
  }

  async checkIntegrity(): Promise<string[]> {
    const problems: string[] = [];
    const [row] = await this.query<{
      orphan_passages: string;
      orphan_sentences: string;
      passages: string;
      tokens: string;
      total_passages: string;
      total_tokens: string;
      unindexed: string;
      bad_spans: string;
      docs_without_passages: string;
    }>(SQL.integrity);
    if (!row) return ['the corpus totals row is missing'];
    if (Number(row.orphan_passages) > 0) problems.push(`${row.orphan_passages} passages without a document`);
    if (Number(row.orphan_sentences) > 0) problems.push(`${row.orphan_sentences} sentences without a document`);
    if (row.passages !== row.total_passages || row.tokens !== row.total_tokens) {
      problems.push(
        `corpus totals (${row.total_passages} passages, ${row.total_tokens} tokens) differ from the passages (${row.passages}, ${row.tokens})`,
      );
    }
    if (Number(row.unindexed) > 0) problems.push(`${row.unindexed} passages with text but no lexemes`);
    if (Number(row.bad_spans) > 0)
      problems.push(`${row.bad_spans} passages or sentences outside their document's text`);
    if (Number(row.docs_without_passages) > 0)
      problems.push(`${row.docs_without_passages} documents with text but no passages`);
    const [index] = await this.query<{
      documents: string;
      tokens: string;
      total_documents: string;
      total_tokens: string;
      unindexed: string;
    }>(SQL.documentIndexIntegrity);
    if (index && (index.documents !== index.total_documents || index.tokens !== index.total_tokens)) {
      problems.push(
        `document totals (${index.total_documents} documents, ${index.total_tokens} tokens) differ from the document index (${index.documents}, ${index.tokens})`,
      );
    }
    if (index && Number(index.unindexed) > 0)
      problems.push(`${index.unindexed} documents missing from the document index`);
    const version = await this.query<{ version: number }>(SQL.schemaVersion);
    if (Number(version[0]?.version) !== MIGRATIONS.length) {
      problems.push(`schema version ${version[0]?.version ?? 'missing'}, expected ${MIGRATIONS.length}`);
    }
    return problems;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** Documents waiting to be written in one round trip; flushed every BATCH_DOCUMENTS or BATCH_CHARS. */
const BATCH_DOCUMENTS = 200;
const BATCH_CHARS = 8_000_000;

/**
 * Writes an import's documents in batches: a round trip per document is what makes a database
 * server slow to load. Each put's outcome is decided from the content hashes read when the import
 * began (updated as it goes); the counts come from what the database actually did.
 */
class PutBatch {
  readonly counts = { inserted: 0, updated: 0, unchanged: 0 };
  private known = new Map<string, string>();
  private pending: Array<Record<string, unknown>> = [];
  private pendingChars = 0;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly clock: Clock,
  ) {}

  async loadKnown(): Promise<void> {
    const rows = (await this.client.query<{ id: string; content_hash: string }>(SQL.allHashes)).rows;
    this.known = new Map(rows.map((r) => [r.id, r.content_hash]));
  }

  forget(documentId: string): void {
    this.known.delete(documentId);
  }

  async put(input: SourceDocumentInput): Promise<PutOutcome> {
    const document = SourceDocument.parse(input);
    const { text, ...rest } = document;
    const meta = JSON.stringify(rest);
    const hash = sha256(`${meta}\u0000${text}`);
    const previous = this.known.get(document.id);
    if (previous === hash) {
      this.counts.unchanged++;
      return 'unchanged';
    }
    this.known.set(document.id, hash);
    const { sentences, passages } = segmentDocument(document);
    const indexed = passages.map((p) =>
      indexPassage({ title: document.title, heading: p.heading, body: text.slice(p.start, p.end) }),
    );
    const whole = indexWholeDocument(document, passages);
    const row = {
      id: document.id,
      hash,
      kind: document.kind,
      title: document.title,
      year: document.year ?? null,
      body: text,
      meta,
      now: this.clock.now().toISOString(),
      sSection: sentences.map((s) => s.sectionIndex),
      sStart: sentences.map((s) => s.start),
      sEnd: sentences.map((s) => s.end),
      pSection: passages.map((p) => p.sectionIndex),
      pHeading: passages.map((p) => p.heading),
      pStart: passages.map((p) => p.start),
      pEnd: passages.map((p) => p.end),
      pTokens: indexed.map((i) => i.tokens),
      pLexemes: indexed.map((i) => i.tsvector),
      dTitleEnd: whole.titleEnd,
      dHeadingEnd: whole.headingEnd,
      dTokens: whole.tokens,
      dLexemes: whole.tsvector,
    };
    if ([document.id, document.title, text, ...passages.map((p) => p.heading)].some((t) => t.includes('\u0000'))) {
      throw new EvidentiaError(
        'INPUT_INVALID',
        `document ${document.id} contains a NUL character (U+0000), which PostgreSQL cannot store`,
      );
    }
    this.pending.push(row);
    this.pendingChars +=
      text.length + meta.length + whole.tsvector.length + indexed.reduce((n, i) => n + i.tsvector.length, 0);
    if (this.pending.length >= BATCH_DOCUMENTS || this.pendingChars >= BATCH_CHARS) await this.flush();
    return previous === undefined ? 'inserted' : 'updated';
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = JSON.stringify(this.pending);
    this.pending = [];
    this.pendingChars = 0;
    const result = await this.client.query<{ outcomes: PutOutcome[] }>(SQL.putDocuments, [batch]);
    for (const outcome of result.rows[0]!.outcomes) this.counts[outcome]++;
  }
}

/** The migration (1-based) that adds the whole-document index. */
const DOCUMENT_INDEX_MIGRATION = 3;
/** Documents read per round trip when filling the document index of an older library. */
const BACKFILL_BATCH = 500;

/**
 * The whole-document index row of a document, from the same fields as the SQLite store's
 * documents_fts: the title, the distinct non-empty section headings in order, the full text.
 * @param document the document as stored
 * @param passages its passages (their headings)
 */
function indexWholeDocument(
  document: Pick<SourceDocument, 'title' | 'text'>,
  passages: ReadonlyArray<{ heading: string }>,
): IndexedDocument {
  const headings = [...new Set(passages.map((p) => p.heading).filter((h) => h !== ''))].join(' ');
  return indexDocument({ title: document.title, heading: headings, body: document.text });
}

/**
 * Fills the whole-document index for documents stored before it existed, inside the migration's
 * transaction, re-deriving each row from the stored text exactly as an import would.
 * @param client the migrating connection
 */
async function indexStoredDocuments(client: pg.PoolClient): Promise<void> {
  for (;;) {
    const rows = (await client.query<DocumentRow>(SQL.unindexedDocuments, [BACKFILL_BATCH])).rows;
    if (rows.length === 0) return;
    for (const row of rows) {
      const document = toStoredDocument(row);
      const whole = indexWholeDocument(document, segmentDocument(document).passages);
      await client.query(SQL.indexDocument, [row.id, whole.titleEnd, whole.headingEnd, whole.tokens, whole.tsvector]);
    }
  }
}

/** An id asked for from outside (a URL): PostgreSQL text cannot hold U+0000, and no stored id does. */
function storableId(id: string): string {
  return id.replaceAll('\u0000', '\uFFFD');
}

function toStoredDocument(row: DocumentRow): StoredDocument {
  const meta = JSON.parse(row.meta) as Omit<SourceDocument, 'text'>;
  return { ...meta, text: row.body, version: row.version, contentHash: row.content_hash, updatedAt: row.updated_at };
}
