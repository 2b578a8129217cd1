import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { createApp, type App } from '../src/app/app.js';
import { Article } from '../src/domain/article.js';
import { isEvidentiaError } from '../src/domain/errors.js';
import { MAX_QUESTION_LENGTH } from '../src/domain/question.js';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import type { Store } from '../src/ports/store.js';
import { SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';

/** Asks and checks the outcome: a valid article, or a one-line user error; never anything else. */
async function askChecked(app: App, question: string): Promise<'answered' | 'refused'> {
  try {
    const article = await app.ask(question, 'clinician', { save: false });
    expect(Article.safeParse(article).success).toBe(true);
    return 'answered';
  } catch (error) {
    if (!isEvidentiaError(error)) throw error;
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).not.toContain('\n');
    return 'refused';
  }
}

function fuzzAsk(storeName: string, open: () => Store, dispose: () => Promise<void>) {
  describe(`questions no one should ask, on ${storeName}`, () => {
    let app: App;
    beforeAll(async () => {
      app = createApp(open());
      await app.ingest([SAMPLE_LIBRARY]);
    });
    afterAll(async () => {
      await app.close();
      await dispose();
    });

    it('saves what it answers, whatever characters the question holds', async () => {
      const article = await app.ask('Does ablation help back pain? \u0000\u0007 ☃', 'clinician');
      expect((await app.store.getArticle(article.id))!.question).toBe(article.question);
    });

    it('refuses a question of 1 MB at once, keeping nothing', async () => {
      const before = await app.stats();
      for (const question of ['back pain '.repeat(100_000), 'x'.repeat(1024 * 1024), '😀'.repeat(512 * 1024)]) {
        await expect(app.ask(question, 'clinician')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
      }
      expect((await app.stats()).articles).toBe(before.articles);
    });

    it('answers or refuses just around the length limit', async () => {
      const words = 'basivertebral nerve ablation for chronic back pain ';
      const atLimit = words.repeat(Math.ceil(MAX_QUESTION_LENGTH / words.length)).slice(0, MAX_QUESTION_LENGTH);
      expect(await askChecked(app, atLimit)).toBe('answered');
      expect(await askChecked(app, `${atLimit}x`)).toBe('refused');
    });

    it('gives an article or a clear error for arbitrary text, query syntax and control characters', async () => {
      const seen = { answered: 0, refused: 0 };
      const hostile = fc.constantFrom(
        'NEAR(pain nerve)',
        'title:pain',
        '"unbalanced',
        "pain' | !nerve <-> :*",
        'DROP TABLE documents; --',
        '\u0000\u0001\u0002',
        '\uD800 lone surrogate',
        '%s%s%s%n',
        '<script>alert(1)</script>',
        '../../etc/passwd',
      );
      const question = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.array(hostile, { minLength: 1, maxLength: 4 }).map((parts) => `Does ablation help? ${parts.join(' ')}`),
        fc
          .array(fc.constantFrom('pain', 'ablation', 'metformin', 'the', 'of', '?', 'é', '٣', '中文'), {
            maxLength: 60,
          })
          .map((w) => w.join(' ')),
      );
      await fc.assert(
        fc.asyncProperty(question, async (text) => {
          seen[await askChecked(app, text)]++;
        }),
        { numRuns: 80 },
      );
      console.log(`fuzz ask on ${storeName}: 80 questions, ${seen.answered} answered, ${seen.refused} refused`);
      expect(seen.answered).toBeGreaterThan(0);
    }, 120_000);
  });
}

const tmp = tempDir();
fuzzAsk(
  'SQLite',
  () => openSqliteStore(join(tmp.dir, 'lib.db')),
  async () => tmp.cleanup(),
);

describe.skipIf(NO_POSTGRES)('PostgreSQL', () => {
  const schema = uniqueSchema();
  fuzzAsk(
    'PostgreSQL',
    () => openPostgresStore(POSTGRES_URL!, { schema }),
    async () => void (await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  );
});
