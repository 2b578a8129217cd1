import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app/app.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { ValidArticle } from '../src/domain/article.js';
import { dataPath, HAS_SHARED_DATA, NO_SHARED_DATA_MESSAGE, tempDir } from './helpers.js';

if (!HAS_SHARED_DATA) console.warn(NO_SHARED_DATA_MESSAGE);

// Real patient questions over a library of NGC guideline summaries and MedQuAD answers: every one
// gets a valid article or an honest insufficient_evidence, never a crash or an empty section.
describe.skipIf(!HAS_SHARED_DATA)('patient questions over the NGC + MedQuAD library', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: App;

  beforeAll(async () => {
    tmp = tempDir();
    app = createApp(openSqliteStore(join(tmp.dir, 'lib.db')));
    await app.ingest([
      dataPath('ngc_guideline_summaries/ngc_permissive_summaries.jsonl'),
      dataPath('medquad/medquad_answered.jsonl'),
    ]);
  }, 300_000);
  afterAll(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('answers or abstains on 50 KQA questions', async () => {
    const lines = readFileSync(dataPath('kqa/patient_questions_unanswered.jsonl'), 'utf8').trim().split('\n');
    const questions = lines.slice(0, 50).map((l) => (JSON.parse(l) as { Question: string }).Question);
    const outcomes = { answered: 0, insufficient_evidence: 0, emergency: 0 };
    for (const question of questions) {
      const article = await app.ask(question, 'patient', { save: false });
      expect(ValidArticle.safeParse(article).success, question).toBe(true);
      outcomes[article.status]++;
      if (article.status === 'answered') {
        expect(article.sections.length, question).toBeGreaterThan(0);
        expect(article.references.length, question).toBeGreaterThan(0);
      }
      for (const section of article.sections) expect(section.bullets.length, question).toBeGreaterThan(0);
      expect(article.directAnswer.text.length).toBeGreaterThan(0);
    }
    expect(outcomes.answered + outcomes.insufficient_evidence + outcomes.emergency).toBe(50);
    // Both outcomes occur on real questions: the library covers some and not others.
    expect(outcomes.answered).toBeGreaterThan(0);
  }, 300_000);
});
