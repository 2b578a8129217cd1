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

  -- Stores one changed or new document with its sentences and passages in one round trip:
  -- archives the previous version, replaces derived rows, keeps the corpus totals in step.
  CREATE FUNCTION evidentia_put_document(
    p_id TEXT, p_hash TEXT, p_kind TEXT, p_title TEXT, p_year INTEGER, p_body TEXT, p_meta TEXT, p_now TEXT,
    s_section INTEGER[], s_start INTEGER[], s_end INTEGER[],
    x_section INTEGER[], x_heading TEXT[], x_start INTEGER[], x_end INTEGER[], x_tokens INTEGER[], x_lexemes TEXT[]
  ) RETURNS TEXT LANGUAGE plpgsql AS $$
  DECLARE
    old documents%ROWTYPE;
    doc_pk BIGINT;
    gone_passages BIGINT;
    gone_tokens BIGINT;
  BEGIN
    SELECT * INTO old FROM documents WHERE id = p_id FOR UPDATE;
    IF FOUND AND old.content_hash = p_hash THEN
      RETURN 'unchanged';
    END IF;
    IF FOUND THEN
      INSERT INTO document_versions (document_id, version, content_hash, body, meta, replaced_at)
        VALUES (old.id, old.version, old.content_hash, old.body, old.meta, p_now)
        ON CONFLICT (document_id, version) DO UPDATE SET content_hash = excluded.content_hash,
          body = excluded.body, meta = excluded.meta, replaced_at = excluded.replaced_at;
      DELETE FROM sentences WHERE doc = old.pk;
      WITH gone AS (DELETE FROM passages WHERE doc = old.pk RETURNING tokens)
        SELECT count(*), coalesce(sum(tokens), 0) INTO gone_passages, gone_tokens FROM gone;
      UPDATE corpus_totals SET passages = passages - gone_passages, tokens = tokens - gone_tokens;
      UPDATE documents SET version = old.version + 1, content_hash = p_hash, kind = p_kind, title = p_title,
        year = p_year, body = p_body, meta = p_meta, updated_at = p_now WHERE pk = old.pk;
      doc_pk := old.pk;
    ELSE
      INSERT INTO documents (id, version, content_hash, kind, title, year, body, meta, updated_at)
        VALUES (p_id, 1, p_hash, p_kind, p_title, p_year, p_body, p_meta, p_now) RETURNING pk INTO doc_pk;
    END IF;
    INSERT INTO sentences (doc, seq, section, start_offset, end_offset)
      SELECT doc_pk, s.n - 1, s.section, s.start_offset, s.end_offset
      FROM unnest(s_section, s_start, s_end) WITH ORDINALITY AS s(section, start_offset, end_offset, n);
    INSERT INTO passages (doc, section, heading, start_offset, end_offset, tokens, lexemes)
      SELECT doc_pk, x.section, x.heading, x.start_offset, x.end_offset, x.tokens, x.lexemes::tsvector
      FROM unnest(x_section, x_heading, x_start, x_end, x_tokens, x_lexemes)
        AS x(section, heading, start_offset, end_offset, tokens, lexemes);
    UPDATE corpus_totals SET passages = passages + coalesce(array_length(x_tokens, 1), 0),
      tokens = tokens + (SELECT coalesce(sum(t), 0) FROM unnest(x_tokens) AS t);
    RETURN CASE WHEN old.pk IS NULL THEN 'inserted' ELSE 'updated' END;
  END
  $$;

  CREATE FUNCTION evidentia_int_array(j JSONB) RETURNS INTEGER[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(e::int ORDER BY n), '{}') FROM jsonb_array_elements_text(j) WITH ORDINALITY AS t(e, n)
  $$;
  CREATE FUNCTION evidentia_text_array(j JSONB) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(e ORDER BY n), '{}') FROM jsonb_array_elements_text(j) WITH ORDINALITY AS t(e, n)
  $$;

  -- Stores a batch of documents (a JSON array) in order, one round trip for many documents.
  CREATE FUNCTION evidentia_put_documents(batch JSONB) RETURNS TEXT[] LANGUAGE plpgsql AS $$
  DECLARE
    d JSONB;
    outcomes TEXT[] := '{}';
  BEGIN
    FOR d IN SELECT value FROM jsonb_array_elements(batch) WITH ORDINALITY AS t(value, n) ORDER BY n LOOP
      outcomes := outcomes || evidentia_put_document(
        d->>'id', d->>'hash', d->>'kind', d->>'title', (d->>'year')::int, d->>'body', d->>'meta', d->>'now',
        evidentia_int_array(d->'sSection'), evidentia_int_array(d->'sStart'), evidentia_int_array(d->'sEnd'),
        evidentia_int_array(d->'pSection'), evidentia_text_array(d->'pHeading'), evidentia_int_array(d->'pStart'),
        evidentia_int_array(d->'pEnd'), evidentia_int_array(d->'pTokens'), evidentia_text_array(d->'pLexemes'));
    END LOOP;
    RETURN outcomes;
  END
  $$;
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
  CREATE INDEX credentials_user ON credentials(user_id);

  CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
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
  -- Whole-document search: one row per document (title, its distinct section headings, full
  -- text) so document ranking needs no grouping of passages. Positions carry no weight letter;
  -- the field of a position follows from title_end and heading_end (first positions after the
  -- title and after the headings). Rows of documents stored before this migration are filled by
  -- the store right after it, from the stored text.
  CREATE TABLE document_index (
    doc BIGINT PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title_end INTEGER NOT NULL,
    heading_end INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    lexemes TSVECTOR NOT NULL
  );
  CREATE INDEX document_index_lexemes ON document_index USING GIN (lexemes);

  -- Document count and token count for BM25 over whole documents, kept in step with the index.
  ALTER TABLE corpus_totals ADD COLUMN documents BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN document_tokens BIGINT NOT NULL DEFAULT 0;

  -- Every document holding a query lexeme, with the positions of the query's own lexemes as a
  -- small tsvector (setweight marks them, ts_filter keeps just them). Always through the GIN
  -- index: even when most documents match, its posting lists are cheaper than testing every
  -- vector, which is what a sequential scan would do.
  CREATE FUNCTION evidentia_document_hits(query TSQUERY, wanted TEXT[])
  RETURNS TABLE (doc BIGINT, kind TEXT, title_end INTEGER, heading_end INTEGER, tokens INTEGER, hits TEXT)
  LANGUAGE sql STABLE SET enable_seqscan = off AS $$
    SELECT x.doc, x.kind, x.title_end, x.heading_end, x.tokens,
      ts_filter(setweight(x.lexemes, 'A', wanted), '{a}')::text
    FROM document_index x
    WHERE x.lexemes @@ query
  $$;

  -- Writes (or rewrites) the index row of one stored document and keeps the totals in step.
  CREATE FUNCTION evidentia_index_document(
    p_id TEXT, p_title_end INTEGER, p_heading_end INTEGER, p_tokens INTEGER, p_lexemes TEXT
  ) RETURNS VOID LANGUAGE plpgsql AS $$
  DECLARE
    d documents%ROWTYPE;
    old_tokens INTEGER;
  BEGIN
    SELECT * INTO d FROM documents WHERE id = p_id;
    SELECT tokens INTO old_tokens FROM document_index WHERE doc = d.pk FOR UPDATE;
    IF FOUND THEN
      UPDATE document_index SET kind = d.kind, title_end = p_title_end, heading_end = p_heading_end,
        tokens = p_tokens, lexemes = p_lexemes::tsvector WHERE doc = d.pk;
      UPDATE corpus_totals SET document_tokens = document_tokens - old_tokens + p_tokens;
    ELSE
      INSERT INTO document_index (doc, kind, title_end, heading_end, tokens, lexemes)
        VALUES (d.pk, d.kind, p_title_end, p_heading_end, p_tokens, p_lexemes::tsvector);
      UPDATE corpus_totals SET documents = documents + 1, document_tokens = document_tokens + p_tokens;
    END IF;
  END
  $$;

  -- As before, and each new or changed document also gets its whole-document index row.
  CREATE OR REPLACE FUNCTION evidentia_put_documents(batch JSONB) RETURNS TEXT[] LANGUAGE plpgsql AS $$
  DECLARE
    d JSONB;
    outcome TEXT;
    outcomes TEXT[] := '{}';
  BEGIN
    FOR d IN SELECT value FROM jsonb_array_elements(batch) WITH ORDINALITY AS t(value, n) ORDER BY n LOOP
      outcome := evidentia_put_document(
        d->>'id', d->>'hash', d->>'kind', d->>'title', (d->>'year')::int, d->>'body', d->>'meta', d->>'now',
        evidentia_int_array(d->'sSection'), evidentia_int_array(d->'sStart'), evidentia_int_array(d->'sEnd'),
        evidentia_int_array(d->'pSection'), evidentia_text_array(d->'pHeading'), evidentia_int_array(d->'pStart'),
        evidentia_int_array(d->'pEnd'), evidentia_int_array(d->'pTokens'), evidentia_text_array(d->'pLexemes'));
      IF outcome <> 'unchanged' THEN
        PERFORM evidentia_index_document(d->>'id', (d->>'dTitleEnd')::int, (d->>'dHeadingEnd')::int,
          (d->>'dTokens')::int, d->>'dLexemes');
      END IF;
      outcomes := outcomes || outcome;
    END LOOP;
    RETURN outcomes;
  END
  $$;
  `,
];
