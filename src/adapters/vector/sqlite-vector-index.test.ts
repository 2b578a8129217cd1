import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.js';
import type { SourceDocument } from '../../domain/source.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { openSqliteVectorIndex, type SqliteVectorIndex } from './sqlite-vector-index.js';

const doc = (
  id: string,
  title: string,
  text: string,
  kind: SourceDocument['kind'] = 'consumer-health',
): SourceDocument => ({
  id,
  kind,
  title,
  text,
  meshTerms: [],
  publicationTypes: [],
  funding: [],
  sections: [],
  recommendations: [],
  metadata: {},
});

/** A unit vector along one axis of four. */
const axis = (i: number, tilt = 0): number[] => {
  const v = [0, 0, 0, 0];
  v[i] = 1;
  v[(i + 1) % 4] = tilt;
  return v;
};

describe('passage vectors in the SQLite library (sqlite-vec)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let store: SqliteStore;
  let vectors: SqliteVectorIndex;
  const model = { name: 'four-axes', dimension: 4 };

  beforeEach(async () => {
    tmp = tempDir('evidentia-vec-');
    file = join(tmp.dir, 'library.db');
    store = openSqliteStore(file);
    await store.importDocuments(async (s) => {
      await s.put(doc('heart', 'Heart attack', 'A heart attack needs urgent care. Call for help at once.'));
      await s.put(doc('kidney', 'Kidney stones', 'Kidney stones can cause severe flank pain.'));
      await s.put(doc('skin', 'Eczema', 'Eczema makes the skin dry and itchy.', 'guideline'));
    });
    vectors = openSqliteVectorIndex(file);
  });
  afterEach(async () => {
    await vectors.close();
    await store.close();
    tmp.cleanup();
  });

  /** Gives every pending passage the axis of its document's topic. */
  async function embedAll(): Promise<void> {
    const topics = ['Heart attack', 'Kidney stones', 'Eczema'];
    const pending = await vectors.pendingPassages(100);
    await vectors.upsertVectors(
      model,
      pending.map((p) => ({ passageId: p.passageId, vector: axis(topics.indexOf(p.title)) })),
    );
  }

  it('lists every passage as pending at first, with its title, heading and exact text', async () => {
    expect(await vectors.model()).toBeNull();
    const pending = await vectors.pendingPassages(100);
    expect(await vectors.countPending()).toBe(pending.length);
    expect(pending.map((p) => p.title).sort()).toEqual(['Eczema', 'Heart attack', 'Kidney stones']);
    const heart = pending.find((p) => p.title === 'Heart attack')!;
    expect(heart.text).toBe('A heart attack needs urgent care. Call for help at once.');
  });

  it('pages through pending passages after a given one', async () => {
    const first = await vectors.pendingPassages(1);
    const rest = await vectors.pendingPassages(100, first[0]!.passageId);
    expect(first).toHaveLength(1);
    expect(rest.map((p) => p.passageId)).not.toContain(first[0]!.passageId);
    expect(first.length + rest.length).toBe(await vectors.countPending());
  });

  it('finds documents by their nearest passage, records the model and has nothing left pending', async () => {
    await embedAll();
    expect(await vectors.model()).toEqual(model);
    expect(await vectors.countPending()).toBe(0);
    expect(await vectors.pendingPassages(10)).toEqual([]);
    const found = await vectors.nearestDocuments(axis(1, 0.2), 3);
    expect(found.map((d) => d.documentId)).toEqual(['kidney', 'skin', 'heart']);
    expect(found[0]!.score).toBeCloseTo(1 / Math.hypot(1, 0.2), 5);
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score);
  });

  it('keeps to the evidence kinds asked for', async () => {
    await embedAll();
    const found = await vectors.nearestDocuments(axis(1), 3, ['guideline']);
    expect(found.map((d) => d.documentId)).toEqual(['skin']);
  });

  it('refuses vectors of another model or size, with what to do', async () => {
    await embedAll();
    await expect(
      vectors.upsertVectors({ name: 'another', dimension: 4 }, [{ passageId: '1', vector: axis(0) }]),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/four-axes.*embed --rebuild/) });
    await expect(
      vectors.upsertVectors({ name: 'four-axes', dimension: 3 }, [{ passageId: '1', vector: [1, 0, 0] }]),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(vectors.upsertVectors(model, [{ passageId: '1', vector: [1, 0] }])).rejects.toMatchObject({
      message: expect.stringMatching(/2 numbers, not 4/),
    });
    await expect(vectors.nearestDocuments([1, 0, 0], 3)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('drops the vectors of a changed document and asks for its new passages', async () => {
    await embedAll();
    await store.importDocuments(async (s) => {
      await s.put(doc('kidney', 'Kidney stones', 'Drinking water helps prevent kidney stones. Some need surgery.'));
      await s.delete('heart');
    });
    // The deleted document is gone from results even before its vectors are cleared.
    const found = await vectors.nearestDocuments(axis(0), 3);
    expect(found.map((d) => d.documentId)).not.toContain('heart');
    expect(found.map((d) => d.documentId)).not.toContain('kidney');
    const pending = await vectors.pendingPassages(10);
    expect(pending.map((p) => p.title)).toEqual(['Kidney stones']);
    expect(pending[0]!.text).toContain('Drinking water');
    await vectors.upsertVectors(model, [{ passageId: pending[0]!.passageId, vector: axis(1) }]);
    expect((await vectors.nearestDocuments(axis(1), 1)).map((d) => d.documentId)).toEqual(['kidney']);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('forgets every vector and the model on clear, so another model can be used', async () => {
    await embedAll();
    await vectors.clear();
    expect(await vectors.model()).toBeNull();
    expect(await vectors.nearestDocuments(axis(0), 3)).toEqual([]);
    const pending = await vectors.pendingPassages(100);
    await vectors.upsertVectors(
      { name: 'two-axes', dimension: 2 },
      pending.map((p) => ({ passageId: p.passageId, vector: [1, 0] })),
    );
    expect(await vectors.model()).toEqual({ name: 'two-axes', dimension: 2 });
  });

  it('needs a library opened by this version of Evidentia', () => {
    const other = join(tmp.dir, 'other.db');
    new Database(other).close();
    expect(() => openSqliteVectorIndex(other)).toThrow(/not an Evidentia library/);
    expect(() => openSqliteVectorIndex(join(tmp.dir, 'missing.db'))).toThrow(/cannot open the vector index/);
  });
});
