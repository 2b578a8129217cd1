import generalStopWords from '../understand/stop-words.json' with { type: 'json' };
import questionStopWords from './question-stop-words.json' with { type: 'json' };
import { codeForms } from '../understand/spelling.js';

/** One OR-ed clause of a lexical query (see LexicalQuery in the store port). */
export interface QueryClause {
  text: string;
  phrase?: boolean;
  field?: 'title' | 'heading' | 'content';
}

export interface QueryTermOptions {
  /** Drop words that only make a sentence a question ("which", "describe", "role"). */
  questionStopWords: boolean;
  /** Biomedical tokens: hyphenated names also joined, Greek letters spelled out, numbers with units. */
  biomedicalTokens: boolean;
  /** Adjacent content words also as a two-word phrase ("marfan syndrome"), rewarding documents that keep them together. */
  wordPairs?: boolean;
}

/**
 * Words the general stop list drops from a patient's sentence ("I really want to know…") that a
 * search keeps: in a study's question they can be its subject ("do patients want…", "use of"),
 * and BM25 already gives a word common in the library little weight. "People" stays dropped: in
 * a question it is generic ("how many people…"), and its section cue answers it.
 */
const KEPT_IN_SEARCH: ReadonlySet<string> = new Set([
  'patient',
  'patients',
  'want',
  'need',
  'really',
  'use',
  'using',
  'one',
  'two',
  'undergoing',
  'procedures',
  'doctor',
  'know',
]);
const GENERAL_STOP: ReadonlySet<string> = new Set(generalStopWords.filter((w) => !KEPT_IN_SEARCH.has(w)));
const QUESTION_STOP: ReadonlySet<string> = new Set(questionStopWords);

/** Greek letters as biomedical names spell them out (TNF-α = TNF-alpha). */
export const GREEK_LETTERS: Readonly<Record<string, string>> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'epsilon',
  ζ: 'zeta',
  η: 'eta',
  θ: 'theta',
  ι: 'iota',
  κ: 'kappa',
  λ: 'lambda',
  μ: 'mu',
  ν: 'nu',
  ξ: 'xi',
  π: 'pi',
  ρ: 'rho',
  σ: 'sigma',
  τ: 'tau',
  φ: 'phi',
  χ: 'chi',
  ψ: 'psi',
  ω: 'omega',
};

const UNITS = new Set([
  'mg',
  'g',
  'kg',
  'mcg',
  'µg',
  'ug',
  'ng',
  'ml',
  'l',
  'mmol',
  'mmhg',
  'iu',
  'units',
  'mm',
  'cm',
  'h',
  'hours',
  'days',
  'weeks',
  'months',
  'years',
  'percent',
]);

// A token keeps inner hyphens, slashes and decimal points: "miR-25", "BRCA1/2", "1.5".
const TOKEN = /[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*/gu;
const WORD = /[\p{L}\p{N}]+/gu;

function isStop(word: string, options: QueryTermOptions): boolean {
  if (GENERAL_STOP.has(word)) return true;
  return options.questionStopWords && QUESTION_STOP.has(word);
}

/** Spells out Greek letters in a token ("tnf-α" → "tnf-alpha"); unchanged when there are none. */
export function spellGreek(token: string): string {
  return token
    .replace(/[α-ω]/g, (letter) => {
      const name = GREEK_LETTERS[letter];
      return name ? `-${name}` : letter;
    })
    .replace(/^-|-(?=-)/g, '');
}

/**
 * The variants of one biomedical token beyond its own words: for short gene- or drug-like names
 * the joined form ("il-6" → "il6"), and Greek letters spelled out ("tnf-α" → "alpha"). Its words
 * are not added again as a phrase: a phrase clause would count the same name twice over.
 * @param token a lower-cased token with inner hyphens or slashes, or a Greek letter
 */
export function tokenVariants(token: string): QueryClause[] {
  const spelled = spellGreek(token);
  const own = new Set(token.match(WORD) ?? []);
  const clauses: QueryClause[] = [];
  for (const form of new Set([token, spelled])) {
    const words = form.match(WORD) ?? [];
    if (words.length > 1) {
      const joined = words.join('');
      if (joined.length <= 10 && words.some((w) => /\d/.test(w) || w.length <= 3)) clauses.push({ text: joined });
    }
    if (form !== token) for (const word of words) if (!own.has(word)) clauses.push({ text: word });
  }
  return clauses;
}

/** Two-word phrases of adjacent content tokens; a stop word breaks the run. */
function wordPairs(tokens: readonly string[], options: QueryTermOptions): QueryClause[] {
  const pairs: QueryClause[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i]!, tokens[i + 1]!];
    if (isStop(a, options) || isStop(b, options)) continue;
    const words = `${a} ${b}`.match(WORD) ?? [];
    pairs.push({ text: words.join(' '), phrase: true });
  }
  return pairs;
}

// A code written in two words: capitals, a space, then a number ("LB 100", "CD 4").
const SPACED_CODE = /(?<![\p{L}\p{N}-])(\p{Lu}{1,6}) (\d[\p{L}\p{N}]*)(?![\p{L}\p{N}]|-[\p{L}\p{N}])/gu;

/**
 * The other spellings of the codes in a question, so a search for one finds the library's
 * others: a joined code ("lb100") also as the phrase of its two parts (what an index makes of
 * "LB-100" and "LB 100"), and a code in capitals written in two words ("LB 100") also joined.
 * (A hyphenated code's joined form comes from tokenVariants.)
 * @param text the question as written
 * @param tokens its lower-cased tokens
 */
export function codeClauses(text: string, tokens: readonly string[]): QueryClause[] {
  const clauses: QueryClause[] = [];
  for (const token of tokens) {
    const forms = /^[\p{L}\p{N}]+$/u.test(token) ? codeForms(token) : undefined;
    if (forms) clauses.push({ text: forms.split.join(' '), phrase: true });
  }
  for (const match of text.matchAll(SPACED_CODE)) {
    const forms = codeForms(`${match[1]!} ${match[2]!}`.toLowerCase());
    if (forms) clauses.push({ text: forms.joined });
  }
  return clauses;
}

/**
 * The clauses of a question: its content words (stop words removed) and, with biomedical
 * tokens on, joined forms of hyphenated names, the other spellings of codes (codeClauses), Greek
 * letters spelled out and numbers kept with their unit. Duplicates removed, question order kept.
 * @param text the question
 * @param options which rules apply
 */
export function queryClauses(text: string, options: QueryTermOptions): QueryClause[] {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  const clauses: QueryClause[] = [];
  tokens.forEach((token, i) => {
    for (const word of token.match(WORD) ?? []) {
      // A lone Greek letter is a name part ("β" of "β-catenin"), as its spelled-out form is.
      if (!isStop(word, options) && (word.length > 1 || /[\dα-ω]/.test(word))) clauses.push({ text: word });
    }
    if (!options.biomedicalTokens) return;
    if (/[-/]/.test(token) || /[α-ω]/.test(token)) clauses.push(...tokenVariants(token));
    const next = tokens[i + 1];
    if (/^\d+(?:\.\d+)?$/.test(token) && next && UNITS.has(next))
      clauses.push({ text: `${token} ${next}`, phrase: true });
  });
  if (options.biomedicalTokens) clauses.push(...codeClauses(text, tokens));
  if (options.wordPairs) clauses.push(...wordPairs(tokens, options));
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = `${c.phrase ? 'p' : 'w'}:${c.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
