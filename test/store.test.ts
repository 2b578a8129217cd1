import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { tempDir } from './helpers.js';
import { describe, expect, it } from 'vitest';
import { conformanceDoc, runStoreConformance } from './store-conformance.js';

runStoreConformance('SQLite', async () => {
  const dir = tempDir();
  const file = join(dir.dir, 'lib.db');
  return {
    open: (clock) => openSqliteStore(file, clock ? { clock } : {}),
    archivedVersions: async (documentId) => {
      const raw = new Database(file, { readonly: true });
      try {
        return raw
          .prepare<[string], { version: number }>(
            'SELECT version FROM document_versions WHERE document_id = ? ORDER BY version',
          )
          .all(documentId)
          .map((r) => r.version);
      } finally {
        raw.close();
      }
    },
    setFutureSchema: async () => {
      const raw = new Database(file);
      raw.pragma('user_version = 99');
      raw.close();
    },
    destroy: async () => dir.cleanup(),
  };
});

describe('SQLite search texts', () => {
  it('gives title, section headings and body of each found document, and nothing for unknown ids', async () => {
    const dir = tempDir();
    const store = openSqliteStore(join(dir.dir, 'lib.db'));
    try {
      const doc = conformanceDoc('t:1', 'Ablation reduced pain.');
      await store.importDocuments(async (s) => void (await s.put(doc)));
      const texts = await store.getSearchTexts(['t:1', 't:404', 't:1']);
      expect([...texts.keys()]).toEqual(['t:1']);
      expect(texts.get('t:1')).toBe(['Trial t:1', 'Background\nRisks', doc.text].join('\n'));
    } finally {
      await store.close();
      dir.cleanup();
    }
  });
});
