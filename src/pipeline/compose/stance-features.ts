/**
 * Features of a yes/no question and the evidence closest to it, for the stance model: how much
 * of the evidence denies or hedges, whether it names the opposite of what the question asks
 * ("non-syndromic" for "syndromic", "agonist" for "inhibit"), and how much of the question's
 * subject it leaves unmentioned. Pure; every feature is a number in [0, 1].
 */
import antonymPairs from './stance-antonyms.json' with { type: 'json' };
import { lightStem, stemSet } from './text-match.js';

/** One sentence the stance is read from, with how directly it answers the question. */
export interface StanceSentence {
  text: string;
  weight: number;
  /** The document the sentence is from: a document's sentences are read together. */
  documentId?: string;
  /** The evidence kind of that document (guideline, rct, cohort…), when known. */
  kind?: string;
  /** Years since that document was published, when known. */
  ageYears?: number;
  /** Place of that document in the retrieval ranking, counted from 0. */
  documentRank?: number;
}

/** Everything the stance features of a question are read from. */
export interface StanceInputs {
  /** The question as asked. */
  question: string;
  /** The question's stemmed terms with their weights. */
  terms: StanceTerm[];
  /** The question's subject words (not its framing words), as written. */
  subject: string[];
  /** The candidate sentences, best first by compose's ranking. */
  pool: StanceSentence[];
}

export const DENIES =
  /\b(?:no|not|neither|nor|none|cannot|can't|never|failed to|fails to|unable to|lack of|absence of|did not|does not|do not|is not|are not|was not|were not|has not|have not|nonsignificant|non-significant|insignificant|unrelated|ineffective|no longer)\b|n't\b/i;
// Negations that do not deny the finding ("not only", "no longer than", "whether or not").
const DENIAL_EXCEPTIONS =
  /\b(?:not only|no longer than|whether or not|if not|not yet fully|no less than|not surprisingly|not been (?:fully )?(?:studied|elucidated|characterized|understood)|without (?:any )?(?:evident )?(?:safety|serious|significant) (?:concerns?|adverse|toxicit\w*|side))\b/gi;
// A finding of no effect or no difference: the usual wording of a negative trial or study.
export const NULL_FINDING =
  /\b(?:no (?:statistically )?(?:significant|significantly|difference|differences|effect|effects|benefit|association|correlation|evidence|improvement|change|impact|role)|not (?:significantly|associated|correlated|effective|improve\w*|reduce\w*|differ\w*|affect\w*|change\w*|increase\w*|decrease\w*|alter\w*|related|linked|influence\w*|predict\w*|superior|required|necessary|sufficient|involved)|did not (?:\w+ )?(?:improve|reduce|change|affect|differ|increase|decrease|alter|prevent|show|influence|prolong|extend|benefit)|failed to|similar (?:to|in|between|among)|comparable (?:to|in|between|with)|same effect|unaffected|unchanged|no longer|was not|were not)\b/i;
// An unfavourable outcome: a trial stopped, a result worse than control, efficacy not shown.
export const UNFAVOURABLE =
  /\b(?:worsen\w*|worse|poorer|aggravat\w*|terminated|halted|discontinued|stopped early|withdrawn|unsuccessful|disappointing|negative (?:results?|trials?|findings?|outcomes?)|did not (?:meet|reach|achieve)|failed (?:to|in)|no (?:notable|meaningful|clinically (?:meaningful|relevant|significant)) (?:differences?|effects?|benefits?)|not (?:approved|recommended)|lack(?:ed|s)? (?:of )?efficacy|futility|harmful)\b/i;
const HEDGES =
  /\b(?:unclear|controvers\w*|conflicting|inconclusive|inconsistent|remains? (?:unknown|uncertain|to be (?:determined|established|elucidated))|debated|uncertain|further (?:studies|research|trials) (?:are|is) (?:needed|required|warranted))\b/i;
// Prefixes that turn a word into its opposite ("non-coding", "atypical", "disproportionately").
const NEGATING_PREFIXES = ['non-', 'non', 'un', 'in', 'im', 'dis', 'a', 'anti-', 'anti', 'ir'];
// Words that set one finding against another: the evidence answers with a different entity or condition.
const CONTRASTS =
  /\b(?:however|rather than|instead|unlike|in contrast|contrary|distinct from|whereas|but not|not in|only in|only when|except|opposite)\b/i;
const QUESTION_NEGATION = /\b(?:not|no|never|without|lack)\b|n't\b/i;
const QUESTION_COMPARES =
  /\b(?:more|less|better|worse|higher|lower|superior|inferior|greater|larger|smaller|faster|slower|than|only|all|every|always|exclusively|most)\b/i;
const QUESTION_ANY = /\b(?:any|ever)\b/i;
// The form of the question: efficacy, association, class membership, existence, a statement to judge.
const QUESTION_EFFICACY =
  /\b(?:effective|efficacy|efficacious|improve\w*|benefit\w*|beneficial|alleviat\w*|ameliorat\w*|prevent\w*|reduce\w*)\b/i;
const QUESTION_ASSOCIATION = /\b(?:associated|association|link\w*|related|correlat\w*|involved|implicated|risk)\b/i;
const QUESTION_IS_A = /^\s*(?:is|are)\b[^?]*\b(?:a|an)\b/i;
const QUESTION_EXISTS = /^\s*(?:is|are) there\b/i;
// Questions that hold only if nothing contradicts them: "only", "all", "always", "exclusively".
const QUESTION_ONLY =
  /\b(?:only|all|every|always|exclusively|solely|universal\w*|ubiquitous\w*|never|specific(?:ally)?|same)\b/i;
const QUESTION_STATEMENT = /\byes or no\b|^\s*(?:true|false)\b|^[^?]*$/i;

const PAIRS: ReadonlyArray<readonly [RegExp, RegExp]> = (antonymPairs as string[][]).map(([a, b]) => [
  new RegExp(`\\b(?:${a})\\b`, 'i'),
  new RegExp(`\\b(?:${b})\\b`, 'i'),
]);

/** Names of the features, in the order `stanceFeatures` returns them; the model's weights follow it. */
export const STANCE_FEATURES = [
  'denies-first',
  'denies-share-3',
  'denies-share-10',
  'null-finding-first',
  'null-finding-share-5',
  'hedges-share-5',
  'negated-question-word',
  'opposite-word',
  'missing-subject-share',
  'missing-subject-any',
  'subject-sentences-deny',
  'question-negated',
  'question-compares',
  'question-any',
  'evidence-thin',
  'sibling-word',
  'sibling-word-first',
  'question-efficacy',
  'question-association',
  'question-is-a',
  'question-exists',
  'question-statement',
  'contrast-share-3',
  'absent-share',
  'absent-any',
  'best-cover',
  'subject-sentences-null',
  'all-subject-sentence-any',
  'all-subject-sentence-share-10',
  'all-subject-document-any',
  'max-subject-cover',
  'all-subject-affirms',
  'all-subject-denies-share',
  'question-only',
  'substituted-term',
  'substituted-term-first',
  'unfavourable-share-5',
  'unfavourable-subject-share',
  'efficacy-unfavourable',
] as const;

/** A question term with its weight (the subject counts more than framing words). */
export interface StanceTerm {
  stem: string;
  weight: number;
}

/**
 * The pool re-ranked for the stance: sentences that name the question's rarer terms first (a
 * term that few sentences of the pool use, such as a drug's name, says what the question is
 * about), with the share of that weight no sentence of the pool names at all.
 *
 * @param terms the question's stemmed terms with their weights
 * @param pool the candidate sentences, best first by compose's own ranking
 */
export function rankForStance(
  terms: readonly StanceTerm[],
  pool: readonly StanceSentence[],
): { sentences: StanceSentence[]; weights: number[]; absentShare: number; absentAny: boolean } {
  const content = terms.filter((t) => !/^\d+$/.test(t.stem));
  const sets = pool.map((s) => stemSet(s.text));
  const rarity = new Map(
    content.map((t) => {
      const used = sets.filter((set) => set.has(t.stem)).length;
      return [t.stem, Math.log(1 + (pool.length + 1) / (1 + used)) * t.weight];
    }),
  );
  const total = [...rarity.values()].reduce((a, b) => a + b, 0) || 1;
  const absent = content.filter((t) => !sets.some((set) => set.has(t.stem)));
  const absentShare = absent.reduce((a, t) => a + (rarity.get(t.stem) ?? 0), 0) / total;
  const weights = sets.map(
    (set) => content.reduce((a, t) => a + (set.has(t.stem) ? (rarity.get(t.stem) ?? 0) : 0), 0) / total,
  );
  const sentences = pool
    .map((s, k) => ({ text: s.text, weight: weights[k]!, k }))
    .sort((a, b) => b.weight - a.weight || a.k - b.k)
    .map(({ text, weight }) => ({ text, weight }));
  return { sentences, weights, absentShare, absentAny: absent.length > 0 };
}

// The first letters of a word: "depressive" meets "depression", "microbiomes" meets "microbiome".
function wordRoot(stem: string): string {
  return stem.length > ROOT_LETTERS ? stem.slice(0, ROOT_LETTERS) : stem;
}
const ROOT_LETTERS = 6;

/**
 * How the evidence names the question's subject words together: in one sentence, in one
 * document, and the largest share one sentence names. A "yes" usually has a sentence naming the
 * drug and the disease together; evidence that names each apart answers about neighbours.
 *
 * @param subject the question's subject words, as written
 * @param sentences the candidate sentences, best first
 */
export function coMention(
  subject: readonly string[],
  sentences: readonly StanceSentence[],
): { together: StanceSentence[]; inDocument: boolean; maxCover: number } {
  const stems = [...new Set(subject.map((t) => wordRoot(lightStem(t))))].filter((t) => !/^\d+$/.test(t));
  if (stems.length === 0) return { together: [], inDocument: false, maxCover: 0 };
  const together: StanceSentence[] = [];
  const byDocument = new Map<string, Set<string>>();
  let maxCover = 0;
  for (const s of sentences) {
    const set = new Set([...stemSet(s.text)].map(wordRoot));
    const named = stems.filter((t) => set.has(t));
    maxCover = Math.max(maxCover, named.length / stems.length);
    if (named.length === stems.length) together.push(s);
    const key = s.documentId ?? s.text;
    const seen = byDocument.get(key) ?? new Set<string>();
    for (const t of named) seen.add(t);
    byDocument.set(key, seen);
  }
  const inDocument = [...byDocument.values()].some((seen) => seen.size === stems.length);
  return { together, inDocument, maxCover };
}

/**
 * Whether a sentence says the question with one subject word swapped: it names every other
 * subject word, not this one, and in its place a sibling ("PD-1" for "PD-L1", "lentiviral" for
 * "adenoviral") or an opposite ("promotes" for "inhibits"). Such a sentence states what is true
 * instead, so it answers "no".
 *
 * @param subject the question's subject words, as written
 * @param question the question as asked
 * @param sentences the sentences to read, best first
 */
export function substitutedTerm(
  subject: readonly string[],
  question: string,
  sentences: readonly StanceSentence[],
): boolean {
  const words = [...new Set(subject.map((t) => t.toLowerCase()))].filter((t) => !/^\d+$/.test(t));
  if (words.length < 2) return false;
  const roots = words.map((t) => wordRoot(lightStem(t)));
  return sentences.some((s) => {
    const set = new Set([...stemSet(s.text)].map(wordRoot));
    const missing = words.filter((_, k) => !set.has(roots[k]!));
    if (missing.length !== 1) return false;
    const term = missing[0]!;
    return [...wordsOf(s.text)].some((w) => swappedFor(term, w)) || oppositeWord(question, s.text);
  });
}

/**
 * Whether `word` names a sibling of `term` rather than the same thing spelled otherwise: a
 * code one or two characters apart ("CD40" for "CD140", "PD-1" for "PD-L1"), or a word with the
 * same ending and another beginning ("lentiviral" for "adenoviral"). Spelling variants
 * ("tumor", "LB100") and other forms of one word ("meiotic") are not siblings.
 */
export function swappedFor(term: string, word: string): boolean {
  const t = term.toLowerCase().replace(/[-'’]/g, '');
  const w = word.toLowerCase().replace(/[-'’]/g, '');
  if (t === w || t.length < 3 || w.length < 3) return false;
  if (/\d/.test(t) || /\d/.test(w)) {
    return /\d/.test(t) && /\d/.test(w) && t.slice(0, 1) === w.slice(0, 1) && withinEdits(t, w, t.length >= 6 ? 2 : 1);
  }
  let front = 0;
  while (front < t.length && front < w.length && t[front] === w[front]) front++;
  const end = sharedEnding(t, w);
  return front < 3 && end >= 5 && end < t.length && end < w.length;
}

function cleaned(text: string): string {
  return text.replace(DENIAL_EXCEPTIONS, ' ');
}

/** Weighted share of the sentences that match `pattern` (0 when there are none). */
function share(sentences: readonly StanceSentence[], pattern: RegExp): number {
  let total = 0;
  let hit = 0;
  for (const s of sentences) {
    const w = Math.max(0, s.weight);
    total += w;
    if (pattern.test(cleaned(s.text))) hit += w;
  }
  return total === 0 ? 0 : hit / total;
}

/** Lower-case words of a text, hyphenated words kept whole and also split. */
function wordsOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? [];
  const out = new Set<string>();
  for (const w of words) out.add(w);
  return out;
}

/**
 * Whether the evidence uses a question word with a negating prefix ("non-syndromic" for
 * "syndromic", "atypical" for "typical") and never the word on its own.
 */
export function negatedQuestionWord(questionTerms: readonly string[], evidence: string): boolean {
  const words = wordsOf(evidence);
  return questionTerms.some((term) => {
    const t = term.toLowerCase();
    if (t.length < 5 || words.has(t)) return false;
    return NEGATING_PREFIXES.some((p) => words.has(`${p}${t}`) || words.has(`${p}${lightStem(t)}`));
  });
}

/** Edit distance of two short words, stopping early past `max`. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]! <= max;
}

/** Longest common ending of two words. */
function sharedEnding(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * Whether the evidence names a sibling of a question word it never uses: a word that differs by
 * a letter or two ("CD40" for "CD140") or shares a long ending ("lentiviral" for "adenoviral",
 * "monoclonal" for "polyclonal"). Evidence about the sibling answers "no" to the question.
 */
export function siblingWord(questionTerms: readonly string[], question: string, evidence: string): boolean {
  const words = wordsOf(evidence);
  const asked = wordsOf(question);
  const stems = new Set([...words].map(lightStem));
  return questionTerms.some((term) => {
    const t = term.toLowerCase();
    if (t.length < 3 || words.has(t) || stems.has(lightStem(t))) return false;
    for (const w of words) {
      if (asked.has(w) || w === t) continue;
      if (t.length >= 4 && /\d/.test(t) === /\d/.test(w) && withinEdits(t, w, t.length >= 6 ? 2 : 1)) return true;
      const end = sharedEnding(t, w);
      if (end >= 5 && end < t.length && end >= t.length - 5) return true;
    }
    return false;
  });
}

/** Whether the question uses one side of an opposite pair and the evidence only the other side. */
export function oppositeWord(question: string, evidence: string): boolean {
  return PAIRS.some(([a, b]) => {
    const qa = a.test(question);
    const qb = b.test(question);
    if (qa === qb) return false;
    return qa ? b.test(evidence) && !a.test(evidence) : a.test(evidence) && !b.test(evidence);
  });
}

/**
 * The stance features of a question and its closest sentences (best first).
 *
 * @param question the question as asked
 * @param terms the question's stemmed terms with their weights
 * @param subjectTerms the question's subject words (not its framing words), as written
 * @param pool the candidate sentences, best first by compose's ranking
 */
export function stanceFeatures(
  question: string,
  terms: readonly StanceTerm[],
  subjectTerms: readonly string[],
  pool: readonly StanceSentence[],
): number[] {
  const { sentences, absentShare, absentAny } = rankForStance(terms, pool);
  const top3 = sentences.slice(0, 3);
  const top5 = sentences.slice(0, 5);
  const first = sentences.slice(0, 1);
  const near = top5.map((s) => s.text).join(' ');
  const nearStems = stemSet(near);
  const subject = [...new Set(subjectTerms.map((t) => t.toLowerCase()))].filter((t) => !/^\d+$/.test(t));
  const missing = subject.filter((t) => !nearStems.has(lightStem(t)));
  // The sentences that name every subject word the evidence names at all: the ones about THIS question.
  const present = subject.filter((t) => nearStems.has(lightStem(t)));
  const aboutSubject = sentences.filter((s) => {
    const stems = stemSet(s.text);
    return present.length > 0 && present.every((t) => stems.has(lightStem(t)));
  });
  const co = coMention(subject, pool);
  const top10 = sentences.slice(0, 10);
  const together10 = coMention(subject, top10).together.length;
  const affirms = co.together.some((s) => {
    const text = cleaned(s.text);
    return !DENIES.test(text) && !NULL_FINDING.test(text) && !HEDGES.test(text);
  });
  const unfavourable = share(top5, UNFAVOURABLE);
  const unfavourableTogether =
    co.together.length === 0
      ? 0
      : share(
          co.together.slice(0, 5).map((x) => ({ ...x, weight: 1 })),
          UNFAVOURABLE,
        );
  return [
    share(first, DENIES),
    share(top3, DENIES),
    share(sentences, DENIES),
    share(first, NULL_FINDING),
    share(top5, NULL_FINDING),
    share(top5, HEDGES),
    negatedQuestionWord(subject, near) ? 1 : 0,
    oppositeWord(question, near) ? 1 : 0,
    subject.length === 0 ? 0 : missing.length / subject.length,
    missing.length > 0 ? 1 : 0,
    aboutSubject.length === 0 ? 0 : share(aboutSubject.slice(0, 3), DENIES),
    QUESTION_NEGATION.test(question) ? 1 : 0,
    QUESTION_COMPARES.test(question) ? 1 : 0,
    QUESTION_ANY.test(question) ? 1 : 0,
    sentences.length < 3 ? 1 : 0,
    siblingWord(subject, question, near) ? 1 : 0,
    siblingWord(subject, question, first.map((s) => s.text).join(' ')) ? 1 : 0,
    QUESTION_EFFICACY.test(question) ? 1 : 0,
    QUESTION_ASSOCIATION.test(question) ? 1 : 0,
    QUESTION_IS_A.test(question) ? 1 : 0,
    QUESTION_EXISTS.test(question) ? 1 : 0,
    QUESTION_STATEMENT.test(question) ? 1 : 0,
    share(top3, CONTRASTS),
    absentShare,
    absentAny ? 1 : 0,
    sentences[0]?.weight ?? 0,
    aboutSubject.length === 0 ? 0 : share(aboutSubject.slice(0, 3), NULL_FINDING),
    co.together.length > 0 ? 1 : 0,
    top10.length === 0 ? 0 : together10 / top10.length,
    co.inDocument ? 1 : 0,
    co.maxCover,
    affirms ? 1 : 0,
    co.together.length === 0
      ? 0
      : share(
          co.together.slice(0, 5).map((x) => ({ ...x, weight: 1 })),
          DENIES,
        ),
    QUESTION_ONLY.test(question) ? 1 : 0,
    substitutedTerm(subject, question, top10) ? 1 : 0,
    substitutedTerm(subject, question, top3) ? 1 : 0,
    unfavourable,
    unfavourableTogether,
    QUESTION_EFFICACY.test(question) ? Math.max(unfavourableTogether, unfavourable) : 0,
  ];
}
