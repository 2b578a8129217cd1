/** Every SQL statement of the PostgreSQL store, by name. */
export const SQL = {
  ping: 'SELECT 1',
  migrationLock: `SELECT pg_advisory_xact_lock(hashtext('evidentia-schema-migration'))`,
  schemaTable: `CREATE TABLE IF NOT EXISTS evidentia_schema (version INTEGER NOT NULL)`,
  schemaVersion: `SELECT coalesce(max(version), 0) AS version FROM evidentia_schema`,
  setSchemaVersion: `WITH cleared AS (DELETE FROM evidentia_schema) INSERT INTO evidentia_schema (version) VALUES ($1)`,

  findDocForUpdate: `SELECT pk, id, version, content_hash, body, meta, updated_at FROM documents WHERE id = $1 FOR UPDATE`,
  getDocs: `SELECT pk, id, version, content_hash, body, meta, updated_at FROM documents WHERE id = ANY($1::text[])`,
  // Headings are read from the stored sections inside PostgreSQL: no JSON parse per document in JS.
  searchTexts: `SELECT d.id, d.title, d.body,
      (SELECT string_agg(s->>'heading', E'\n' ORDER BY n)
         FROM jsonb_array_elements(d.meta::jsonb->'sections') WITH ORDINALITY AS x(s, n)) AS headings
    FROM documents d WHERE d.id = ANY($1::text[])`,
  // VACUUM cannot run in a transaction: one statement per table, each on its own.
  optimizeSearch: ['VACUUM ANALYZE documents', 'VACUUM ANALYZE passages', 'VACUUM ANALYZE document_index'],
  /** The totals BM25 normalises by, beside the rows they count (they follow every write). */
  searchStatistics: `SELECT t.documents AS documents_counted, (SELECT count(*) FROM document_index) AS documents,
      t.passages AS passages_counted, (SELECT count(*) FROM passages) AS passages
    FROM corpus_totals t`,
  /** Sets the totals from the rows, should they ever differ. */
  recountTotals: `UPDATE corpus_totals SET
      documents = (SELECT count(*) FROM document_index),
      document_tokens = (SELECT coalesce(sum(tokens), 0) FROM document_index),
      passages = (SELECT count(*) FROM passages),
      tokens = (SELECT coalesce(sum(tokens), 0) FROM passages)`,
  // Presence of a word through the GIN index: one row is enough.
  anyDocument: `SELECT EXISTS (SELECT 1 FROM document_index WHERE lexemes @@ $1::tsquery) AS present`,
  // Neighbouring terms of a word: the documents holding a lexeme with its prefix (GIN prefix
  // search), their lexemes in the prefix's range counted per lexeme.
  nearTerms: `SELECT t.lexeme AS term, count(*)::int AS documents
    FROM document_index x, unnest(x.lexemes) t
    WHERE x.lexemes @@ $1::tsquery AND starts_with(t.lexeme, $2) AND t.lexeme <> $3
      AND length(t.lexeme) BETWEEN $4 AND $5
    GROUP BY t.lexeme ORDER BY documents DESC, term LIMIT $6`,
  allHashes: `SELECT id, content_hash FROM documents`,
  putDocuments: `SELECT evidentia_put_documents($1::jsonb) AS outcomes`,
  archiveDoc: `INSERT INTO document_versions (document_id, version, content_hash, body, meta, replaced_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (document_id, version) DO UPDATE SET content_hash = excluded.content_hash, body = excluded.body,
      meta = excluded.meta, replaced_at = excluded.replaced_at`,
  deleteDoc: `DELETE FROM documents WHERE pk = $1`,
  deleteSentences: `DELETE FROM sentences WHERE doc = $1`,
  deletePassagesAndTotals: `WITH gone AS (DELETE FROM passages WHERE doc = $1 RETURNING tokens)
    UPDATE corpus_totals SET passages = passages - (SELECT count(*) FROM gone),
      tokens = tokens - (SELECT coalesce(sum(tokens), 0) FROM gone)`,

  /** Takes a document out of the whole-document index and its totals (before the document goes). */
  unindexDocument: `WITH gone AS (DELETE FROM document_index WHERE doc = $1 RETURNING tokens)
    UPDATE corpus_totals SET documents = documents - (SELECT count(*) FROM gone),
      document_tokens = document_tokens - (SELECT coalesce(sum(tokens), 0) FROM gone)`,
  indexDocument: `SELECT evidentia_index_document($1, $2, $3, $4, $5)`,
  /** Stored documents that have no whole-document index row yet (stored before the index existed). */
  unindexedDocuments: `SELECT pk, id, version, content_hash, body, meta, updated_at FROM documents d
    WHERE NOT EXISTS (SELECT 1 FROM document_index x WHERE x.doc = d.pk) ORDER BY pk LIMIT $1`,

  sentencesOf: `SELECT s.section, s.start_offset, s.end_offset, d.body FROM sentences s JOIN documents d ON d.pk = s.doc
    WHERE d.id = $1 ORDER BY s.seq`,
  totals: `SELECT passages, tokens FROM corpus_totals`,
  /** Every occurrence of a query lexeme in every passage holding any of them (candidates for BM25). */
  candidateHits: `SELECT p.id, p.tokens, d.kind, u.lexeme, u.positions, u.weights
    FROM passages p JOIN documents d ON d.pk = p.doc, LATERAL unnest(p.lexemes) AS u(lexeme, positions, weights)
    WHERE p.lexemes @@ $1::tsquery AND u.lexeme = ANY($2::text[])
    ORDER BY p.id`,
  documentTotals: `SELECT documents, document_tokens FROM corpus_totals`,
  /** Every document holding a query lexeme ($1) with the positions of the query's lexemes ($2). */
  documentHits: `SELECT doc, kind, title_end, heading_end, tokens, hits FROM evidentia_document_hits($1::tsquery, $2::text[])`,
  documentIdsByPk: `SELECT pk, id FROM documents WHERE pk = ANY($1::bigint[])`,
  passagesById: `SELECT p.id, d.id AS document_id, p.heading, p.start_offset, p.end_offset
    FROM passages p JOIN documents d ON d.pk = p.doc WHERE p.id = ANY($1::bigint[])`,
  bodiesOf: `SELECT id, body FROM documents WHERE id = ANY($1::text[])`,

  counts: `SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM passages) AS passages,
    (SELECT count(*) FROM sentences) AS sentences, (SELECT count(*) FROM articles) AS articles`,
  countByKind: `SELECT kind, count(*) AS n FROM documents GROUP BY kind`,

  articleVersionForUpdate: `SELECT version, created_at FROM articles WHERE id = $1 FOR UPDATE`,
  insertArticle: `INSERT INTO articles (id, version, question, title, status, review_status, body, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
  updateArticle: `UPDATE articles SET version = $2, question = $3, title = $4, status = $5, review_status = $6,
    body = $7, created_at = $8, updated_at = $9 WHERE id = $1 AND version = $10`,
  insertArticleVersion: `INSERT INTO article_versions (id, version, body, author, saved_at) VALUES ($1, $2, $3, $4, $5)`,
  getArticle: `SELECT body FROM articles WHERE id = $1`,
  getArticleVersion: `SELECT body FROM article_versions WHERE id = $1 AND version = $2`,
  listArticles: `SELECT id, version, question, title, status, review_status, updated_at FROM articles
    WHERE $1::text IS NULL OR review_status = $1 ORDER BY updated_at DESC, id LIMIT $2`,

  articleVersions: `SELECT version, author, saved_at, body FROM article_versions WHERE id = $1 ORDER BY version`,

  insertUser: `INSERT INTO users (id, username, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (username) DO NOTHING`,
  userByName: `SELECT id, username, role, password_hash, created_at FROM users WHERE username = $1`,
  userById: `SELECT id, username, role, password_hash, created_at FROM users WHERE id = $1`,
  users: `SELECT id, username, role, password_hash, created_at FROM users ORDER BY username COLLATE "C"`,
  insertCredential: `INSERT INTO credentials (token_hash, user_id, kind, label, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  /** ISO times compare as byte strings whatever the database's collation. */
  credential: `SELECT token_hash, user_id, kind, label, created_at, expires_at FROM credentials
    WHERE token_hash = $1 AND expires_at COLLATE "C" > $2 COLLATE "C"`,
  deleteCredential: `DELETE FROM credentials WHERE token_hash = $1`,
  insertAudit: `INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)`,
  audit: `SELECT at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1`,
  /** Serialises appends to one thread (two-key advisory locks are apart from the migration lock). */
  lockThread: `SELECT pg_advisory_xact_lock(7, hashtext($1))`,
  insertTurn: `INSERT INTO thread_turns (thread_id, seq, asked, question, article_id, at)
    SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 FROM thread_turns WHERE thread_id = $1`,
  turns: `SELECT asked, question, article_id, at FROM thread_turns WHERE thread_id = $1 ORDER BY seq`,
  threadOf: `SELECT thread_id FROM thread_turns WHERE article_id = $1 ORDER BY thread_id, seq LIMIT 1`,

  integrity: `SELECT
    (SELECT count(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.pk = p.doc)) AS orphan_passages,
    (SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.pk = s.doc)) AS orphan_sentences,
    (SELECT count(*) FROM passages) AS passages,
    (SELECT coalesce(sum(tokens), 0) FROM passages) AS tokens,
    t.passages AS total_passages, t.tokens AS total_tokens,
    (SELECT count(*) FROM passages WHERE start_offset < 0 OR end_offset < start_offset)
      + (SELECT count(*) FROM sentences WHERE start_offset < 0 OR end_offset < start_offset) AS bad_spans,
    (SELECT count(*) FROM documents d WHERE EXISTS (SELECT 1 FROM sentences s WHERE s.doc = d.pk)
      AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc = d.pk)) AS docs_without_passages
    FROM corpus_totals t`,
  documentIndexIntegrity: `SELECT
    (SELECT count(*) FROM document_index) AS documents, (SELECT coalesce(sum(tokens), 0) FROM document_index) AS tokens,
    t.documents AS total_documents, t.document_tokens AS total_tokens,
    (SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_index x WHERE x.doc = d.pk)) AS unindexed
    FROM corpus_totals t`,
} as const;
