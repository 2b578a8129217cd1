import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

/**
 * English words (the `word-list` package: about 275,000 words, many medical and scientific ones
 * among them). A word in it is spelt as someone meant it, so it is never corrected, even when the
 * library lacks it ("carbonylated", "truncating" and "canvas" are words, not slips).
 */
let words: Set<string> | undefined;
let shortest = 0;

/**
 * Whether a lower-cased word is an English word. The list is read on first use, keeping only
 * words of at least `minLength` letters (the shortest a correction considers).
 * @param word a lower-cased word
 * @param minLength words shorter than this are not asked about
 */
export function isEnglishWord(word: string, minLength: number): boolean {
  if (!words || minLength < shortest) {
    words = new Set(
      readFileSync(wordListPath, 'utf8')
        .split('\n')
        .filter((w) => w.length >= minLength),
    );
    shortest = minLength;
  }
  return words.has(word);
}
