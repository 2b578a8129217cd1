import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import { librarySpellings } from '../src/pipeline/retrieve/library-spelling.js';
import { codeClauses, queryClauses } from '../src/pipeline/retrieve/query-terms.js';
import { DEFAULT_RETRIEVE_OPTIONS, retrieve } from '../src/pipeline/retrieve/retrieve.js';
import { renderMarkdown } from '../src/pipeline/render/markdown.js';
import { answerQuestion, DEFAULT_ANSWER_SETTINGS, gatherEvidence } from '../src/pipeline/run.js';
import { understand } from '../src/pipeline/understand/understand.js';
import { tempDir, testDocument } from './helpers.js';

// A small library of our own: one drug code in three spellings, a drug name, and unrelated pages.
const PAGES = [
  ['joined', 'Phosphatase inhibitor LB100', 'LB100 inhibited protein phosphatase 2A in leukaemia cells.'],
  ['hyphen', 'A trial of LB-100', 'LB-100 was given with chemotherapy to patients with sarcoma.'],
  ['spaced', 'Dose finding for LB 100', 'LB 100 was safe at the doses tested in this small study.'],
  ['drug', 'Istradefylline in Parkinson disease', 'Istradefylline reduced off time in Parkinson disease.'],
  ['drug2', 'Adenosine antagonists', 'Istradefylline blocks adenosine A2A receptors in the brain.'],
  ['other', 'Levodopa dosing', 'Levodopa remains the main treatment of Parkinson disease.'],
  ['kalemia', 'Potassium', 'Hyperkalemia is a raised blood potassium; it can disturb the heart rhythm.'],
] as const;

describe('spellings of one name, and words the library does not hold (real SQLite library)', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  beforeAll(async () => {
    dir = tempDir();
    store = openSqliteStore(join(dir.dir, 'lib.db'));
    await store.importDocuments(async (session) => {
      for (const [id, title, text] of PAGES)
        await session.put(testDocument(id, [{ heading: 'Summary', text }], { title, kind: 'rct' }));
    });
  });
  afterAll(async () => {
    await store.close();
    dir.cleanup();
  });

  const found = async (text: string) =>
    (
      await retrieve(
        understand({ text }),
        { index: store, documents: store, vocabulary: store },
        { ...DEFAULT_RETRIEVE_OPTIONS, passageLimit: 0 },
      )
    ).documents.map((d) => d.documentId);

  it('finds a code however the question and the library write it', async () => {
    for (const asked of ['Does LB100 inhibit PP2A?', 'Does LB-100 inhibit PP2A?', 'Does LB 100 inhibit PP2A?']) {
      expect((await found(asked)).slice(0, 3).sort(), asked).toEqual(['hyphen', 'joined', 'spaced']);
    }
  });

  it('adds the other spellings of a code to the query', () => {
    const tokens = ['does', 'lb100', 'work'];
    expect(codeClauses('Does LB100 work?', tokens)).toEqual([{ text: 'lb 100', phrase: true }]);
    expect(codeClauses('Does LB 100 work?', ['does', 'lb', '100', 'work'])).toEqual([{ text: 'lb100' }]);
    // A capitalised word before a number is a code only when short and all capitals.
    expect(codeClauses('Is Type 2 diabetes common?', ['is', 'type', '2', 'diabetes', 'common'])).toEqual([]);
    const clauses = queryClauses('Does LB-100 work?', { questionStopWords: true, biomedicalTokens: true });
    expect(clauses).toContainEqual({ text: 'lb100' });
    expect(clauses).toContainEqual({ text: 'lb' });
    expect(clauses).toContainEqual({ text: '100' });
  });

  it('searches a misspelt word as the library spells it, and says so', async () => {
    const options = { questionStopWords: true, biomedicalTokens: true };
    expect(await librarySpellings('Does istadefylline help Parkinson disease?', options, store)).toEqual([
      { written: 'istadefylline', searched: 'istradefyllin', documents: 2 },
    ]);
    const retrieval = await retrieve(
      understand({ text: 'Does istadefylline help?' }),
      { index: store, vocabulary: store },
      {
        ...DEFAULT_RETRIEVE_OPTIONS,
        passageLimit: 0,
        poolRarity: { ...DEFAULT_RETRIEVE_OPTIONS.poolRarity, enabled: false },
      },
    );
    expect(retrieval.documents.map((d) => d.documentId).sort()).toEqual(['drug', 'drug2']);
    expect(retrieval.respelled.map((r) => r.written)).toEqual(['istadefylline']);
    // Without the vocabulary the misspelt word finds nothing.
    const unaided = await retrieve(understand({ text: 'Does istadefylline help?' }), { index: store });
    expect(unaided.documents).toEqual([]);
  });

  it('leaves words the library holds, words with no near neighbour, and opposites alone', async () => {
    const options = { questionStopWords: true, biomedicalTokens: true };
    expect(await librarySpellings('Does levodopa help Parkinson disease?', options, store)).toEqual([]);
    expect(await librarySpellings('Does xaliproden slow sclerosis?', options, store)).toEqual([]);
    expect(await librarySpellings('Is hypokalemia dangerous?', options, store)).toEqual([]);
  });

  it("hands compose the question's terms as the evidence spells them", async () => {
    const { question, evidence } = await gatherEvidence(
      understand({ text: 'Has istadefylline been tried in Parkinson disease?' }),
      { store },
      DEFAULT_ANSWER_SETTINGS,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(evidence.map((e) => e.graded.document.id)).toContain('drug');
    expect(question.terms).toContain('istradefylline');
    expect(question.terms).not.toContain('istadefylline');
  });

  it('says in the article which words it searched for as the sources spell them', async () => {
    const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
    const article = await answerQuestion(
      { text: 'Does istadefylline reduce off time in Parkinson disease?' },
      { store, clock },
    );
    expect(article.status).toBe('answered');
    expect(article.searchedFor).toEqual([{ written: 'istadefylline', searched: 'istradefylline' }]);
    expect(renderMarkdown(article)).toContain('Also searched for "istradefylline" (asked as "istadefylline").');
    const plain = await answerQuestion(
      { text: 'Does istradefylline reduce off time in Parkinson disease?' },
      { store, clock },
    );
    expect(plain.searchedFor).toBeUndefined();
  });
});
