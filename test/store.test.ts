import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import { layoutSections, type SourceDocument } from '../src/domain/source.js';
import { tempDir } from './helpers.js';

function doc(id: string, body: string, extra: Partial<SourceDocument> = {}): SourceDocument {
  const { text, sections } = layoutSections([
    { heading: 'Background', text: body },
    { heading: 'Risks', text: 'Infection occurred in 2 of 100 patients. Bleeding was rare.' },
  ]);
  return {
    id,
    kind: 'rct',
    title: `Trial ${id}`,
    meshTerms: [],
    publicationTypes: [],
    funding: [],
    recommendations: [],
    metadata: {},
    text,
    sections,
    ...extra,
  };
}

describe('SQLite store', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let store: SqliteStore;
  let now = new Date('2026-01-01T00:00:00Z');

  beforeEach(() => {
    dir = tempDir();
    file = join(dir.dir, 'lib.db');
    store = openSqliteStore(file, { clock: { now: () => now } });
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  it('round-trips a document with its sections, sentences and offsets', async () => {
    const input = doc('t:1', 'Ablation reduced pain by 52.9% at 2 years. Dr. Smith et al. agreed.', {
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
  });

  it('imports the same source twice as one document, and a changed source as a new version', async () => {
    await store.importDocuments(async (s) => void (await s.put(doc('t:1', 'First wording of the finding.'))));
    const again = await store.importDocuments(
      async (s) => void (await s.put(doc('t:1', 'First wording of the finding.'))),
    );
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 1, deleted: 0 });
    expect((await store.stats()).documents).toBe(1);

    now = new Date('2026-02-01T00:00:00Z');
    const changed = await store.importDocuments(
      async (s) => void (await s.put(doc('t:1', 'Second wording of the finding.'))),
    );
    expect(changed.updated).toBe(1);
    const stored = await store.getDocument('t:1');
    expect(stored!.version).toBe(2);
    expect(stored!.text).toContain('Second wording');
    expect(stored!.updatedAt).toBe('2026-02-01T00:00:00.000Z');
    // The old passages are gone from the index, the new ones are found.
    expect(await store.searchPassages({ clauses: [{ text: 'first' }], limit: 10 })).toHaveLength(0);
    expect(await store.searchPassages({ clauses: [{ text: 'second' }], limit: 10 })).toHaveLength(1);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT version FROM document_versions WHERE document_id = ?').all('t:1')).toEqual([
      { version: 1 },
    ]);
    raw.close();
  });

  it('writes nothing of an import that fails part way', async () => {
    await expect(
      store.importDocuments(async (s) => {
        await s.put(doc('t:1', 'A document that must not survive.'));
        await s.put(doc('t:2', 'Another one.'));
        throw new Error('parser failed at line 9');
      }),
    ).rejects.toThrow('line 9');
    const stats = await store.stats();
    expect(stats).toMatchObject({ documents: 0, passages: 0, sentences: 0 });
    expect(await store.searchPassages({ clauses: [{ text: 'survive' }], limit: 5 })).toEqual([]);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('deletes a document with its passages', async () => {
    await store.importDocuments(async (s) => {
      await s.put(doc('t:1', 'Keep this one about ablation.'));
      await s.put(doc('t:2', 'Remove this one about ablation.'));
    });
    const counts = await store.importDocuments(async (s) => {
      expect(await s.delete('t:2')).toBe(true);
      expect(await s.delete('t:404')).toBe(false);
    });
    expect(counts.deleted).toBe(1);
    const hits = await store.searchPassages({ clauses: [{ text: 'ablation' }], limit: 10 });
    expect(hits.map((h) => h.documentId)).toEqual(['t:1']);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('ranks passages by BM25 with exact text and treats query syntax as words', async () => {
    await store.importDocuments(async (s) => {
      await s.put(doc('t:1', 'Basivertebral nerve ablation relieved vertebrogenic pain.'));
      await s.put(doc('t:2', 'Physical therapy helped some patients with pain.'));
    });
    const hits = await store.searchPassages({
      clauses: [{ text: 'basivertebral nerve ablation', phrase: true }, { text: 'pain' }],
      limit: 10,
    });
    expect(hits[0]!.documentId).toBe('t:1');
    expect(hits[0]!.score).toBeGreaterThan(hits[hits.length - 1]!.score);
    const stored = await store.getDocument(hits[0]!.documentId);
    expect(stored!.text.slice(hits[0]!.start, hits[0]!.end)).toBe(hits[0]!.text);
    // FTS5 operators in user text must not be interpreted (or crash the query).
    for (const hostile of ['NEAR(pain nerve)', 'title:pain', '"unbalanced', 'pain OR', '*', 'NOT pain', "pain') --"]) {
      await expect(store.searchPassages({ clauses: [{ text: hostile }], limit: 5 })).resolves.toBeInstanceOf(Array);
    }
    expect(await store.searchPassages({ clauses: [{ text: '?!' }], limit: 5 })).toEqual([]);
    const onlyGuidelines = await store.searchPassages({ clauses: [{ text: 'pain' }], kinds: ['guideline'], limit: 5 });
    expect(onlyGuidelines).toEqual([]);
  });

  it('saves article versions and refuses a stale write', async () => {
    const article = {
      id: 'a-1',
      version: 1,
      question: 'Does it work?',
      audience: 'clinician' as const,
      status: 'answered' as const,
      directAnswer: { text: 'Yes.', citations: [] },
      sections: [],
      recommendations: [],
      limitations: [],
      conflicts: [],
      references: [],
      relatedQuestions: [],
      readingGrade: 3,
      verification: { checked: 0, dropped: 0, failures: [] },
      review: { status: 'submitted' as const, history: [] },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      disclaimer: 'Not medical advice.',
    };
    await store.saveArticle(article, 'evidentia');
    await store.saveArticle({ ...article, version: 2, review: { status: 'approved', history: [] } }, 'reviewer');
    await expect(store.saveArticle({ ...article, version: 2 }, 'someone')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await store.getArticle('a-1'))!.review.status).toBe('approved');
    expect((await store.getArticle('a-1', 1))!.review.status).toBe('submitted');
    expect(await store.getArticle('missing')).toBeNull();
    const list = await store.listArticles({ reviewStatus: 'approved' });
    expect(list.map((a) => [a.id, a.version])).toEqual([['a-1', 2]]);
    expect((await store.stats()).articles).toBe(1);
  });

  it('keeps data across reopen and refuses a database from a newer schema', async () => {
    await store.importDocuments(async (s) => void (await s.put(doc('t:1', 'Persisted text.'))));
    await store.close();
    store = openSqliteStore(file);
    expect((await store.stats()).documents).toBe(1);
    await store.close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openSqliteStore(file)).toThrow(/newer Evidentia/);
    store = openSqliteStore(join(dir.dir, 'other.db'));
  });
});
