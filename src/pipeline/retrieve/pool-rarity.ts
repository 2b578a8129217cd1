import { stemmer } from 'stemmer';

/**
 * Pool rarity: among the documents a first search found, the question's words that few of them
 * contain are the ones that tell them apart (the subject: "apilimod" among documents that all
 * say "SARS-CoV-2"). Each word is weighted by its inverse document frequency within the pool,
 * and a document's score grows with the share of that weight it covers. BM25 weighs a word by
 * its rarity in the whole library; this weighs it by its rarity among the close competitors.
 */
export interface PoolRarityOptions {
  enabled: boolean;
  /** How many of the first search's best documents form the pool (and are re-ordered). */
  pool: number;
  /** How much full coverage multiplies a score by (score × (1 + weight × coverage)). */
  weight: number;
}

/** A word matches by the first letters of its Porter stem: "inherited" and "inheritance" agree. */
const KEY_LENGTH = 6;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The keys of a question's content words: each word's Porter stem cut to its first six letters,
 * each once, in question order.
 * @param words the question's content words, lower-cased
 */
export function wordKeys(words: readonly string[]): string[] {
  return [...new Set(words.flatMap((w) => w.match(WORD) ?? []).map((w) => stemmer(w).slice(0, KEY_LENGTH)))];
}

/**
 * Which keys each text contains, as the start of one of its words.
 * @param texts the pool's texts (title, headings and body), any case
 * @param keys word keys from wordKeys
 * @returns one row per text, one flag per key
 */
export function keyPresence(texts: readonly string[], keys: readonly string[]): boolean[][] {
  return texts.map((text) => {
    const lower = text.toLowerCase();
    return keys.map((key) => startsAWord(lower, key));
  });
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether the character at `i` is a letter or digit: ASCII by code, the rest by pattern. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return WORD_CHAR.test(text[i]!);
}

/** Whether `key` occurs in `text` at the start of a word (native search, then a look behind). */
function startsAWord(text: string, key: string): boolean {
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) {
    if (i === 0 || !isWordChar(text, i - 1)) return true;
  }
  return false;
}

/**
 * Each key's weight: its Robertson–Spärck Jones inverse document frequency within the pool,
 * ln((n − c + 0.5) / (c + 0.5)) for a key in c of n texts, floored at 0 — a word most of the
 * pool shares tells nothing apart.
 * @param presence rows of keyPresence
 */
export function poolWeights(presence: readonly (readonly boolean[])[]): number[] {
  const n = presence.length;
  const keys = presence[0]?.length ?? 0;
  const weights: number[] = [];
  for (let k = 0; k < keys; k++) {
    const c = presence.reduce((sum, row) => sum + (row[k] ? 1 : 0), 0);
    weights.push(Math.max(0, Math.log((n - c + 0.5) / (c + 0.5))));
  }
  return weights;
}

/**
 * Re-scores a pool: each score is multiplied by 1 + weight × (the share of the keys' pool weight
 * the document covers), then the pool is re-ordered. Scores are positive (BM25, fused ranks), so
 * documents past the pool stay below it. Unchanged when no key has weight.
 * @param ranked the first ranking, best first
 * @param presence keyPresence rows of the first ranked documents (the pool), in ranked order
 * @param weight how much full coverage multiplies a score by
 */
export function rerankByPoolRarity<T extends { documentId: string; score: number }>(
  ranked: readonly T[],
  presence: readonly (readonly boolean[])[],
  weight: number,
): T[] {
  const weights = poolWeights(presence);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || weight === 0) return [...ranked];
  const pool = ranked.slice(0, presence.length).map((d, i) => {
    const covered = weights.reduce((sum, w, k) => sum + (presence[i]![k] ? w : 0), 0);
    return { ...d, score: d.score * (1 + (weight * covered) / total) };
  });
  pool.sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
  // Scores only grow, so the rest stay below the pool.
  return [...pool, ...ranked.slice(presence.length)];
}
