import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { DEFAULT_COMPOSE_OPTIONS, yesNoStanceInputs } from '../src/pipeline/compose/compose.js';
import { DEFAULT_ANSWER_SETTINGS, gatherEvidence } from '../src/pipeline/run.js';
import { understand } from '../src/pipeline/understand/understand.js';
import { SAMPLE_LIBRARY, tempDir } from './helpers.js';

describe('the sentences a yes/no stance is read from', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;

  beforeAll(async () => {
    tmp = tempDir();
    store = openSqliteStore(join(tmp.dir, 'lib.db'));
    await ingestPaths(store, [SAMPLE_LIBRARY]);
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('keeps less close sentences when the pool floor is lowered, each with its document’s retrieval rank', async () => {
    const { question, evidence } = await gatherEvidence(
      understand({ text: 'Does basivertebral nerve ablation reduce chronic low back pain?', audience: 'clinician' }),
      { store },
      DEFAULT_ANSWER_SETTINGS,
      new Date('2025-01-01'),
    );
    const shipped = yesNoStanceInputs(question, evidence);
    const wide = yesNoStanceInputs(question, evidence, { ...DEFAULT_COMPOSE_OPTIONS, stancePoolRelevance: 0 });
    expect(shipped).toBeDefined();
    expect(wide!.pool.length).toBeGreaterThan(shipped!.pool.length);
    const wideTexts = new Set(wide!.pool.map((s) => s.text));
    for (const s of shipped!.pool) expect(wideTexts.has(s.text)).toBe(true);
    // The document retrieval ranks first is rank 0; every sentence carries the rank of its document.
    const first = [...evidence].sort((a, b) => b.retrievalScore - a.retrievalScore)[0]!;
    const ranks = new Map(wide!.pool.map((s) => [s.documentId, s.documentRank]));
    expect(ranks.get(first.graded.document.id)).toBe(0);
    for (const s of wide!.pool) expect(s.documentRank).toBeGreaterThanOrEqual(0);
    expect(new Set(ranks.values()).size).toBeGreaterThan(1);
  });
});
