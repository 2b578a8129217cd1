import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { createApp } from '../src/app/app.js';
import { dataPath, HAS_SHARED_DATA, REPO_ROOT, tempDir } from './helpers.js';

const BIOASQ = dataPath('bioasq_dev');

describe.skipIf(!HAS_SHARED_DATA)('eval answers over bioasq_dev', () => {
  it('abstains rarely when the gold documents are there, and more often when they are taken out', async () => {
    const tmp = tempDir();
    const app = createApp(openSqliteStore(join(tmp.dir, 'unused.db')));
    try {
      const result = await app.evalAnswers(BIOASQ, { every: 25, absentSample: 60 });
      expect(result.evidentia.questions).toBe(60);
      expect(result.abstention!.questionsAbsent).toBe(60);
      expect(result.abstention!.goldPresent).toBeLessThanOrEqual(0.15);
      expect(result.abstention!.goldAbsent).toBeGreaterThan(result.abstention!.goldPresent + 0.15);
      // Both systems are scored in the same run on the same questions.
      expect(result.evidentia.rouge2Recall).toBeGreaterThan(0.3);
      expect(result.baseline.rouge2Recall).toBeGreaterThan(0.3);
      expect(result.baseline.abstained).toBe(0);
    } finally {
      await app.close();
      tmp.cleanup();
    }
  }, 120_000);

  it('prints the figures as JSON from the command line', () => {
    const tmp = tempDir();
    const r = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin/evidentia.js'),
        '--db',
        join(tmp.dir, 'x.db'),
        'eval',
        'answers',
        BIOASQ,
        '--json',
        '--limit',
        '20',
        '--absent',
        '0',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    tmp.cleanup();
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout);
    for (const side of ['evidentia', 'baseline'])
      for (const key of ['rouge2Recall', 'yesNoAccuracy', 'abstained', 'questions'])
        expect(typeof parsed[side][key], `${side}.${key}`).toBe('number');
    expect(parsed.evidentia.questions).toBe(20);
  }, 120_000);
});

describe('eval answers input errors', () => {
  it('says what is missing when the folder has no questions', async () => {
    const tmp = tempDir();
    const app = createApp(openSqliteStore(join(tmp.dir, 'unused.db')));
    await expect(app.evalAnswers(tmp.dir)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await app.close();
    tmp.cleanup();
  });
});
