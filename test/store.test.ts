import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { tempDir } from './helpers.js';
import { runStoreConformance } from './store-conformance.js';

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
