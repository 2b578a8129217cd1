import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { DocumentSearch, type SearchBudget } from '../src/adapters/store/sqlite/document-search.js';
import { toMatchExpression } from '../src/adapters/store/sqlite/fts-query.js';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import {
  loadNativeRanking,
  NATIVE_RANKING_FILE,
  type SearchRanking,
} from '../src/adapters/store/sqlite/native-ranking.js';
import { readVarints } from '../src/adapters/store/sqlite/bm25-scoring.js';
import type { SourceDocument } from '../src/domain/source.js';
import type { LexicalQuery } from '../src/ports/store.js';
import { tempDir, testDocument } from './helpers.js';

const WEIGHTS = { title: 20, heading: 10, body: 1 };
const FILLER = ['joint', 'skin', 'blood', 'sleep', 'heart', 'liver', 'kidney', 'bone'];

/** A library page: every page mentions "symptoms"; a few name a rare condition. */
function page(n: number): SourceDocument {
  const rare = n % 25 === 0 ? ' Gout flares start in the big toe.' : '';
  return testDocument(
    `page-${n}`,
    [
      {
        heading: n % 2 === 0 ? 'symptoms' : 'treatment',
        text: `Common symptoms of the ${FILLER[n % 8]} disease.${rare}`,
      },
    ],
    { title: n % 50 === 0 ? 'Gout' : `Condition ${n}` },
  );
}

/** A word in title or body, "symptoms" there too, and the symptoms section. */
function symptomsQuery(word: string, limit: number): LexicalQuery {
  return {
    clauses: [
      { text: word, field: 'content' },
      { text: 'symptoms', field: 'content' },
      { text: 'symptoms', phrase: true, field: 'heading' },
    ],
    fieldWeights: WEIGHTS,
    limit,
  };
}

const QUERY = symptomsQuery('gout', 10);

/** A budget small enough for the test library's few hundred documents to go beyond it. */
const SMALL_BUDGET: SearchBudget = {
  countCap: 2000,
  strata: 8,
  exactPostings: 50,
  candidatePostings: 50,
  titleLookupRatio: 64,
  rowidLookups: 200,
};

/**
 * The test library (400 pages) in a fresh SQLite file for each test: its store, and a read-only
 * connection to the same file for searching.
 */
function useTestLibrary(): { dir: ReturnType<typeof tempDir>; store: SqliteStore; db: Database.Database } {
  const lib = {} as { dir: ReturnType<typeof tempDir>; store: SqliteStore; db: Database.Database };
  beforeEach(async () => {
    lib.dir = tempDir();
    const file = join(lib.dir.dir, 'lib.db');
    lib.store = openSqliteStore(file);
    await lib.store.importDocuments(async (session) => {
      for (let n = 1; n <= 400; n++) await session.put(page(n));
    });
    lib.db = new Database(file, { readonly: true });
  });
  afterEach(async () => {
    lib.db.close();
    await lib.store.close();
    lib.dir.cleanup();
  });
  return lib;
}

// Every search below runs with FTS5's bm25() and with the native function: the same documents
// and scores either way.
describe.each<SearchRanking>(['fts5', 'native'])(
  'whole-document search with bounded work (real SQLite, %s ranking)',
  (ranking) => {
    const lib = useTestLibrary();
    /** A search of the test library with this ranking, and a small budget but for what a test sets. */
    const searchWith = (budget: Partial<SearchBudget>) =>
      new DocumentSearch(lib.db, { ...SMALL_BUDGET, ...budget }, ranking);
    beforeEach(() => {
      if (ranking === 'native') expect(loadNativeRanking(lib.db)).toBe('native');
    });

    /** FTS5's own ranking of the whole query, for comparison. */
    function exactRanking(query: LexicalQuery): Array<{ documentId: string; score: number }> {
      return lib.db
        .prepare<[number, number, number, string, number], { documentId: string; score: number }>(
          `SELECT d.id AS documentId, -f.score AS score
         FROM (SELECT rowid, bm25(documents_fts, ?, ?, ?) AS score FROM documents_fts WHERE documents_fts MATCH ?
               ORDER BY score LIMIT ?) f JOIN documents d ON d.rowid = f.rowid ORDER BY f.score, d.rowid`,
        )
        .all(WEIGHTS.title, WEIGHTS.heading, WEIGHTS.body, toMatchExpression(query)!, query.limit);
    }

    it('is exactly FTS5 BM25 while the postings fit the budget', () => {
      const search = searchWith({ exactPostings: 10_000, candidatePostings: 100 });
      const found = search.search(QUERY, WEIGHTS);
      const exact = exactRanking(QUERY);
      expect(found.map((d) => d.documentId)).toEqual(exact.map((d) => d.documentId));
      found.forEach((d, i) => expect(d.score).toBeCloseTo(exact[i]!.score, 6));
    });

    it('beyond the budget, finds only documents with the rare word and scores them as BM25 does', () => {
      // 133 pages have "symptoms", 100 a symptoms section, 16 "gout": a budget of 50 keeps "gout" only.
      const search = searchWith({});
      const found = search.search({ ...QUERY, limit: 100 }, WEIGHTS);
      expect(searchWith({ onePassCandidates: 1000 }).search({ ...QUERY, limit: 100 }, WEIGHTS)).toEqual(found);
      const gout = exactRanking({ ...QUERY, limit: 400 }).filter((d) => /^page-(\d+)$/.test(d.documentId));
      const withGout = new Set(
        Array.from({ length: 400 }, (_, i) => i + 1)
          .filter((n) => n % 25 === 0 || n % 50 === 0)
          .map((n) => `page-${n}`),
      );
      expect(new Set(found.map((d) => d.documentId))).toEqual(withGout);
      // Each of these pages has "symptoms" once per column it is in, so counting columns is exact:
      // the scores match FTS5's up to the estimated document count of "symptoms" (exact here).
      const exactScore = new Map(gout.map((d) => [d.documentId, d.score]));
      for (const d of found) expect(d.score).toBeCloseTo(exactScore.get(d.documentId)!, 6);
      expect(found[0]!.documentId).toBe(exactRanking(QUERY)[0]!.documentId);
    });

    describe('when every word is common', () => {
      // 50 pages name the kidney (all with a symptoms section), 200 have that section, all 400 say
      // "symptoms": a candidate budget of 40 finds no rare word, so the candidates are the pages
      // with the rarest words together.
      const COMMON = symptomsQuery('kidney', 100);
      const kidneyPages = Array.from({ length: 400 }, (_, i) => i + 1)
        .filter((n) => n % 8 === 6)
        .map((n) => `page-${n}`);

      it('ranks the pages having the rarest words together, with the scores of FTS5', () => {
        // "kidney" and the section (the rarest two: 50 pages together, over the budget of 40), then
        // "symptoms" too: the same 50 pages, which FTS5 scores on all three.
        const search = searchWith({ countCap: 300, exactPostings: 40, candidatePostings: 40 });
        const found = search.search(COMMON, WEIGHTS);
        expect(new Set(found.map((d) => d.documentId))).toEqual(new Set(kidneyPages));
        const exact = new Map(exactRanking({ ...COMMON, limit: 400 }).map((d) => [d.documentId, d.score]));
        for (const d of found) expect(d.score).toBeCloseTo(exact.get(d.documentId)!, 6);
        // With no other word to add, only the best few are taken from SQLite: the same best few.
        for (const limit of [1, 3, 10])
          expect(search.search({ ...COMMON, limit }, WEIGHTS)).toEqual(found.slice(0, limit));
      });

      it('finds the same when the candidates are looked up one by one and titles are matched apart', () => {
        const budget = { countCap: 300, strata: 8, exactPostings: 40, candidatePostings: 40 };
        const walked = searchWith({ ...budget, titleLookupRatio: Infinity, rowidLookups: 0 });
        const looked = searchWith({ ...budget, titleLookupRatio: 0, rowidLookups: 1000 });
        // With the native functions, every added word's columns from one pass over the candidates.
        const onePass = searchWith({ ...budget, onePassCandidates: 1000 });
        // "condition" (most titles) and "disease" (every body) are left over to be added to the candidates.
        const query: LexicalQuery = {
          ...COMMON,
          clauses: [...COMMON.clauses, { text: 'condition', field: 'content' }, { text: 'disease', field: 'content' }],
        };
        const found = looked.search(query, WEIGHTS);
        looked.close();
        expect(found).toHaveLength(50);
        expect(found).toEqual(walked.search(query, WEIGHTS));
        expect(onePass.search(query, WEIGHTS)).toEqual(found);
        const exact = new Map(exactRanking({ ...query, limit: 400 }).map((d) => [d.documentId, d.score]));
        for (const d of found) expect(d.score).toBeCloseTo(exact.get(d.documentId)!, 6);
      });
    });

    it('returns the best few as they are among all: candidates that cannot reach them are left out early', async () => {
      // 200 more pages: the candidates are the 60 with amber, birch and cedar together (each over the
      // budget of 40); dahlia, in 150 pages' titles or bodies or both, is added to them and reorders them.
      await lib.store.importDocuments(async (session) => {
        for (let n = 0; n < 200; n++) {
          const words = [
            n < 60 ? 'amber' : '',
            n < 80 ? 'birch' : '',
            n < 100 ? 'cedar' : '',
            n < 150 && n % 2 === 0 ? 'dahlia' : '',
          ];
          await session.put(
            testDocument(`tree-${n}`, [{ heading: 'notes', text: `${words.join(' ')} ${'leaf '.repeat(n % 9)}end.` }], {
              title: n < 150 && n % 3 === 0 ? `Dahlia ${n}` : `Tree ${n}`,
            }),
          );
        }
      });
      const query: LexicalQuery = {
        clauses: ['amber', 'birch', 'cedar', 'dahlia'].map((text) => ({ text, field: 'content' as const })),
        fieldWeights: WEIGHTS,
        limit: 400,
      };
      const budget = { countCap: 2000, strata: 8, exactPostings: 40, candidatePostings: 40, titleLookupRatio: 64 };
      for (const lookups of [{ rowidLookups: 0 }, { rowidLookups: 1000 }, { onePassCandidates: 1000 }]) {
        const search = searchWith({ ...budget, ...lookups });
        const all = search.search(query, WEIGHTS);
        expect(all).toHaveLength(60);
        const exact = new Map(exactRanking(query).map((d) => [d.documentId, d.score]));
        for (const d of all) expect(d.score).toBeCloseTo(exact.get(d.documentId)!, 6);
        for (const limit of [1, 3, 10])
          expect(search.search({ ...query, limit }, WEIGHTS)).toEqual(all.slice(0, limit));
        search.close();
      }
    });

    it('estimates the document count of a word beyond the cap from every part of the library', () => {
      // Cap 40 over 8 strata: "symptoms" (133 documents) and its section (100) are estimated from
      // five postings per stratum; spread evenly, the estimates are close and so are the scores.
      const search = searchWith({ countCap: 40 });
      const found = search.search({ ...QUERY, limit: 100 }, WEIGHTS);
      const exact = new Map(exactRanking({ ...QUERY, limit: 400 }).map((d) => [d.documentId, d.score]));
      expect(found.length).toBe(16);
      for (const d of found) expect(Math.abs(d.score - exact.get(d.documentId)!)).toBeLessThan(0.05);
    });

    describe("when a common word is looked for in the candidates' own titles", () => {
      /** 40 pages on podagra; "flare" in the title of 10, the body of 10, both in 10; 200 more pages with it in the body. */
      function flarePage(n: number): SourceDocument {
        const inTitle = n < 10 || (n >= 20 && n < 30);
        const inBody = (n >= 10 && n < 30) || n >= 40;
        const rare = n < 40 ? 'Podagra of the toe.' : 'Joint pain.';
        return testDocument(
          `flare-${n}`,
          [{ heading: 'overview', text: `${rare} ${inBody ? 'A flare came on at night.' : 'Nothing more.'}` }],
          { title: inTitle ? `Flare number ${n}` : `Page ${n}` },
        );
      }
      const FLARE: LexicalQuery = {
        clauses: [
          { text: 'podagra', field: 'content' },
          { text: 'flare', field: 'content' },
          { text: 'came on', phrase: true, field: 'content' },
        ],
        fieldWeights: WEIGHTS,
        limit: 100,
      };

      it('finds the same documents with the same scores as walking the postings, and as FTS5', async () => {
        await lib.store.importDocuments(async (session) => {
          for (let n = 0; n < 240; n++) await session.put(flarePage(n));
        });
        const walked = searchWith({ titleLookupRatio: Number.POSITIVE_INFINITY }).search(FLARE, WEIGHTS);
        const looked = searchWith({ titleLookupRatio: 0 });
        const found = looked.search(FLARE, WEIGHTS);
        looked.close();
        expect(found).toEqual(walked);
        expect(found).toHaveLength(40);
        // Each page has each word at most once per column, so counting columns is exact here.
        const exact = new Map(exactRanking({ ...FLARE, limit: 1000 }).map((d) => [d.documentId, d.score]));
        for (const d of found) expect(d.score).toBeCloseTo(exact.get(d.documentId)!, 6);
        // Title and body both count: a page with "flare" in both ranks above one with it in the title only.
        const score = new Map(found.map((d) => [d.documentId, d.score]));
        expect(score.get('flare-20')!).toBeGreaterThan(score.get('flare-0')!);
        expect(score.get('flare-0')!).toBeGreaterThan(score.get('flare-10')!);
        expect(score.get('flare-10')!).toBeGreaterThan(score.get('flare-30')!);
      });
    });
  },
);

describe('evidentia_bm25, the native ranking function (real SQLite file)', () => {
  const lib = useTestLibrary();

  /** Each row's score by bm25() and by evidentia_bm25 with the given counts, in rowid order. */
  function scores(expression: string, counts: ReadonlyArray<number | null>) {
    const byRowid = 'FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid';
    const fts5 = lib.db
      .prepare<[string], { rowid: number; score: number }>(
        `SELECT rowid, bm25(documents_fts, 20, 10, 1) AS score ${byRowid}`,
      )
      .all(expression);
    const native = lib.db
      .prepare<unknown[], { rowid: number; score: number }>(
        `SELECT rowid, evidentia_bm25(documents_fts, 20, 10, 1${', ?'.repeat(counts.length)}) AS score ${byRowid}`,
      )
      .all(...counts, expression);
    return { fts5, native };
  }
  const documentsOf = (phrase: string) =>
    lib.db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH ?')
      .get(phrase)!.n;

  it('is built by the install, and a library opened here ranks with it', () => {
    expect(existsSync(NATIVE_RANKING_FILE), `${NATIVE_RANKING_FILE} is missing: run npm run build:native`).toBe(true);
    expect(lib.store.searchRanking).toBe('native');
    expect(loadNativeRanking(lib.db)).toBe('native');
  });

  it('equals bm25() to 1e-9 given the exact document counts, or none', () => {
    expect(loadNativeRanking(lib.db)).toBe('native');
    const cases = [
      ['"gout"', '"symptoms"'],
      ['"kidney"', '"symptoms"', 'heading : "symptoms"'],
      ['{title body} : "gout"', '"common symptoms"', 'heading : "treatment"'],
    ];
    for (const phrases of cases) {
      for (const operator of [' OR ', ' AND ']) {
        const expression = phrases.join(operator);
        const exact = phrases.map(documentsOf);
        for (const counts of [exact, [], exact.map(() => null)]) {
          const { fts5, native } = scores(expression, counts);
          expect(fts5.length).toBeGreaterThan(0);
          expect(native.map((r) => r.rowid)).toEqual(fts5.map((r) => r.rowid));
          native.forEach((r, i) => expect(Math.abs(r.score - fts5[i]!.score)).toBeLessThan(1e-9));
        }
      }
    }
  });

  it('takes the document counts it is given instead of counting', () => {
    expect(loadNativeRanking(lib.db)).toBe('native');
    // "symptoms" is in 133 of 400 documents; said to be in 4, it weighs more (scores are negative).
    const expression = '"gout" OR "symptoms"';
    const told = scores(expression, [documentsOf('"gout"'), 4]);
    const counted = scores(expression, [null, null]);
    told.native.forEach((r, i) => expect(r.score).toBeLessThan(counted.native[i]!.score - 0.1));
  });

  it('keeps the row lengths in memory once the table is named, scoring as bm25() however the library changes', async () => {
    const db = new Database(join(lib.dir.dir, 'lib.db'));
    try {
      expect(loadNativeRanking(db)).toBe('native');
      db.prepare("SELECT evidentia_cache_lengths('documents_fts')").get();
      /** Every row of a table as bm25() and the native functions score and measure it, on this connection. */
      const expectBm25 = (table: 'documents_fts' | 'passages_fts') => {
        for (const expression of ['"gout" OR "symptoms"', '"kidney" AND "disease"', '"toe" OR "longer"']) {
          const rows = db
            .prepare<[string], { rowid: number; fts5: number; native: number; length: number; sz: Buffer | null }>(
              `SELECT f.rowid AS rowid, bm25(${table}, 20, 10, 1) AS fts5, evidentia_bm25(${table}, 20, 10, 1) AS native,
                      evidentia_length(${table}) AS length, s.sz AS sz
               FROM ${table} f LEFT JOIN ${table}_docsize s ON s.id = f.rowid WHERE ${table} MATCH ? ORDER BY f.rowid`,
            )
            .all(expression);
          expect(rows.length).toBeGreaterThan(0);
          for (const r of rows) {
            expect(Math.abs(r.native - r.fts5)).toBeLessThan(1e-9);
            expect(r.length).toBe(readVarints(r.sz!).reduce((a, b) => a + b, 0));
          }
        }
      };
      expectBm25('documents_fts');
      /** How many rows' lengths this connection holds for the table as it is. */
      const held = () => db.prepare<[], { n: number }>("SELECT evidentia_cache_lengths('documents_fts') AS n").get()!.n;
      expect(held()).toBe(400);
      // This connection writes a row longer: committed, then inside a transaction (where FTS5 measures).
      const rewrite = (rowid: number, words: number) => {
        db.prepare('DELETE FROM documents_fts WHERE rowid = ?').run(rowid);
        db.prepare('INSERT INTO documents_fts (rowid, title, heading, body) VALUES (?, ?, ?, ?)').run(
          rowid,
          'Gout',
          'symptoms',
          'longer kidney disease text '.repeat(words),
        );
      };
      rewrite(100, 30);
      expect(held()).toBe(0);
      expectBm25('documents_fts');
      expect(held()).toBe(400);
      db.transaction(() => {
        rewrite(101, 40);
        expectBm25('documents_fts');
      })();
      expectBm25('documents_fts');
      // Another connection makes a page longer (the store imports it again, same row).
      await lib.store.importDocuments(async (session) => {
        await session.put(
          testDocument('page-50', [{ heading: 'symptoms', text: 'Gout symptoms, now a longer page. '.repeat(20) }], {
            title: 'Gout',
          }),
        );
      });
      expectBm25('documents_fts');
      expect(held()).toBe(400);
      // Another table is measured by FTS5, not from the named table's lengths.
      expectBm25('passages_fts');
    } finally {
      db.close();
    }
  });

  it('lets the library close after searching with the lengths in memory: its log is folded back', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.dir, 'closing.db');
      const store = openSqliteStore(file);
      await store.importDocuments(async (session) => {
        for (let n = 1; n <= 50; n++) await session.put(page(n));
      });
      expect(store.searchRanking).toBe('native');
      expect(await store.searchDocuments({ ...QUERY, limit: 5 })).not.toHaveLength(0);
      await store.close();
      // The last connection to close checkpoints and removes the write-ahead log.
      expect(existsSync(`${file}-wal`)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  it('is left out when the extension cannot be loaded, and then bm25() ranks', () => {
    expect(loadNativeRanking(lib.db, join(lib.dir.dir, 'no-such-extension.so'))).toBe('fts5');
    expect(() => scores('"gout"', [])).toThrow(/evidentia_bm25/);
  });
});
