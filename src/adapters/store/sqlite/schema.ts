/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run. A
 * migration is never edited once released: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY,
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
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    section INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc, seq)
  ) WITHOUT ROWID;

  CREATE TABLE passages (
    rowid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    section INTEGER NOT NULL,
    heading TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
  );
  CREATE INDEX passages_doc ON passages(doc);

  -- Contentless: the text lives once, in documents.body; the index keeps only what ranking needs.
  CREATE VIRTUAL TABLE passages_fts USING fts5(
    title, heading, body,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );

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
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  -- Sessions and API tokens; only the SHA-256 of the secret is kept.
  CREATE TABLE credentials (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );

  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT
  );

  CREATE TABLE thread_turns (
    thread_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    asked TEXT NOT NULL,
    question TEXT NOT NULL,
    article_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (thread_id, seq)
  );
  CREATE INDEX thread_turns_article ON thread_turns(article_id);
  `,
  `
  -- Whole-document search: one row per document (title, its section headings, full text), so
  -- document ranking needs no grouping of passages. Filled from what is already stored.
  CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, heading, body,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  INSERT INTO documents_fts (rowid, title, heading, body)
    SELECT d.rowid, d.title,
           coalesce((SELECT group_concat(h, ' ') FROM (SELECT DISTINCT heading AS h FROM passages WHERE doc = d.rowid)), ''),
           d.body
    FROM documents d;
  `,
  `
  -- Dense retrieval: which embedding model wrote the passage vectors. The vectors live in a
  -- sqlite-vec table made on first use, when their size is known, by a connection that loads
  -- the extension; a library that never uses dense retrieval never has it.
  CREATE TABLE IF NOT EXISTS vector_model (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    dimension INTEGER NOT NULL
  );
  -- Passages deleted since vectors were written (a document changed or went): their vectors
  -- are dropped by the vector index, and a reused passage rowid is embedded again.
  CREATE TABLE IF NOT EXISTS vector_stale (passage INTEGER PRIMARY KEY);
  CREATE TRIGGER IF NOT EXISTS passages_vector_stale AFTER DELETE ON passages
    WHEN EXISTS (SELECT 1 FROM vector_model)
    BEGIN INSERT OR IGNORE INTO vector_stale (passage) VALUES (old.rowid); END;
  `,
  `
  -- Sentence spans live with their document as one packed list [section, start, end, ...] in
  -- reading order: ingest writes one row per document instead of one per sentence, and a
  -- document's sentences are read with its body in one look-up.
  ALTER TABLE documents ADD COLUMN sentence_spans TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE documents ADD COLUMN sentence_count INTEGER NOT NULL DEFAULT 0;
  UPDATE documents SET
    sentence_spans = coalesce(
      (SELECT '[' || group_concat(section || ',' || start || ',' || "end", ',' ORDER BY seq) || ']'
       FROM sentences WHERE doc = documents.rowid), '[]'),
    sentence_count = (SELECT count(*) FROM sentences WHERE doc = documents.rowid);
  DROP TABLE sentences;
  `,
];
