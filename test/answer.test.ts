import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app/app.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { ValidArticle, type Article } from '../src/domain/article.js';
import { render } from '../src/pipeline/render/index.js';
import { unsupportedParts } from '../src/pipeline/verify/claims.js';
import { EXAMPLE_QUESTION, SAMPLE_LIBRARY, tempDir } from './helpers.js';

describe('answering over the sample library', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: App;
  let article: Article;

  beforeAll(async () => {
    tmp = tempDir();
    app = createApp(openSqliteStore(join(tmp.dir, 'lib.db')));
    await app.ingest([SAMPLE_LIBRARY]);
    article = await app.ask(EXAMPLE_QUESTION, 'clinician');
  });
  afterAll(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('answers the example question with a direct answer and at least four sections', () => {
    expect(ValidArticle.safeParse(article).success).toBe(true);
    expect(article.status).toBe('answered');
    expect(article.directAnswer.text.length).toBeGreaterThan(20);
    expect(article.directAnswer.citations.length).toBeGreaterThan(0);
    expect(article.sections.length).toBeGreaterThanOrEqual(4);
    expect(article.title?.toLowerCase()).toContain('basivertebral');
  });

  it('cites every bullet, and every support span is exactly its document text', async () => {
    const refs = new Map(article.references.map((r) => [r.id, r]));
    for (const section of article.sections) {
      expect(section.bullets.length).toBeGreaterThan(0);
      for (const bullet of section.bullets) {
        expect(bullet.citations.length).toBeGreaterThan(0);
        for (const c of bullet.citations) expect(refs.has(c)).toBe(true);
        for (const span of bullet.support) {
          const doc = await app.store.getDocument(span.documentId);
          expect(doc!.text.slice(span.start, span.end)).toBe(span.quote);
        }
      }
    }
    expect(article.verification.checked).toBeGreaterThan(article.sections.length);
  });

  it('labels references and numbers them in reading order', () => {
    const labels = new Set(article.references.map((r) => r.label));
    expect(labels.has('Guideline')).toBe(true);
    for (const r of article.references)
      expect(['Guideline', 'Research', 'Consumer health', 'Local protocol']).toContain(r.label);
    const firstCited = article.directAnswer.citations[0] ?? article.sections[0]!.bullets[0]!.citations[0];
    expect(article.references[0]!.id).toBe(firstCited);
    for (const r of article.references) expect(r.source).toBeTruthy();
  });

  it('keeps the article it answered and renders it in every format', async () => {
    expect((await app.store.getArticle(article.id))!.id).toBe(article.id);
    const md = render(article, 'md');
    expect(md).toContain('## Direct answer');
    expect(md).toMatch(/\[1\]/);
    expect(md).toContain('## References');
    const html = render(article, 'html');
    expect(html).toContain('<h2>Direct answer</h2>');
    expect(html).toContain('id="ref-1"');
    expect(JSON.parse(render(article, 'json'))).toEqual(article);
  });

  it('answers honestly when the library has nothing on the question', async () => {
    const none = await app.ask('What is the best treatment for a zebra with a broken horn?', 'clinician');
    expect(none.status).toBe('insufficient_evidence');
    expect(none.sections).toEqual([]);
    expect(none.directAnswer.text).toMatch(/does not hold enough evidence/);
  });

  it('gives the example page its sections, every bullet verified against its source', async () => {
    const facets = new Set(article.sections.flatMap((s) => s.bullets.map((b) => b.facet)));
    for (const facet of [
      'selection',
      'contraindications',
      'technique',
      'outcomes',
      'risks',
      'practical',
      'limitations',
    ])
      expect(facets, facet).toContain(facet);
    for (const bullet of article.sections.flatMap((s) => s.bullets)) {
      for (const span of bullet.support) {
        const doc = await app.store.getDocument(span.documentId);
        expect(doc!.text.slice(span.start, span.end)).toBe(span.quote);
      }
      expect(
        unsupportedParts(
          bullet.text,
          bullet.support.map((x) => x.quote),
        ),
      ).toEqual([]);
    }
    expect(article.verification.dropped).toBe(0);
    expect(article.limitations.length).toBeGreaterThan(0);
  });

  it('states the strongest recommendation in the direct answer with its grade in the issuer’s words', async () => {
    const support = article.directAnswer.support![0]!;
    const doc = await app.store.getDocument(support.documentId);
    expect(doc!.kind).toBe('guideline');
    expect(article.directAnswer.text).toMatch(/recommendation/i);
    expect(article.recommendations.length).toBeGreaterThan(0);
    for (const r of article.recommendations) expect(r.strength.length).toBeGreaterThan(0);
  });

  it('suggests 4 to 8 related questions, each of which the library answers', async () => {
    expect(article.relatedQuestions.length).toBeGreaterThanOrEqual(4);
    expect(article.relatedQuestions.length).toBeLessThanOrEqual(8);
    for (const q of article.relatedQuestions) {
      const related = await app.ask(q, 'clinician', { save: false });
      expect(related.status, q).toBe('answered');
      expect(related.sections.length, q).toBeGreaterThan(0);
    }
  });

  it('renders the same verified facts for a patient in plain words at reading grade 8 or below', async () => {
    const questions = [
      EXAMPLE_QUESTION,
      'How is acute low back pain treated?',
      'Which antibiotic should a woman take for a bladder infection?',
      'What blood pressure target should adults with hypertension aim for?',
      'What medicines are used for type 2 diabetes?',
    ];
    for (const q of questions) {
      const patient = await app.ask(q, 'patient', { save: false });
      const clinician = await app.ask(q, 'clinician', { save: false });
      expect(patient.status, q).toBe('answered');
      expect(patient.readingGrade, q).toBeLessThanOrEqual(8);
      expect(patient.readingGrade, q).toBeLessThan(clinician.readingGrade);
      expect(patient.verification.dropped, q).toBe(0);
      for (const bullet of patient.sections.flatMap((s) => s.bullets)) {
        // Words change; numbers, direction words and the quoted source text do not.
        expect(
          unsupportedParts(
            bullet.text,
            bullet.support.map((x) => x.quote),
          ),
          bullet.text,
        ).toEqual([]);
        for (const span of bullet.support) {
          const doc = await app.store.getDocument(span.documentId);
          expect(doc!.text.slice(span.start, span.end)).toBe(span.quote);
        }
      }
    }
    const patient = await app.ask(EXAMPLE_QUESTION, 'patient', { save: false });
    expect(patient.glossary!.length).toBeGreaterThan(0);
    expect(render(patient, 'md')).toContain(patient.glossary![0]!.term);
  });

  it('takes a stance on a yes/no question from the evidence', async () => {
    const yesNo = await app.ask('Should adults with acute low back pain stay active?', 'clinician', { save: false });
    expect(yesNo.status).toBe('answered');
    expect(yesNo.stance).toBe('yes');
  });

  it('refuses an empty question with a user error', async () => {
    await expect(app.ask('  ', 'clinician')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('an empty library', () => {
  it('says how to load one', async () => {
    const tmp = tempDir();
    const app = createApp(openSqliteStore(join(tmp.dir, 'empty.db')));
    await expect(app.ask(EXAMPLE_QUESTION, 'clinician')).rejects.toMatchObject({
      code: 'LIBRARY_EMPTY',
      message: expect.stringContaining('evidentia ingest'),
    });
    await app.close();
    tmp.cleanup();
  });
});
