import { stemmer } from 'stemmer';

/**
 * Index tokens as the SQLite library's FTS5 index makes them (`porter unicode61
 * remove_diacritics 2`): the PostgreSQL store indexes with them, and both stores read a word's
 * index terms with them.
 */

/** FTS5's porter tokenizer leaves tokens of 64 bytes or more unstemmed. */
const PORTER_MAX_BYTES = 64;

/**
 * Splits text into index tokens as FTS5's unicode61 tokenizer does: runs of letters and digits,
 * folded to lower case with diacritics removed, then porter-stemmed.
 * @param text any text
 */
export function tokenize(text: string): string[] {
  return [...eachToken(text)];
}

/**
 * The tokens of a text one at a time, so a whole long document is never held as a token array.
 * @param text any text
 */
export function* eachToken(text: string): Generator<string> {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  for (const match of folded.matchAll(/[\p{L}\p{N}\p{Co}]+/gu)) yield stem(match[0]);
}

/** Stems like FTS5's porter tokenizer: short and very long tokens pass through unchanged. */
function stem(token: string): string {
  if (token.length < 3 || Buffer.byteLength(token) >= PORTER_MAX_BYTES) return token;
  return stemmer(token);
}
