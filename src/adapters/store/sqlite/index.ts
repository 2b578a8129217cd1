export { openSqliteStore, SqliteStore } from './sqlite-store.js';
export { openPlainBm25Index } from './plain-bm25-index.js';
