import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/domain/article.js';
import { isEvidentiaError } from '../src/domain/errors.js';
import type { SourceDocument } from '../src/domain/source.js';
import type { Clock } from '../src/ports/clock.js';
import type { Store } from '../src/ports/store.js';
import { testDocument } from './helpers.js';

/** One database under test: every `open` reaches the same library, as another process would. */
export interface StoreFixture {
  open(clock?: Clock): Store;
  /** Archived versions of a document, read from the backend directly (not through the port). */
  archivedVersions(documentId: string): Promise<number[]>;
  /** Marks the database as written by a later schema than this Evidentia knows. */
  setFutureSchema(): Promise<void>;
  /** Removes the database. */
  destroy(): Promise<void>;
}

export function conformanceDoc(id: string, body: string, extra: Partial<SourceDocument> = {}): SourceDocument {
  return testDocument(
    id,
    [
      { heading: 'Background', text: body },
      { heading: 'Risks', text: 'Infection occurred in 2 of 100 patients. Bleeding was rare.' },
    ],
    { kind: 'rct', title: `Trial ${id}`, ...extra },
  );
}

export function conformanceArticle(overrides: Partial<Article> = {}): Article {
  return {
    id: 'a-1',
    version: 1,
    question: 'Does it work?',
    audience: 'clinician',
    status: 'answered',
    directAnswer: { text: 'Yes.', citations: [] },
    sections: [],
    recommendations: [],
    limitations: [],
    conflicts: [],
    references: [],
    relatedQuestions: [],
    readingGrade: 3,
    verification: { checked: 0, dropped: 0, failures: [] },
    review: { status: 'submitted', history: [] },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    disclaimer: 'Not medical advice.',
    ...overrides,
  } as Article;
}

/**
 * The behaviour every Store must have, run against each backend with the same assertions.
 * @param name the backend, for test names
 * @param createFixture makes a fresh, empty database
 */
export function runStoreConformance(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`${name} store (conformance)`, () => {
    let fixture: StoreFixture;
    let store: Store;
    const extra: Store[] = [];
    let now = new Date('2026-01-01T00:00:00Z');
    const clock: Clock = { now: () => now };

    beforeEach(async () => {
      now = new Date('2026-01-01T00:00:00Z');
      fixture = await createFixture();
      store = fixture.open(clock);
    });
    afterEach(async () => {
      await store.close();
      for (const s of extra.splice(0)) await s.close();
      await fixture.destroy();
    });

    /** Another connection to the same library, closed after the test. */
    function another(): Store {
      const s = fixture.open(clock);
      extra.push(s);
      return s;
    }

    it('round-trips a document with its sections, sentences and offsets', async () => {
      const input = conformanceDoc('t:1', 'Ablation reduced pain by 52.9% at 2 years. Dr. Smith et al. agreed.', {
        year: 2019,
        pmid: '123',
        meshTerms: ['Low Back Pain'],
      });
      const counts = await store.importDocuments(async (s) => {
        expect(await s.put(input)).toBe('inserted');
      });
      expect(counts).toEqual({ inserted: 1, updated: 0, unchanged: 0, deleted: 0 });
      const stored = await store.getDocument('t:1');
      expect(stored).toMatchObject({ id: 't:1', title: 'Trial t:1', year: 2019, pmid: '123', version: 1 });
      expect(stored!.text).toBe(input.text);
      expect(stored!.sections).toEqual(input.sections);
      expect(stored!.meshTerms).toEqual(['Low Back Pain']);
      const sentences = await store.getSentences('t:1');
      expect(sentences.map((s) => s.text)).toEqual([
        'Ablation reduced pain by 52.9% at 2 years.',
        'Dr. Smith et al. agreed.',
        'Infection occurred in 2 of 100 patients.',
        'Bleeding was rare.',
      ]);
      for (const s of sentences) expect(input.text.slice(s.start, s.end)).toBe(s.text);
      expect(sentences[2]!.sectionIndex).toBe(1);
      expect(await store.getSentences('t:404')).toEqual([]);
      const many = await store.getDocuments(['t:1', 't:404', 't:1']);
      expect([...many.keys()]).toEqual(['t:1']);
    });

    it('keeps offsets exact for text outside the Basic Multilingual Plane', async () => {
      const body = 'Patients 😀 reported relief. Naïve café users 𝑥 agreed.';
      await store.importDocuments(async (s) => void (await s.put(conformanceDoc('t:u', body))));
      const sentences = await store.getSentences('t:u');
      const stored = await store.getDocument('t:u');
      for (const s of sentences) expect(stored!.text.slice(s.start, s.end)).toBe(s.text);
      const [hit] = await store.searchPassages({ clauses: [{ text: 'cafe' }], limit: 1 });
      expect(hit!.text).toBe(stored!.text.slice(hit!.start, hit!.end));
      expect(hit!.text).toContain('café');
    });

    it('imports the same source twice as one document, and a changed source as a new version', async () => {
      await store.importDocuments(
        async (s) => void (await s.put(conformanceDoc('t:1', 'First wording of the finding.'))),
      );
      const again = await store.importDocuments(
        async (s) => void (await s.put(conformanceDoc('t:1', 'First wording of the finding.'))),
      );
      expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });
      expect((await store.stats()).documents).toBe(1);

      now = new Date('2026-02-01T00:00:00Z');
      const changed = await store.importDocuments(
        async (s) => void (await s.put(conformanceDoc('t:1', 'Second wording of the finding.'))),
      );
      expect(changed.updated).toBe(1);
      const stored = await store.getDocument('t:1');
      expect(stored!.version).toBe(2);
      expect(stored!.text).toContain('Second wording');
      expect(stored!.updatedAt).toBe('2026-02-01T00:00:00.000Z');
      // The old passages are gone from the index, the new ones are found.
      expect(await store.searchPassages({ clauses: [{ text: 'first' }], limit: 10 })).toHaveLength(0);
      expect(await store.searchPassages({ clauses: [{ text: 'second' }], limit: 10 })).toHaveLength(1);
      expect(await fixture.archivedVersions('t:1')).toEqual([1]);
      expect(await store.checkIntegrity()).toEqual([]);
    });

    it('writes nothing of an import that fails part way', async () => {
      await expect(
        store.importDocuments(async (s) => {
          await s.put(conformanceDoc('t:1', 'A document that must not survive.'));
          await s.put(conformanceDoc('t:2', 'Another one.'));
          throw new Error('parser failed at line 9');
        }),
      ).rejects.toThrow('line 9');
      const stats = await store.stats();
      expect(stats).toMatchObject({ documents: 0, passages: 0, sentences: 0 });
      expect(await store.searchPassages({ clauses: [{ text: 'survive' }], limit: 5 })).toEqual([]);
      expect(await store.checkIntegrity()).toEqual([]);
      // The store is usable afterwards.
      await store.importDocuments(async (s) => void (await s.put(conformanceDoc('t:3', 'Survivor.'))));
      expect((await store.stats()).documents).toBe(1);
    });

    it('imports hundreds of documents with repeats and deletes in between, counting each', async () => {
      const counts = await store.importDocuments(async (s) => {
        for (let i = 0; i < 450; i++) await s.put(conformanceDoc(`t:${i}`, `Finding number ${i} about ablation.`));
        expect(await s.put(conformanceDoc('t:7', 'Finding number 7 about ablation.'))).toBe('unchanged');
        expect(await s.delete('t:3')).toBe(true);
        expect(await s.put(conformanceDoc('t:3', 'Finding three, restored.'))).toBe('inserted');
        expect(await s.put(conformanceDoc('t:5', 'Finding five, corrected.'))).toBe('updated');
      });
      expect(counts).toEqual({ inserted: 451, updated: 1, unchanged: 1, deleted: 1 });
      const stats = await store.stats();
      expect(stats.documents).toBe(450);
      expect((await store.getDocument('t:5'))!.version).toBe(2);
      expect((await store.getDocument('t:3'))!.text).toContain('restored');
      expect(await store.searchPassages({ clauses: [{ text: 'corrected' }], limit: 5 })).toHaveLength(1);
      expect(await store.checkIntegrity()).toEqual([]);
    });

    it('refuses a second import on the same store while one runs', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:1', 'Slow import.'));
        await gate;
      });
      await expect(store.importDocuments(async () => undefined)).rejects.toMatchObject({ code: 'CONFLICT' });
      release();
      await expect(first).resolves.toMatchObject({ inserted: 1 });
    });

    it('deletes a document with its passages', async () => {
      await store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:1', 'Keep this one about ablation.'));
        await s.put(conformanceDoc('t:2', 'Remove this one about ablation.'));
      });
      const counts = await store.importDocuments(async (s) => {
        expect(await s.delete('t:2')).toBe(true);
        expect(await s.delete('t:404')).toBe(false);
      });
      expect(counts.deleted).toBe(1);
      const hits = await store.searchPassages({ clauses: [{ text: 'ablation' }], limit: 10 });
      expect(hits.map((h) => h.documentId)).toEqual(['t:1']);
      expect(await store.getDocument('t:2')).toBeNull();
      expect(await store.getSentences('t:2')).toEqual([]);
      expect(await fixture.archivedVersions('t:2')).toEqual([1]);
      expect(await store.checkIntegrity()).toEqual([]);
    });

    it('gives title, section headings and body of each found document, and nothing for unknown ids', async () => {
      const doc = conformanceDoc('t:1', 'Ablation reduced pain.');
      await store.importDocuments(async (s) => void (await s.put(doc)));
      const texts = await store.getSearchTexts(['t:1', 't:404', 't:1']);
      expect([...texts.keys()]).toEqual(['t:1']);
      expect(texts.get('t:1')).toBe(['Trial t:1', 'Background\nRisks', doc.text].join('\n'));
      expect((await store.getSearchTexts([])).size).toBe(0);
    });

    it('ranks passages by BM25 with exact text and treats query syntax as words', async () => {
      await store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:1', 'Basivertebral nerve ablation relieved vertebrogenic pain.'));
        await s.put(conformanceDoc('t:2', 'Physical therapy helped some patients with pain.'));
        await s.put(conformanceDoc('t:3', 'Guidance on pain.', { kind: 'guideline', title: 'Pain guideline' }));
      });
      const hits = await store.searchPassages({
        clauses: [{ text: 'basivertebral nerve ablation', phrase: true }, { text: 'pain' }],
        limit: 10,
      });
      expect(hits[0]!.documentId).toBe('t:1');
      expect(hits[0]!.score).toBeGreaterThan(hits[hits.length - 1]!.score);
      const stored = await store.getDocument(hits[0]!.documentId);
      expect(stored!.text.slice(hits[0]!.start, hits[0]!.end)).toBe(hits[0]!.text);
      expect(hits[0]!.section).toBe('Background');
      // Stemming: a different form of the word finds the passage.
      const stemmed = await store.searchPassages({ clauses: [{ text: 'relieving' }], limit: 5 });
      expect(stemmed.map((h) => h.documentId)).toEqual(['t:1']);
      // A phrase matches its words in order only.
      expect(await store.searchPassages({ clauses: [{ text: 'ablation nerve', phrase: true }], limit: 5 })).toEqual([]);
      // Query operators in user text must not be interpreted (or crash the query).
      for (const hostile of [
        'NEAR(pain nerve)',
        'title:pain',
        '"unbalanced',
        'pain OR',
        '*',
        'NOT pain',
        "pain') --",
        "pain' | !",
        'pain & !nerve <-> :*',
        '\\',
      ]) {
        await expect(store.searchPassages({ clauses: [{ text: hostile }], limit: 5 })).resolves.toBeInstanceOf(Array);
      }
      expect(await store.searchPassages({ clauses: [{ text: '?!' }], limit: 5 })).toEqual([]);
      const onlyGuidelines = await store.searchPassages({
        clauses: [{ text: 'pain' }],
        kinds: ['guideline'],
        limit: 5,
      });
      expect(new Set(onlyGuidelines.map((h) => h.documentId))).toEqual(new Set(['t:3']));
      const noCohort = await store.searchPassages({ clauses: [{ text: 'pain' }], kinds: ['cohort'], limit: 5 });
      expect(noCohort).toEqual([]);
      expect(await store.searchPassages({ clauses: [{ text: 'pain' }], limit: 1 })).toHaveLength(1);
    });

    it('ranks whole documents, each once, and honours the kind filter', async () => {
      await store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:1', 'Basivertebral nerve ablation relieved vertebrogenic pain.'));
        await s.put(conformanceDoc('t:2', 'Physical therapy helped some patients with pain.'));
        await s.put(conformanceDoc('t:3', 'Guidance on pain.', { kind: 'guideline', title: 'Pain guideline' }));
      });
      const query = { clauses: [{ text: 'basivertebral nerve ablation', phrase: true }, { text: 'pain' }], limit: 10 };
      const found = await store.searchDocuments(query);
      expect(found[0]!.documentId).toBe('t:1');
      expect(found.map((d) => d.documentId).sort()).toEqual(['t:1', 't:2', 't:3']);
      for (let i = 1; i < found.length; i++) expect(found[i - 1]!.score).toBeGreaterThanOrEqual(found[i]!.score);
      expect((await store.searchDocuments({ ...query, limit: 1 })).map((d) => d.documentId)).toEqual(['t:1']);
      const guidelines = await store.searchDocuments({ ...query, kinds: ['guideline'] });
      expect(guidelines.map((d) => d.documentId)).toEqual(['t:3']);
      expect(await store.searchDocuments({ clauses: [{ text: '?!' }], limit: 5 })).toEqual([]);
    });

    it("looks words up in the library's own vocabulary: presence, and the terms near an absent word", async () => {
      await store.importDocuments(async (s) => {
        await s.put(conformanceDoc('v:1', 'Spanish influenza spread in 1918. LB100 inhibits PP2A.'));
        await s.put(conformanceDoc('v:2', 'The Spanish pandemic strain was reconstructed. LB-100 was given.'));
        await s.put(conformanceDoc('v:3', 'Spaniards and Spanish sailors were studied.'));
        await s.put(conformanceDoc('v:4', 'Spain reported cases; Spanish doctors wrote the report.'));
      });
      const words = ['Spanish', 'spanich', 'LB100', 'lb-100', 'LB-1000', 'Pandémic', ''];
      const found = await store.lookUpWords(words);
      expect(found.map((w) => [w.word, w.present])).toEqual([
        ['Spanish', true],
        ['spanich', false],
        ['LB100', true],
        ['lb-100', true],
        ['LB-1000', false],
        ['Pandémic', true],
        ['', false],
      ]);
      expect(found.map((w) => w.terms)).toEqual([
        ['spanish'],
        ['spanich'],
        ['lb100'],
        ['lb', '100'],
        ['lb', '1000'],
        ['pandem'],
        [],
      ]);
      // Nothing is listed near a word unless asked.
      expect(found.every((w) => w.near.length === 0)).toBe(true);

      const near = { prefix: 2, lengthDifference: 2, limit: 5 };
      const [spanich, lb, short] = await store.lookUpWords(['spanich', 'lb-100', 'sp'], near);
      // Terms starting "sp", 5 to 9 characters long, most documents first; the word's own term is never listed.
      expect(spanich!.near).toEqual([
        { term: 'spanish', documents: 4 },
        { term: 'spain', documents: 1 },
        { term: 'spaniard', documents: 1 },
        { term: 'spread', documents: 1 },
      ]);
      expect(lb!.near).toEqual([]);
      expect(short!.near).toEqual([]);
      const limited = await store.lookUpWords(['spanich'], { ...near, limit: 1 });
      expect(limited[0]!.near).toEqual([{ term: 'spanish', documents: 4 }]);
    });

    it('finds the same after its search indexes are optimized, and keeps importing', async () => {
      // Several imports leave several index segments behind, which optimizing merges.
      for (let n = 0; n < 4; n++)
        await store.importDocuments(async (s) => {
          for (let k = 0; k < 5; k++)
            await s.put(conformanceDoc(`t:${n}-${k}`, `Ablation study ${n} of pain in segment ${k}.`));
        });
      const query = { clauses: [{ text: 'ablation' }, { text: 'pain' }, { text: '2' }], limit: 20 };
      const documents = await store.searchDocuments(query);
      const passages = await store.searchPassages(query);
      expect(documents).toHaveLength(20);
      await store.optimizeSearch();
      expect(await store.searchDocuments(query)).toEqual(documents);
      expect(await store.searchPassages(query)).toEqual(passages);
      await store.importDocuments(async (s) => void (await s.put(conformanceDoc('t:new', 'Cryoablation of pain.'))));
      const found = await store.searchDocuments({ clauses: [{ text: 'cryoablation' }], limit: 5 });
      expect(found.map((d) => d.documentId)).toEqual(['t:new']);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const running = store.importDocuments(async () => gate);
      await expect(store.optimizeSearch()).rejects.toMatchObject({ code: 'CONFLICT' });
      release();
      await running;
    });

    it('ranks as a fresh library after documents are changed and removed, once optimized', async () => {
      const docs = Array.from({ length: 8 }, (_, k) =>
        conformanceDoc(`t:${k}`, `Radiofrequency ablation ${k} eased back pain${' in many patients'.repeat(k)}.`),
      );
      await store.importDocuments(async (s) => {
        for (const d of docs) await s.put(d);
      });
      // Changed content under the same ids (longer and shorter), and two documents gone.
      const changed = [
        conformanceDoc('t:1', 'Ablation of the basivertebral nerve eased chronic back pain for two years in most.'),
        conformanceDoc('t:6', 'Back pain.'),
      ];
      await store.importDocuments(async (s) => {
        for (const d of changed) expect(await s.put(d)).toBe('updated');
        expect(await s.delete('t:3')).toBe(true);
        expect(await s.delete('t:7')).toBe(true);
      });
      const final = [...docs.filter((d) => !['t:1', 't:3', 't:6', 't:7'].includes(d.id)), ...changed];
      const report = await store.optimizeSearch();
      for (const s of report.rebuilt) expect(s.counted).not.toBe(s.rows);
      const statistics = await store.searchStatistics();
      expect(statistics.map((s) => s.index)).toEqual(['documents', 'passages']);
      expect(statistics[0]!.rows).toBe(6);
      expect(statistics[1]!.rows).toBe((await store.stats()).passages);
      for (const s of statistics) expect(s.counted).toBe(s.rows);

      const freshFixture = await createFixture();
      const fresh = freshFixture.open(clock);
      try {
        await fresh.importDocuments(async (s) => {
          for (const d of final) await s.put(d);
        });
        expect(await fresh.searchStatistics()).toEqual(await store.searchStatistics());
        for (const text of ['back pain', 'ablation', 'patients', 'basivertebral nerve']) {
          // Every match (the limit exceeds them), keyed by document and offset: equal scores may
          // come in either order, as the two libraries number their rows differently.
          const query = { clauses: [{ text }], limit: 100 };
          const keyed = (rows: Array<{ documentId: string; start?: number; score: number }>) =>
            rows
              .map((r) => ({ key: `${r.documentId}@${r.start ?? 0}`, score: r.score }))
              .sort((a, b) => a.key.localeCompare(b.key));
          for (const [expected, found] of [
            [await fresh.searchDocuments(query), await store.searchDocuments(query)],
            [await fresh.searchPassages(query), await store.searchPassages(query)],
          ] as const) {
            expect(expected.length).toBeGreaterThan(0);
            const want = keyed(expected);
            const got = keyed(found);
            expect(got.map((r) => r.key)).toEqual(want.map((r) => r.key));
            got.forEach((r, i) => expect(Math.abs(r.score - want[i]!.score)).toBeLessThan(1e-9));
          }
        }
      } finally {
        await fresh.close();
        await freshFixture.destroy();
      }
    });

    it('weighs the title field as asked', async () => {
      await store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:title', 'Nothing else here.', { title: 'Sciatica care' }));
        await s.put(conformanceDoc('t:body', 'Sciatica care was studied.', { title: 'A trial' }));
      });
      const titleFirst = await store.searchPassages({
        clauses: [{ text: 'sciatica' }],
        fieldWeights: { title: 10, heading: 1, body: 1 },
        limit: 1,
      });
      expect(titleFirst[0]!.documentId).toBe('t:title');
      const bodyFirst = await store.searchPassages({
        clauses: [{ text: 'sciatica' }],
        fieldWeights: { title: 0.1, heading: 1, body: 10 },
        limit: 1,
      });
      expect(bodyFirst[0]!.documentId).toBe('t:body');
    });

    it('saves article versions and refuses a stale write', async () => {
      const article = conformanceArticle();
      await store.saveArticle(article, 'evidentia');
      await store.saveArticle({ ...article, version: 2, review: { status: 'approved', history: [] } }, 'reviewer');
      await expect(store.saveArticle({ ...article, version: 2 }, 'someone')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store.saveArticle({ ...article, version: 4 }, 'someone')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect((await store.getArticle('a-1'))!.review.status).toBe('approved');
      expect((await store.getArticle('a-1', 1))!.review.status).toBe('submitted');
      expect(await store.getArticle('a-1', 3)).toBeNull();
      expect(await store.getArticle('missing')).toBeNull();
      const list = await store.listArticles({ reviewStatus: 'approved' });
      expect(list.map((a) => [a.id, a.version])).toEqual([['a-1', 2]]);
      expect(await store.listArticles({ reviewStatus: 'rejected' })).toEqual([]);
      expect((await store.listArticles()).map((a) => a.id)).toEqual(['a-1']);
      expect((await store.stats()).articles).toBe(1);
    });

    it('lets exactly one of two connections save the same article version', async () => {
      const other = another();
      await store.saveArticle(conformanceArticle(), 'evidentia');
      for (let version = 2; version <= 11; version++) {
        const results = await Promise.allSettled([
          store.saveArticle(conformanceArticle({ version, title: `A ${version}` }), 'alice'),
          other.saveArticle(conformanceArticle({ version, title: `B ${version}` }), 'bob'),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toMatchObject({ code: 'CONFLICT' });
        // What both connections now read is the winner's write, and it is kept as that version.
        const winner = results[0]!.status === 'fulfilled' ? `A ${version}` : `B ${version}`;
        expect((await other.getArticle('a-1'))!.title).toBe(winner);
        expect((await store.getArticle('a-1', version))!.title).toBe(winner);
      }
      expect((await store.getArticle('a-1'))!.version).toBe(11);
    });

    it('loses no update when writers on several connections retry after a conflict', async () => {
      const writers = [store, another(), another()];
      await store.saveArticle(conformanceArticle(), 'evidentia');
      const perWriter = 6;
      await Promise.all(
        writers.map(async (writer, w) => {
          for (let n = 0; n < perWriter; n++) {
            for (;;) {
              const current = (await writer.getArticle('a-1'))!;
              const event = { from: null, to: 'submitted' as const, by: `writer-${w}`, at: `edit ${n}` };
              try {
                await writer.saveArticle(
                  {
                    ...current,
                    version: current.version + 1,
                    review: { ...current.review, history: [...current.review.history, event] },
                  },
                  `writer-${w}`,
                );
                break;
              } catch (error) {
                if (!isEvidentiaError(error) || error.code !== 'CONFLICT') throw error;
                await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
              }
            }
          }
        }),
      );
      const final = (await store.getArticle('a-1'))!;
      expect(final.version).toBe(1 + writers.length * perWriter);
      expect(final.review.history).toHaveLength(writers.length * perWriter);
      for (let w = 0; w < writers.length; w++) {
        expect(final.review.history.filter((e) => e.by === `writer-${w}`).map((e) => e.at)).toEqual(
          Array.from({ length: perWriter }, (_, n) => `edit ${n}`),
        );
      }
    });

    it('lists every saved version of an article with its author, time and review status', async () => {
      expect(await store.listArticleVersions('a-1')).toEqual([]);
      await store.saveArticle(conformanceArticle(), 'evidentia');
      now = new Date('2026-01-02T08:00:00Z');
      await store.saveArticle(
        conformanceArticle({ version: 2, review: { status: 'under_review', history: [] } }),
        'rita',
      );
      now = new Date('2026-01-03T09:30:00Z');
      await store.saveArticle(conformanceArticle({ version: 3, review: { status: 'approved', history: [] } }), 'rita');
      await store.saveArticle(conformanceArticle({ id: 'a-2' }), 'evidentia');
      expect(await another().listArticleVersions('a-1')).toEqual([
        { version: 1, author: 'evidentia', savedAt: '2026-01-01T00:00:00.000Z', reviewStatus: 'submitted' },
        { version: 2, author: 'rita', savedAt: '2026-01-02T08:00:00.000Z', reviewStatus: 'under_review' },
        { version: 3, author: 'rita', savedAt: '2026-01-03T09:30:00.000Z', reviewStatus: 'approved' },
      ]);
      expect((await store.listArticleVersions('a-2')).map((v) => v.version)).toEqual([1]);
      expect(await store.listArticleVersions('missing')).toEqual([]);
    });

    it('keeps accounts with unique usernames, listed by name without their password hashes', async () => {
      const rita = {
        id: 'u-1',
        username: 'rita',
        role: 'reviewer' as const,
        passwordHash: 'scrypt$1$a',
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      const ed = {
        id: 'u-2',
        username: 'ed',
        role: 'editor' as const,
        passwordHash: 'scrypt$1$b',
        createdAt: '2026-01-02T00:00:00.000Z',
      };
      expect(await store.listUsers()).toEqual([]);
      await store.createUser(rita);
      await store.createUser(ed);
      const other = another();
      expect(await other.findUserByName('rita')).toEqual(rita);
      expect(await other.getUser('u-2')).toEqual(ed);
      expect(await store.findUserByName('nobody')).toBeNull();
      expect(await store.getUser('u-9')).toBeNull();
      expect(await store.listUsers()).toEqual([
        { id: 'u-2', username: 'ed', role: 'editor', createdAt: '2026-01-02T00:00:00.000Z' },
        { id: 'u-1', username: 'rita', role: 'reviewer', createdAt: '2026-01-01T00:00:00.000Z' },
      ]);
      await expect(store.createUser({ ...rita, id: 'u-3', role: 'admin' })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.findUserByName('rita'))!.role).toBe('reviewer');
      // Two connections adding the same name at once: one account, the other writer is told.
      const results = await Promise.allSettled([
        store.createUser({ ...ed, id: 'u-4', username: 'sam' }),
        other.createUser({ ...ed, id: 'u-5', username: 'sam' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: 'CONFLICT' });
      expect((await store.listUsers()).map((u) => u.username)).toEqual(['ed', 'rita', 'sam']);
    });

    it('finds a session or API token by its hash until it expires, and forgets it when deleted', async () => {
      await store.createUser({ id: 'u-1', username: 'rita', role: 'reviewer', passwordHash: 'h', createdAt: 'x' });
      const session = {
        tokenHash: 'hash-session',
        userId: 'u-1',
        kind: 'session' as const,
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T12:00:00.000Z',
      };
      const token = {
        ...session,
        tokenHash: 'hash-api',
        kind: 'api' as const,
        label: 'nightly export',
        expiresAt: '2027-01-01T00:00:00.000Z',
      };
      await store.saveCredential(session);
      await store.saveCredential(token);
      const other = another();
      expect(await other.findCredential('hash-session', '2026-01-01T11:59:59.999Z')).toEqual(session);
      expect(await other.findCredential('hash-api', '2026-06-01T00:00:00.000Z')).toEqual(token);
      expect(await other.findCredential('hash-session', '2026-01-01T12:00:00.000Z')).toBeNull();
      expect(await other.findCredential('hash-session', '2026-02-01T00:00:00.000Z')).toBeNull();
      expect(await other.findCredential('hash-unknown', '2026-01-01T00:00:00.000Z')).toBeNull();
      await store.deleteCredential('hash-api');
      await store.deleteCredential('hash-unknown');
      expect(await other.findCredential('hash-api', '2026-06-01T00:00:00.000Z')).toBeNull();
      expect(await other.findCredential('hash-session', '2026-01-01T01:00:00.000Z')).toEqual(session);
    });

    it('appends to the audit log and reads it newest first, as many as asked', async () => {
      expect(await store.listAudit()).toEqual([]);
      const entries = Array.from({ length: 5 }, (_, n) => ({
        at: `2026-01-01T00:00:0${n}.000Z`,
        actor: n % 2 ? 'rita' : 'ed',
        action: 'article.transition',
        target: `a-${n}@2`,
        ...(n === 3 ? {} : { detail: `step ${n}` }),
      }));
      const other = another();
      for (const [n, entry] of entries.entries()) await (n % 2 ? other : store).appendAudit(entry);
      expect(await store.listAudit()).toEqual([...entries].reverse());
      expect(await other.listAudit({ limit: 2 })).toEqual([entries[4], entries[3]]);
      expect((await store.listAudit({ limit: 2 }))[1]).not.toHaveProperty('detail');
      // Free text reaches the log whatever it holds; PostgreSQL keeps U+0000 as U+FFFD.
      await store.appendAudit({
        at: '2026-01-02T00:00:00.000Z',
        actor: 'anonymous',
        action: 'article.create',
        target: 'a-9@1',
        detail: 'nul\u0000here',
      });
      const [last] = await store.listAudit({ limit: 1 });
      expect(last!.detail!.replace('\uFFFD', '\u0000')).toBe('nul\u0000here');
    });

    it('keeps the turns of a conversation in order and finds the thread of an article', async () => {
      expect(await store.getThread('t-1')).toBeNull();
      expect(await store.threadOfArticle('a-1')).toBeNull();
      const turn = (n: number) => ({
        asked: n === 1 ? 'Does ablation help back pain?' : `and ${n}?`,
        question: `question ${n}`,
        articleId: `a-${n}`,
        at: `2026-01-01T00:00:0${n}.000Z`,
      });
      await store.appendTurn('t-1', turn(1));
      await store.appendTurn('t-1', turn(2));
      await store.appendTurn('t-2', turn(5));
      const other = another();
      expect(await other.getThread('t-1')).toEqual({ id: 't-1', turns: [turn(1), turn(2)] });
      expect(await other.threadOfArticle('a-2')).toEqual({ id: 't-1', turns: [turn(1), turn(2)] });
      expect(await other.threadOfArticle('a-5')).toEqual({ id: 't-2', turns: [turn(5)] });
      expect(await other.threadOfArticle('a-9')).toBeNull();
      // Follow-ups saved at once from two connections all land, each once.
      await Promise.all([3, 4, 6, 7].map((n) => (n % 2 ? store : other).appendTurn('t-1', turn(n))));
      const turns = (await store.getThread('t-1'))!.turns;
      expect(turns.slice(0, 2)).toEqual([turn(1), turn(2)]);
      expect(turns.map((t) => t.articleId).sort()).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-6', 'a-7']);
    });

    it('shows an import to another connection only once it commits', async () => {
      const other = another();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const importing = store.importDocuments(async (s) => {
        await s.put(conformanceDoc('t:1', 'Pending text about ablation.'));
        written();
        await gate;
      });
      await wrote;
      expect(await other.getDocument('t:1')).toBeNull();
      release();
      await importing;
      expect((await other.getDocument('t:1'))!.version).toBe(1);
      expect(await other.searchPassages({ clauses: [{ text: 'ablation' }], limit: 5 })).toHaveLength(1);
    }, 20_000);

    it('keeps data across reopen and refuses a database from a newer schema', async () => {
      await store.importDocuments(async (s) => void (await s.put(conformanceDoc('t:1', 'Persisted text.'))));
      await store.close();
      store = fixture.open(clock);
      expect((await store.stats()).documents).toBe(1);
      expect(await store.checkIntegrity()).toEqual([]);
      await store.close();
      await fixture.setFutureSchema();
      const future = async () => {
        const s = fixture.open(clock);
        try {
          await s.stats();
        } finally {
          await s.close();
        }
      };
      await expect(future()).rejects.toThrow(/newer Evidentia/);
      const fresh = await createFixture();
      await fixture.destroy();
      fixture = fresh;
      store = fixture.open(clock);
    });
  });
}
