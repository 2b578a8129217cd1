import type { Article, ReviewStatus } from '../domain/article.js';
import type { ScoredPassage, Sentence } from '../domain/passage.js';
import type { SourceDocument, StoredDocument, EvidenceKind } from '../domain/source.js';

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
  put(document: SourceDocument): Promise<PutOutcome>;
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

export interface DocumentStore {
  /**
   * Runs `work` in one transaction: if it throws, nothing it wrote remains. The same source
   * twice is one document; a changed source becomes its next version.
   */
  importDocuments(work: (session: ImportSession) => Promise<void>): Promise<ImportCounts>;
  getDocument(id: string): Promise<StoredDocument | null>;
  getDocuments(ids: readonly string[]): Promise<Map<string, StoredDocument>>;
  /** The sentences of a document in order, with offsets into its text. */
  getSentences(documentId: string): Promise<Sentence[]>;
  stats(): Promise<LibraryStats>;
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
}

export interface Store extends DocumentStore, PassageIndex, ArticleStore {
  /** Checks the database's own integrity; returns problems found (empty when sound). */
  checkIntegrity(): Promise<string[]>;
  close(): Promise<void>;
}
