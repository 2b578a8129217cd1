import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/** How whole-document searches are scored: the native function, or FTS5's bm25() without it. */
export type SearchRanking = 'native' | 'fts5';

const SUFFIX = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';

/**
 * The loadable extension `npm install` builds from native/evidentia-fts5.c (scripts/build-native.mjs),
 * at the package root, from src/ and from dist/ alike.
 */
export const NATIVE_RANKING_FILE = fileURLToPath(
  new URL(`../../../../build/evidentia-fts5.${SUFFIX}`, import.meta.url),
);

/**
 * Registers evidentia_bm25 on a connection: FTS5's bm25() that takes the phrases' document counts
 * as arguments instead of counting them on every query. Without the built extension (no C
 * compiler at install), searches use bm25() — the same ranking, slower on large libraries.
 * @param db the connection
 * @param file the extension to load
 * @returns which ranking the connection's searches use
 */
export function loadNativeRanking(db: Database.Database, file: string = NATIVE_RANKING_FILE): SearchRanking {
  if (!existsSync(file)) return 'fts5';
  try {
    // SQLite names the entry point after the file: sqlite3_evidentiafts_init.
    db.loadExtension(file);
    return 'native';
  } catch {
    // Built for another SQLite or platform: bm25() ranks the same.
    return 'fts5';
  }
}
