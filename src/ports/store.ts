import type { AuditEntry, User, UserRecord } from '../domain/account.js';
import type { Article, ReviewStatus } from '../domain/article.js';
import type { Thread, ThreadTurn } from '../domain/thread.js';
import type { ScoredPassage, Sentence } from '../domain/passage.js';
import type { SourceDocumentInput, StoredDocument, EvidenceKind } from '../domain/source.js';

/** What happened to one document in an import. */
export type PutOutcome = 'inserted' | 'updated' | 'unchanged';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** Writes inside one import transaction; nothing is visible to readers until it commits. */
export interface ImportSession {
  /**
   * Stores a document. The store validates it against the SourceDocument schema (filling
   * defaults), so callers need not parse it first; an invalid one rejects with zod's ZodError.
   */
  put(document: SourceDocumentInput): Promise<PutOutcome>;
  /** Removes a document and its passages; false when it was not there. */
  delete(documentId: string): Promise<boolean>;
}

export interface LibraryStats {
  documents: number;
  passages: number;
  sentences: number;
  byKind: Partial<Record<EvidenceKind, number>>;
  articles: number;
}

/** What one full-text index's ranking statistics (row count, token totals) count, beside what it holds. */
export interface SearchIndexStatistics {
  /** The index: whole documents or passages. */
  index: 'documents' | 'passages';
  /** Rows the ranking statistics count. */
  counted: number;
  /** Rows the index really holds. */
  rows: number;
}

/** How far `optimizeSearch` has got rebuilding an index whose statistics drifted. */
export interface OptimizeProgress {
  index: SearchIndexStatistics['index'];
  done: number;
  total: number;
}

export interface OptimizeReport {
  /** The indexes rebuilt because their statistics had drifted, with the figures found before. */
  rebuilt: SearchIndexStatistics[];
}

export interface DocumentStore {
  /**
   * Runs `work` in one transaction: if it throws, nothing it wrote remains. The same source
   * twice is one document; a changed source becomes its next version.
   */
  importDocuments(work: (session: ImportSession) => Promise<void>): Promise<ImportCounts>;
  getDocument(id: string): Promise<StoredDocument | null>;
  getDocuments(ids: readonly string[]): Promise<Map<string, StoredDocument>>;
  /**
   * The searchable text of documents — title, section headings and body, one per line — for
   * re-ranking search results; cheaper than getDocuments (no document is rebuilt).
   */
  getSearchTexts(ids: readonly string[]): Promise<Map<string, string>>;
  /** The sentences of a document in order, with offsets into its text. */
  getSentences(documentId: string): Promise<Sentence[]>;
  stats(): Promise<LibraryStats>;
  /**
   * Compacts the search indexes after large imports so that searches read less; results stay
   * the same. Slow on a large library (minutes at a million documents) and it blocks imports
   * meanwhile: run it when a large import has ended. An index whose ranking statistics drifted
   * (see `searchStatistics`) is first rebuilt from the stored rows, so scores equal those of a
   * library that imported the same documents afresh.
   */
  optimizeSearch(options?: { onProgress?: (progress: OptimizeProgress) => void }): Promise<OptimizeReport>;
  /**
   * The ranking statistics of each full-text index beside the rows it holds. When they differ
   * (an index that cannot lower its figures on delete), scores drift until `optimizeSearch`
   * rebuilds the index.
   */
  searchStatistics(): Promise<SearchIndexStatistics[]>;
}

/**
 * A full-text query. Clauses are OR-ed; a phrase clause matches its words in order; a clause with
 * a field matches only there: the title, the section heading(s), or the content (title and body,
 * not headings). Field weights apply to the title, the section heading(s) and the body.
 */
export interface LexicalQuery {
  clauses: ReadonlyArray<{ text: string; phrase?: boolean; field?: 'title' | 'heading' | 'content' }>;
  fieldWeights?: { title: number; heading: number; body: number };
  /** Restrict to these evidence kinds. */
  kinds?: readonly EvidenceKind[];
  limit: number;
}

/** A document found by whole-document search. */
export interface ScoredDocument {
  documentId: string;
  score: number;
}

export interface PassageIndex {
  /** Passages ranked by BM25 (higher score is better). */
  searchPassages(query: LexicalQuery): Promise<ScoredPassage[]>;
  /**
   * Whole documents ranked by BM25 over title, all section headings and the full text (higher
   * is better): one row per document, so long documents are neither favoured nor split.
   */
  searchDocuments(query: LexicalQuery): Promise<ScoredDocument[]>;
}

/** A term of the library's full-text index and how many documents hold it. */
export interface IndexedTerm {
  /** The index's form: lower-cased, diacritics removed, stemmed as the index stems (Porter). */
  term: string;
  documents: number;
}

/** What the library's full-text index holds of one word. */
export interface WordInLibrary {
  word: string;
  /** The word's index terms (one for a plain word; a hyphenated word has one per part). */
  terms: string[];
  /** Whether any document holds the word (its terms in order, for a word of several). */
  present: boolean;
  /**
   * With `near` asked: the index's terms that share the first `near.prefix` characters of the
   * word's single term and differ from it in length by at most `near.lengthDifference`, the term
   * itself excluded, most documents first, at most `near.limit`. Empty for a word of several terms.
   */
  near: IndexedTerm[];
}

/** Options of LibraryVocabulary.lookUpWords: which neighbouring terms to list. */
export interface NearTerms {
  prefix: number;
  lengthDifference: number;
  limit: number;
}

/**
 * The library's own vocabulary, for spelling: which of a question's words the library holds, and
 * the terms it holds that look like one it does not.
 */
export interface LibraryVocabulary {
  /**
   * Looks words up in the whole-document index. Presence is cheap whatever the library's size;
   * listing neighbours reads the index's term list over the prefix's range (tens to hundreds of
   * milliseconds at a million documents), so ask for them only for words that are absent.
   * @param words words as written (case and diacritics do not matter)
   * @param near when given, also list neighbouring terms of each word
   */
  lookUpWords(words: readonly string[], near?: NearTerms): Promise<WordInLibrary[]>;
}

export interface ArticleSummary {
  id: string;
  version: number;
  question: string;
  title?: string;
  status: Article['status'];
  reviewStatus: ReviewStatus;
  updatedAt: string;
}

export interface ArticleStore {
  /** Saves a new version of an article; `article.version` must be one more than the stored one. */
  saveArticle(article: Article, author: string): Promise<void>;
  getArticle(id: string, version?: number): Promise<Article | null>;
  listArticles(filter?: { reviewStatus?: ReviewStatus; limit?: number }): Promise<ArticleSummary[]>;
  /** Every saved version of an article, oldest first, with who saved it and when. */
  listArticleVersions(id: string): Promise<ArticleVersionInfo[]>;
}

export interface ArticleVersionInfo {
  version: number;
  author: string;
  savedAt: string;
  reviewStatus: ReviewStatus;
}

/** Accounts; a username is unique (CONFLICT when taken). */
export interface UserStore {
  createUser(user: UserRecord): Promise<void>;
  findUserByName(username: string): Promise<UserRecord | null>;
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<User[]>;
}

/**
 * Sign-in sessions and API tokens. Only a hash of each secret is stored, so a copy of the
 * database does not let anyone sign in.
 */
export interface Credential {
  tokenHash: string;
  userId: string;
  kind: 'session' | 'api';
  label?: string;
  createdAt: string;
  /** ISO time after which the credential no longer works. */
  expiresAt: string;
}

export interface SessionStore {
  saveCredential(credential: Credential): Promise<void>;
  /** The credential with this hash if it has not expired at `now`. */
  findCredential(tokenHash: string, now: string): Promise<Credential | null>;
  deleteCredential(tokenHash: string): Promise<void>;
}

/** Append-only record of every state change. */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(options?: { limit?: number }): Promise<AuditEntry[]>;
}

/** Conversations of a question and its follow-ups. */
export interface ThreadStore {
  /** Adds a turn, creating the thread on its first turn. */
  appendTurn(threadId: string, turn: ThreadTurn): Promise<void>;
  getThread(threadId: string): Promise<Thread | null>;
  /** The thread an article was answered in, if any. */
  threadOfArticle(articleId: string): Promise<Thread | null>;
}

export interface Store
  extends DocumentStore, PassageIndex, LibraryVocabulary, ArticleStore, UserStore, SessionStore, AuditLog, ThreadStore {
  /** Checks the database's own integrity; returns problems found (empty when sound). */
  checkIntegrity(): Promise<string[]>;
  /** Resolves when the database answers a trivial query; fails with STORE_UNAVAILABLE when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
