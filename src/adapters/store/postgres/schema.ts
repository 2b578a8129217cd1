/**
 * Schema migrations for PostgreSQL, applied in order under an advisory lock so that several
 * servers starting at once migrate once; `evidentia_schema.version` records how many have run.
 * A migration is never edited once released: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE documents (
    pk BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    year INTEGER,
    body TEXT NOT NULL,
    meta TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_kind ON documents(kind);

  CREATE TABLE document_versions (
    document_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    meta TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
  );

  CREATE TABLE sentences (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    section INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    PRIMARY KEY (doc, seq)
  );

  -- The text lives once, in documents.body; a passage keeps offsets, its length in tokens and
  -- the lexemes of its title, heading and body (weights A, B, D) for candidate search.
  CREATE TABLE passages (
    id BIGSERIAL PRIMARY KEY,
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    section INTEGER NOT NULL,
    heading TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    lexemes TSVECTOR NOT NULL
  );
  CREATE INDEX passages_doc ON passages(doc);
  CREATE INDEX passages_lexemes ON passages USING GIN (lexemes);

  -- Corpus totals for BM25 (passage count, token count), kept in step by every import.
  CREATE TABLE corpus_totals (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    passages BIGINT NOT NULL,
    tokens BIGINT NOT NULL
  );
  INSERT INTO corpus_totals (passages, tokens) VALUES (0, 0);

  CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    question TEXT NOT NULL,
    title TEXT,
    status TEXT NOT NULL,
    review_status TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX articles_review ON articles(review_status, updated_at);

  CREATE TABLE article_versions (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
  );
  `,
];
