import { stemmer } from 'stemmer';
import type { LibraryVocabulary, NearTerms } from '../../ports/store.js';
import {
  bestCorrection,
  DEFAULT_CORRECTION_RULES,
  mayCorrect,
  termsAsSources,
  type CorrectionRules,
  type TermRespelling,
} from '../understand/spelling.js';
import { queryClauses, type QueryTermOptions } from './query-terms.js';

/** A question word the library does not hold, and the library's term searched for as well. */
export interface Respelling {
  written: string;
  /** The index's term (a Porter stem, as the library indexes: "spanish", "diabet"). */
  searched: string;
  /** How many documents hold it. */
  documents: number;
}

/**
 * Which of the library's terms are candidates for a word it lacks: those that share its first two
 * letters (a misspelling seldom starts wrong, and the prefix keeps the lookup to a short stretch
 * of the term list) and are at most two letters longer or shorter.
 */
export const NEAR_TERMS: NearTerms = { prefix: 2, lengthDifference: 2, limit: 200 };

/**
 * The store's vocabulary as retrieve takes it, when the store has one (every Store does).
 * @param store a store, or part of one
 */
export function vocabularyOf(store: Partial<LibraryVocabulary>): { vocabulary?: LibraryVocabulary } {
  const lookUpWords = store.lookUpWords?.bind(store);
  return lookUpWords ? { vocabulary: { lookUpWords } } : {};
}

/**
 * Spelling against the library's own vocabulary: each question word no document holds that is a
 * few edits from a term the library does hold is searched for as that term too. Only words that
 * could be corrected (letters only, five or more) are looked up, one presence check each; the
 * library's neighbouring terms are read only for a word that is absent.
 * @param text the question
 * @param options the query's stop-word settings
 * @param vocabulary the library's vocabulary
 * @param rules when and how far a word may be corrected
 */
export async function librarySpellings(
  text: string,
  options: QueryTermOptions,
  vocabulary: LibraryVocabulary,
  rules: CorrectionRules = DEFAULT_CORRECTION_RULES,
): Promise<Respelling[]> {
  const words = queryClauses(text, { ...options, biomedicalTokens: false, wordPairs: false })
    .map((c) => c.text)
    .filter((w) => mayCorrect(w, rules));
  if (words.length === 0) return [];
  const absent = (await vocabulary.lookUpWords(words)).filter((w) => !w.present).map((w) => w.word);
  if (absent.length === 0) return [];
  const respellings: Respelling[] = [];
  for (const found of await vocabulary.lookUpWords(absent, NEAR_TERMS)) {
    const term = found.terms[0];
    if (found.terms.length !== 1 || term === undefined) continue;
    const correction = bestCorrection(term, found.near, rules);
    if (correction)
      respellings.push({ written: found.word, searched: correction.term, documents: correction.documents });
  }
  return respellings;
}

/**
 * Whether a word is indexed as a given term: the index's Porter stem of it (FTS5's porter
 * tokenizer leaves words under three letters as they are).
 * @param term an index term
 */
export function isIndexTerm(term: string): (word: string) => boolean {
  return (word) => (word.length < 3 ? word : stemmer(word)) === term;
}

/**
 * The question with its terms as the retrieved documents spell them (see termsAsSources): codes
 * written another way, and words the library lacks by the library's word they were searched as.
 * @param question the understood question
 * @param documents the retrieved documents' titles and texts
 * @param respelled what retrieve searched for in place of absent words
 */
export function questionAsSources<Q extends { terms: string[]; focus: string }>(
  question: Q,
  documents: ReadonlyArray<{ title: string; text: string }>,
  respelled: readonly Respelling[],
): { question: Q; respelled: TermRespelling[] } {
  return termsAsSources(
    question,
    documents.map((d) => `${d.title}\n${d.text}`),
    respelled.map((r) => ({ written: r.written, isTerm: isIndexTerm(r.searched) })),
  );
}
