import { distance } from 'fastest-levenshtein';
import confusableAffixes from './confusable-affixes.json' with { type: 'json' };
import { isEnglishWord } from './english-words.js';

/**
 * Spelling: the forms one name takes ("LB-100", "LB 100", "LB100"), one key for all of them, and
 * the correction of a word the library does not hold to a near one it does.
 */

// A code: a short run of letters, then a run that starts with a digit ("lb100", "tlr7", "cyp1a1"),
// joined, or split by a hyphen or a space.
const JOINED_CODE = /^([a-z]{1,6})(\d[a-z\d]*)$/;
const SPLIT_CODE = /^([a-z]{1,6})[-\s](\d[a-z\d]*)$/;

/** The spellings of a letters-and-digits code: joined ("lb100") and split in two ("lb", "100"). */
export interface CodeForms {
  joined: string;
  split: readonly [string, string];
}

/**
 * The forms of a code written one way, or undefined when the word is not a code. Indexes split
 * "LB-100" into "lb" + "100" and keep "LB100" whole, so a search for one form misses the other.
 * @param word a lower-cased word: "lb100", "lb-100" or "lb 100"
 */
export function codeForms(word: string): CodeForms | undefined {
  const match = JOINED_CODE.exec(word) ?? SPLIT_CODE.exec(word);
  if (!match) return undefined;
  const [, letters, digits] = match as unknown as [string, string, string];
  return { joined: letters + digits, split: [letters, digits] };
}

/**
 * One key for every spelling of a word, for matching a question's words with a sentence's: lower
 * case, and a code joined ("LB-100", "LB 100" and "LB100" all give "lb100"). Other words are only
 * lower-cased.
 * @param word a word as written (a hyphenated word counts as one)
 */
export function spellingKey(word: string): string {
  const lower = word.toLowerCase();
  return codeForms(lower)?.joined ?? lower;
}

/** When a word may be corrected, and how far. */
export interface CorrectionRules {
  /** Shorter words are never corrected: too many real words and names lie one edit apart. */
  minLength: number;
  /**
   * Edits allowed (insert, delete or replace a letter). Two letters swapped count as one: most
   * misspellings are one slip, and two edits already turn "antidiuretic" into "antidiabetic".
   */
  maxEdits: number;
  /** A correction must be held by at least this many documents. */
  minDocuments: number;
}

export const DEFAULT_CORRECTION_RULES: CorrectionRules = {
  minLength: 7,
  maxEdits: 1,
  minDocuments: 1,
};

/**
 * Affixes that change the meaning one or two edits apart (hypo-/hyper-, -otomy/-ostomy): a word
 * is never corrected across such a pair, since the library's word is then another thing.
 */
const PREFIX_PAIRS: ReadonlyArray<readonly string[]> = confusableAffixes.prefixes;
const SUFFIX_PAIRS: ReadonlyArray<readonly string[]> = confusableAffixes.suffixes;

function acrossAffixes(a: string, b: string): boolean {
  const differ = (group: readonly string[], has: (word: string, affix: string) => boolean) => {
    const ofA = group.find((affix) => has(a, affix));
    const ofB = group.find((affix) => has(b, affix));
    return ofA !== undefined && ofB !== undefined && ofA !== ofB;
  };
  return (
    PREFIX_PAIRS.some((group) => differ(group, (w, x) => w.startsWith(x))) ||
    SUFFIX_PAIRS.some((group) => differ(group, (w, x) => w.endsWith(x)))
  );
}

/** Whether two words differ only by two neighbouring letters swapped ("reicpe" / "recipe"). */
export function swapsTwoLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Whether a word as written may be corrected at all: letters only (a code or a number is a name
 * of its own: "tlr9" is not a misspelt "tlr7"), long enough, and not an English word.
 * @param word a lower-cased word
 * @param rules the correction rules
 */
export function mayCorrect(word: string, rules: CorrectionRules = DEFAULT_CORRECTION_RULES): boolean {
  return word.length >= rules.minLength && /^\p{L}+$/u.test(word) && !isEnglishWord(word, rules.minLength);
}

/**
 * The best correction of a word among candidate words: the fewest edits, then the most documents,
 * then alphabetical; none beyond the allowed edits, across a meaning-bearing affix pair, differing
 * only at the end, or held by too few documents.
 * @param word the word (or index term) to correct, lower-cased
 * @param candidates words (or index terms) of the library with their document counts
 * @param rules the correction rules
 */
export function bestCorrection<T extends { term: string; documents: number }>(
  word: string,
  candidates: readonly T[],
  rules: CorrectionRules = DEFAULT_CORRECTION_RULES,
): T | undefined {
  if (word.length < rules.minLength - 1 || !/^\p{L}+$/u.test(word)) return undefined;
  let best: { candidate: T; edits: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.term === word || candidate.documents < rules.minDocuments) continue;
    if (!/^\p{L}+$/u.test(candidate.term) || acrossAffixes(word, candidate.term)) continue;
    // One word the other plus a letter at its end is another form of the word ("adenovir-al" and
    // "adenoviru-s" as stems), not a slip: the library lacks that form, and it may mean otherwise.
    if (candidate.term.startsWith(word) || word.startsWith(candidate.term)) continue;
    const edits = swapsTwoLetters(word, candidate.term) ? 1 : distance(word, candidate.term);
    if (edits > rules.maxEdits) continue;
    const better =
      !best ||
      edits < best.edits ||
      (edits === best.edits &&
        (candidate.documents > best.candidate.documents ||
          (candidate.documents === best.candidate.documents && candidate.term < best.candidate.term)));
    if (better) best = { candidate, edits };
  }
  return best?.candidate;
}

/** A question term and the spelling the sources use for it. */
export interface TermRespelling {
  written: string;
  asSources: string;
}

const SOURCE_WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/** How often each lower-cased word (hyphenated words whole) occurs in the texts. */
function wordCounts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts)
    for (const word of text.toLowerCase().match(SOURCE_WORD) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/**
 * The sources' spelling of a code the question writes another way: its joined or hyphenated form,
 * whichever the texts use more ("LB-100" asked, "LB100" written). A spaced form ("LB 100") is two
 * words to a word matcher, so it is not offered.
 */
function codeAsSources(term: string, counts: ReadonlyMap<string, number>): string | undefined {
  const forms = codeForms(term);
  if (!forms) return undefined;
  const hyphenated = forms.split.join('-');
  const [joined, split] = [counts.get(forms.joined) ?? 0, counts.get(hyphenated) ?? 0];
  if (joined === 0 && split === 0) return undefined;
  return joined >= split ? forms.joined : hyphenated;
}

/**
 * The question's terms as its sources spell them, so that counting which terms a sentence names
 * finds them: a code the sources write another way ("LB-100" → "lb100"), and a word the library
 * lacks that was searched for as a near term (`corrected`: the written word and a function that
 * tells whether a source word is that term) → the sources' commonest word for it. Terms the texts
 * hold as written are kept; the focus is respelled the same way.
 * @param question the understood question
 * @param texts the retrieved documents' texts
 * @param corrected the words searched for as another term, each with a test of a source word
 */
export function termsAsSources<Q extends { terms: string[]; focus: string }>(
  question: Q,
  texts: readonly string[],
  corrected: ReadonlyArray<{ written: string; isTerm: (word: string) => boolean }> = [],
): { question: Q; respelled: TermRespelling[] } {
  const counts = wordCounts(texts);
  const respelled: TermRespelling[] = [];
  const terms = question.terms.map((term) => {
    if (counts.has(term)) return term;
    let asSources = codeAsSources(term, counts);
    const correction = corrected.find((c) => c.written.toLowerCase() === term);
    if (!asSources && correction) {
      let best: [string, number] | undefined;
      for (const [word, n] of counts) if (correction.isTerm(word) && (!best || n > best[1])) best = [word, n];
      asSources = best?.[0];
    }
    if (!asSources) return term;
    respelled.push({ written: term, asSources });
    return asSources;
  });
  if (respelled.length === 0) return { question, respelled };
  let focus = question.focus;
  for (const r of respelled)
    focus = focus
      .split(' ')
      .map((w) => (w === r.written ? r.asSources : w))
      .join(' ');
  return { question: { ...question, terms: [...new Set(terms)], focus }, respelled };
}
