import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { SourceDocument } from '../src/domain/source.js';
import { loadEvalSet } from '../src/eval/beir-set.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { benchmarkRetrieveOptions, buildLexicalQuery } from '../src/pipeline/retrieve/retrieve.js';
import { understand } from '../src/pipeline/understand/understand.js';
import type { LexicalQuery, Store } from '../src/ports/store.js';
import { dataPath, HAS_SHARED_DATA, SAMPLE_LIBRARY, tempDir, testDocument } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';

/**
 * Both stores' whole-document ranking for one query, checked to agree: the same documents in
 * the same order with the same BM25 scores.
 */
async function expectSameRanking(pgStore: Store, sqliteStore: Store, query: LexicalQuery): Promise<number> {
  const [a, b] = await Promise.all([pgStore.searchDocuments(query), sqliteStore.searchDocuments(query)]);
  expect(a.map((d) => d.documentId)).toEqual(b.map((d) => d.documentId));
  a.forEach((d, i) => expect(d.score).toBeCloseTo(b[i]!.score, 6));
  return a.length;
}

function page(id: string, title: string, sections: Array<{ heading: string; text: string }>): SourceDocument {
  return testDocument(id, sections, { title });
}

const PAGES = [
  page('gout', 'Gout', [
    { heading: 'Symptoms', text: 'Gout flares bring sudden joint pain, most often in the big toe.' },
    { heading: 'Treatment', text: 'Flares are eased with anti-inflammatory medicines; urate can be lowered.' },
  ]),
  page('anemia', 'Anemia', [
    { heading: 'Symptoms', text: 'Tiredness and pale skin are common. Joint pain is not typical.' },
    { heading: 'Causes', text: 'Low iron, blood loss and some inherited conditions such as sickle cell disease.' },
  ]),
  page('sickle', 'Sickle cell disease', [
    { heading: 'Symptoms', text: 'Episodes of pain, anemia and swelling of the hands and feet.' },
  ]),
];

describe.skipIf(NO_POSTGRES)('whole-document search in PostgreSQL ranks as SQLite does', () => {
  const schema = uniqueSchema();
  const tmp = tempDir();
  let pgStore: Store;
  let sqliteStore: Store;

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    pgStore = openPostgresStore(POSTGRES_URL!, { schema });
    sqliteStore = openSqliteStore(join(tmp.dir, 'lib.db'));
    for (const store of [pgStore, sqliteStore]) {
      await ingestPaths(store, [SAMPLE_LIBRARY]);
      await store.importDocuments(async (session) => {
        for (const p of PAGES) await session.put(p);
      });
    }
  });
  afterAll(async () => {
    await pgStore.close();
    await sqliteStore.close();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    tmp.cleanup();
  });

  it('agrees on words, phrases, column filters, field weights and kinds', async () => {
    const weights = { title: 20, heading: 10, body: 1 };
    const queries: LexicalQuery[] = [
      { clauses: [{ text: 'pain' }, { text: 'joint' }], limit: 20 },
      {
        clauses: [{ text: 'sickle cell disease', phrase: true }, { text: 'anemia' }],
        fieldWeights: weights,
        limit: 20,
      },
      // A heading cue counts only in headings; the question's own words only in title and body.
      {
        clauses: [
          { text: 'pain', field: 'content' },
          { text: 'symptoms', phrase: true, field: 'heading' },
        ],
        fieldWeights: weights,
        limit: 20,
      },
      { clauses: [{ text: 'symptoms', field: 'content' }], limit: 20 },
      { clauses: [{ text: 'gout', field: 'title' }, { text: 'flares' }], fieldWeights: weights, limit: 20 },
      { clauses: [{ text: 'pain' }], kinds: ['consumer-health'], limit: 2 },
      { clauses: [{ text: 'basivertebral nerve ablation', phrase: true }, { text: 'back pain' }], limit: 5 },
    ];
    let found = 0;
    for (const query of queries) found += await expectSameRanking(pgStore, sqliteStore, query);
    expect(found).toBeGreaterThan(queries.length);
    // The column filter is honoured: "symptoms" is only ever a heading of these pages.
    const inContent = await pgStore.searchDocuments({ clauses: [{ text: 'symptoms', field: 'content' }], limit: 20 });
    expect(inContent.map((d) => d.documentId)).not.toContain('gout');
    const inHeading = await pgStore.searchDocuments({ clauses: [{ text: 'symptoms', field: 'heading' }], limit: 20 });
    const pages = inHeading.map((d) => d.documentId).filter((id) => PAGES.some((p) => p.id === id));
    expect(pages.sort()).toEqual(['anemia', 'gout', 'sickle']);
  });

  it('keeps the index and its totals in step through updates and deletes', async () => {
    const changed = page('gout', 'Gout', [
      { heading: 'Outlook', text: 'Most people with gout do well with treatment.' },
    ]);
    await pgStore.importDocuments(async (session) => {
      await session.put(changed);
      await session.delete('anemia');
    });
    expect(await pgStore.checkIntegrity()).toEqual([]);
    // The reference is FTS5 over the library as it now stands, built afresh: an FTS5 index
    // with contentless_delete keeps some statistics of replaced rows, so the SQLite library
    // updated in place scores slightly differently from one built from the same documents.
    const fresh = openSqliteStore(join(tmp.dir, 'fresh.db'));
    try {
      await ingestPaths(fresh, [SAMPLE_LIBRARY]);
      await fresh.importDocuments(async (session) => {
        for (const p of [changed, ...PAGES.filter((p) => p.id === 'sickle')]) await session.put(p);
      });
      for (const clauses of [
        [{ text: 'gout' }, { text: 'pain' }],
        [{ text: 'sickle cell', phrase: true }, { text: 'anemia' }],
        [{ text: 'treatment' }, { text: 'outlook', field: 'heading' as const }],
      ]) {
        await expectSameRanking(pgStore, fresh, { clauses, limit: 20 });
      }
    } finally {
      await fresh.close();
    }
    expect(await pgStore.searchDocuments({ clauses: [{ text: 'tiredness' }], limit: 5 })).toEqual([]);
    const outlook = await pgStore.searchDocuments({ clauses: [{ text: 'outlook', field: 'heading' }], limit: 5 });
    expect(outlook.map((d) => d.documentId)).toEqual(['gout']);
  });

  it('stores a long document whose distinct words exceed what one tsvector may hold', async () => {
    // 120,000 distinct Greek-letter words: over 1 MiB of lexemes, more than PostgreSQL keeps in one vector.
    const letters = 'αβγδεζηθικλμνξοπρστυφχψω';
    const word = (n: number) => {
      let w = 'ω';
      for (let m = n; m > 0; m = Math.floor(m / letters.length)) w += letters[m % letters.length];
      return w;
    };
    const words = Array.from({ length: 120_000 }, (_, n) => word(n + 1));
    const long = page('long-greek', 'Glossary of invented words', [{ heading: 'Words', text: words.join(' ') }]);
    await pgStore.importDocuments(async (session) => void (await session.put(long)));
    expect(await pgStore.checkIntegrity()).toEqual([]);
    const hits = await pgStore.searchDocuments({ clauses: [{ text: 'glossary' }, { text: words[0]! }], limit: 5 });
    expect(hits.map((d) => d.documentId)).toEqual(['long-greek']);
    await pgStore.importDocuments(async (session) => void (await session.delete('long-greek')));
  });

  it('indexes the documents of a library stored before the document index existed', async () => {
    const old = uniqueSchema();
    await adminQuery(`CREATE SCHEMA ${old}`);
    try {
      const before = openPostgresStore(POSTGRES_URL!, { schema: old });
      await ingestPaths(before, [SAMPLE_LIBRARY]);
      const query: LexicalQuery = { clauses: [{ text: 'nerve ablation', phrase: true }, { text: 'pain' }], limit: 10 };
      const expected = await before.searchDocuments(query);
      await before.close();
      // Take the library back to schema 2: no document index, no document totals.
      await adminQuery(`SET search_path = ${old};
        DROP TABLE document_index; DROP FUNCTION evidentia_index_document; DROP FUNCTION evidentia_document_hits;
        ALTER TABLE corpus_totals DROP COLUMN documents, DROP COLUMN document_tokens;
        UPDATE evidentia_schema SET version = 2`);
      const after = openPostgresStore(POSTGRES_URL!, { schema: old });
      try {
        expect(await after.searchDocuments(query)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(0);
        expect(await after.checkIntegrity()).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS ${old} CASCADE`);
    }
  });
});

describe.skipIf(NO_POSTGRES || !HAS_SHARED_DATA)('whole-document search on a BEIR corpus, PostgreSQL vs SQLite', () => {
  const schema = uniqueSchema();
  const tmp = tempDir();
  let pgStore: Store;
  let sqliteStore: Store;
  const questions: string[] = [];

  beforeAll(async () => {
    const set = await loadEvalSet(dataPath('medquad_beir'));
    const documents: SourceDocument[] = [];
    for await (const { document } of set.documents()) {
      documents.push(SourceDocument.parse(document));
      if (documents.length === 1000) break;
    }
    questions.push(...set.queries.slice(0, 40).map((q) => q.text));
    pgStore = openPostgresStore(POSTGRES_URL!, { schema });
    sqliteStore = openSqliteStore(join(tmp.dir, 'lib.db'));
    for (const store of [pgStore, sqliteStore]) {
      await store.importDocuments(async (session) => {
        for (const d of documents) await session.put(d);
      });
    }
  }, 120_000);
  afterAll(async () => {
    await pgStore?.close();
    await sqliteStore?.close();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    tmp.cleanup();
  });

  it('gives the same ranking for the benchmark queries of real questions', async () => {
    let found = 0;
    for (const text of questions) {
      const query = buildLexicalQuery(understand({ text }), benchmarkRetrieveOptions(), 100);
      found += await expectSameRanking(pgStore, sqliteStore, query);
    }
    expect(found).toBeGreaterThan(questions.length * 5);
    expect(await pgStore.checkIntegrity()).toEqual([]);
  });
});
