import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app/app.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { ValidArticle, type Article } from '../src/domain/article.js';
import { render } from '../src/pipeline/render/index.js';
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
