import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { MIGRATIONS } from '../src/adapters/store/sqlite/schema.js';
import type { Sentence } from '../src/domain/passage.js';
import type { SourceDocument } from '../src/domain/source.js';
import { tempDir, testDocument } from './helpers.js';

function leaflet(id: string, parts: Array<{ heading: string; text: string }>): SourceDocument {
  return testDocument(id, parts);
}

const LEAFLETS = [
  leaflet('sprain', [
    { heading: 'What it is', text: 'A sprain is a stretched or torn ligament. It often happens at the ankle.' },
    { heading: 'Care', text: 'Rest the joint. Raise it above the heart. See a doctor if you cannot bear weight.' },
  ]),
  leaflet('sunburn', [{ heading: 'Care', text: 'Cool the skin with water. Drink fluids. Stay out of the sun.' }]),
];

describe('sentence spans kept with their document', () => {
  const dir = tempDir();
  afterEach(() => dir.cleanup());

  it('moves the sentences of a library written before them into the documents, unchanged', async () => {
    const file = join(dir.dir, 'lib.db');
    let store = openSqliteStore(file);
    await store.importDocuments(async (session) => {
      for (const doc of LEAFLETS) await session.put(doc);
    });
    const before = new Map<string, Sentence[]>();
    for (const doc of LEAFLETS) before.set(doc.id, await store.getSentences(doc.id));
    const statsBefore = await store.stats();
    await store.close();
    expect(before.get('sprain')?.map((s) => s.text)).toEqual([
      'A sprain is a stretched or torn ligament.',
      'It often happens at the ankle.',
      'Rest the joint.',
      'Raise it above the heart.',
      'See a doctor if you cannot bear weight.',
    ]);

    // Write the library as the schema before sentence spans had it: one row per sentence.
    const spansMigration = MIGRATIONS.findIndex((m) => m.includes('ADD COLUMN sentence_spans'));
    const db = new Database(file);
    db.exec(`ALTER TABLE documents DROP COLUMN sentence_spans; ALTER TABLE documents DROP COLUMN sentence_count;
      CREATE TABLE sentences (doc INTEGER NOT NULL, seq INTEGER NOT NULL, section INTEGER NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (doc, seq)) WITHOUT ROWID`);
    const rowidOf = db.prepare<[string], { rowid: number }>('SELECT rowid FROM documents WHERE id = ?');
    const insert = db.prepare('INSERT INTO sentences (doc, seq, section, start, end) VALUES (?, ?, ?, ?, ?)');
    for (const [id, sentences] of before) {
      const { rowid } = rowidOf.get(id)!;
      sentences.forEach((s, seq) => insert.run(rowid, seq, s.sectionIndex, s.start, s.end));
    }
    db.pragma(`user_version = ${spansMigration}`);
    db.close();

    store = openSqliteStore(file);
    for (const doc of LEAFLETS) expect(await store.getSentences(doc.id)).toEqual(before.get(doc.id));
    expect(await store.stats()).toEqual(statsBefore);
    expect(statsBefore.sentences).toBe(8);
    expect(await store.checkIntegrity()).toEqual([]);
    await store.close();
  });
});
