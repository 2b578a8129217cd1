import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/adapters/store/sqlite/schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import type { SourceDocument } from '../src/domain/source.js';
import { tempDir, testDocument } from './helpers.js';

function page(id: string, title: string, heading: string, body: string): SourceDocument {
  return testDocument(id, [{ heading, text: body }], { title });
}

const PAGES = [
  page('gout-symptoms', 'Gout', 'symptoms', 'Gout flares bring sudden joint pain, most often in the big toe.'),
  page(
    'gout-treatment',
    'Gout',
    'treatment',
    'Gout flares are eased with anti-inflammatory medicines; urate can be lowered.',
  ),
  page('anemia-symptoms', 'Anemia', 'symptoms', 'Tiredness and pale skin are common. Gout is not a cause.'),
];

describe('whole-document search in the SQLite store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = tempDir();
    store = openSqliteStore(join(dir.dir, 'lib.db'));
    await store.importDocuments(async (session) => {
      for (const p of PAGES) await session.put(p);
    });
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  it('returns each document once, ranked, the title weighted above the body', async () => {
    const found = await store.searchDocuments({
      clauses: [{ text: 'gout' }],
      fieldWeights: { title: 10, heading: 1, body: 1 },
      limit: 10,
    });
    expect(found.map((d) => d.documentId).sort()).toEqual(['anemia-symptoms', 'gout-symptoms', 'gout-treatment']);
    expect(found[2]?.documentId).toBe('anemia-symptoms');
    expect(found.every((d) => d.score > 0)).toBe(true);
  });

  it('matches a heading clause only in the section headings', async () => {
    const found = await store.searchDocuments({
      clauses: [{ text: 'gout' }, { text: 'treatment', field: 'heading' }],
      fieldWeights: { title: 10, heading: 10, body: 1 },
      limit: 10,
    });
    expect(found[0]?.documentId).toBe('gout-treatment');
    const headingOnly = await store.searchDocuments({ clauses: [{ text: 'medicines', field: 'heading' }], limit: 10 });
    expect(headingOnly).toEqual([]);
  });

  it('forgets a deleted document and re-indexes a changed one', async () => {
    await store.importDocuments(async (session) => {
      await session.delete('anemia-symptoms');
      await session.put(page('gout-treatment', 'Gout', 'treatment', 'Colchicine is one option.'));
    });
    const gout = await store.searchDocuments({ clauses: [{ text: 'tiredness' }], limit: 10 });
    expect(gout).toEqual([]);
    const colchicine = await store.searchDocuments({ clauses: [{ text: 'colchicine' }], limit: 10 });
    expect(colchicine.map((d) => d.documentId)).toEqual(['gout-treatment']);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('fills the document index from stored documents when an older library is opened', async () => {
    const file = join(dir.dir, 'lib.db');
    await store.close();
    // Take the library back to the schema before the document index: undo it and the
    // migrations after it (sentence spans moved into documents).
    const db = new Database(file);
    db.exec('DROP TABLE documents_fts');
    db.exec(`ALTER TABLE documents DROP COLUMN sentence_spans; ALTER TABLE documents DROP COLUMN sentence_count;
      CREATE TABLE sentences (doc INTEGER NOT NULL, seq INTEGER NOT NULL, section INTEGER NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (doc, seq)) WITHOUT ROWID`);
    db.pragma(`user_version = ${MIGRATIONS.findIndex((m) => m.includes('CREATE VIRTUAL TABLE documents_fts'))}`);
    db.close();
    store = openSqliteStore(file);
    const found = await store.searchDocuments({ clauses: [{ text: 'symptoms', field: 'heading' }], limit: 10 });
    expect(found.map((d) => d.documentId).sort()).toEqual(['anemia-symptoms', 'gout-symptoms']);
  });
});
