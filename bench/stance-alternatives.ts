/**
 * Other ways of reading the yes/no stance, each measured against the shipped one on the same
 * examples: `npm run bench:stance-alternatives`. Rows: other learners on the same features
 * (boosted trees, a blend), extra features read from the same evidence (each sentence's stance
 * weighted by closeness, study design and recency; the question's opening verb, alone and where
 * no sentence names the subject words together; subject words each named but never together;
 * denial and opposite actions where the rarest subject word is named, and in the document ranked
 * first), and the decision threshold moved. Each row prints the same honest figures as
 * `npm run train:stance`: ten-fold out-of-fold accuracy over the answered questions and over all
 * yes/no questions with abstentions counted wrong, and a model fitted on the even lines read on
 * the odd lines. Deterministic: fixed folds, no sampling.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { trainLogistic, logOdds } from '../src/pipeline/compose/logistic.js';
import { sentenceStance } from '../src/pipeline/compose/stance.js';
import {
  coMention,
  DENIES,
  NULL_FINDING,
  oppositeWord,
  rankForStance,
  swappedFor,
  UNFAVOURABLE,
  type StanceInputs,
  type StanceSentence,
} from '../src/pipeline/compose/stance-features.js';
import { lightStem, stemSet } from '../src/pipeline/compose/text-match.js';
import type { StanceExample } from '../src/eval/answers-stance.js';
import { trainBoostedTrees } from './boosted-trees.js';
import { FOLDS, loadStanceData, NEIGHBOUR_WEIGHT, REPO_ROOT } from './stance-data.js';

type LogOdds = (features: readonly number[]) => number;
/** Fits a model to weighted examples and returns its log-odds of "no". */
type Learner = (examples: ReadonlyArray<{ features: readonly number[]; label: 0 | 1; weight?: number }>) => LogOdds;
/** The features a row reads from one example (the shipped ones unless said). */
type Reader = (example: StanceExample) => number[];
/** A reader fitted on the training questions of a split (most readers ignore them). */
type ReaderFor = (training: readonly StanceExample[]) => Reader;

const logistic: Learner = (examples) => {
  const model = trainLogistic(examples);
  return (f) => logOdds(model, f);
};
const trees =
  (rounds: number, depth: number, learningRate: number): Learner =>
  (examples) =>
    trainBoostedTrees(examples, { rounds, depth, learningRate, lambda: 1, minLeafWeight: 2 });
const blend =
  (share: number): Learner =>
  (examples) => {
    const a = logistic(examples);
    const b = trees(100, 3, 0.05)(examples);
    return (f) => (1 - share) * a(f) + share * b(f);
  };

// Designs whose findings count most when sentences disagree (grade/'s evidence kinds).
const STRONG_KINDS = new Set(['guideline', 'local-protocol', 'systematic-review', 'meta-analysis', 'rct']);

/**
 * Each close sentence's own stance (deny or not), aggregated by how much of the subject it names
 * (squared), alone and also by study design and by recency; and over the ten closest by all the
 * question's words.
 */
function sentenceAggregates(inputs: StanceInputs): number[] {
  const subject = [...new Set(inputs.subject.map((t) => lightStem(t)))].filter((t) => !/^\d+$/.test(t));
  const scored = inputs.pool.map((s) => {
    const stems = stemSet(s.text);
    const cover = subject.length === 0 ? 0 : subject.filter((t) => stems.has(t)).length / subject.length;
    return { ...s, cover, denies: sentenceStance(s.text) === 'no' ? 1 : 0 };
  });
  const closest = [...scored].sort((a, b) => b.cover - a.cover);
  const weighted = (set: typeof scored, weight: (s: (typeof scored)[number]) => number) => {
    let hit = 0;
    let total = 0;
    for (const s of set) {
      total += weight(s);
      hit += weight(s) * s.denies;
    }
    return total === 0 ? 0 : hit / total;
  };
  const top10 = closest.slice(0, 10);
  return [
    weighted(closest.slice(0, 5), (s) => s.cover ** 2),
    weighted(top10, (s) => s.cover ** 2),
    weighted(top10, (s) => s.cover ** 2 * (STRONG_KINDS.has(s.kind ?? '') ? 1 : 0.3)),
    weighted(top10, (s) => s.cover ** 2 * (s.ageYears === undefined ? 0.5 : Math.exp(-s.ageYears / 10))),
  ];
}

// The question's opening verb: "is", "does/do/did", "can/could", "has/have/had", "are".
const OPENERS = [/^is\b/i, /^(?:does|do|did)\b/i, /^(?:can|could)\b/i, /^(?:has|have|had)\b/i, /^are\b/i];
function openers(inputs: StanceInputs): number[] {
  return OPENERS.map((p) => (p.test(inputs.question.trim()) ? 1 : 0));
}

/** Whether the pool names every subject word somewhere but never in one sentence / one document. */
function neverTogether(inputs: StanceInputs): number[] {
  const subject = [...new Set(inputs.subject.map((t) => lightStem(t)))].filter((t) => !/^\d+$/.test(t));
  const named = new Set<string>();
  for (const s of inputs.pool) for (const t of stemSet(s.text)) if (subject.includes(t)) named.add(t);
  const everyNamed = subject.length >= 2 && named.size === subject.length;
  const co = coMention(inputs.subject, inputs.pool);
  return [everyNamed && co.together.length === 0 ? 1 : 0, everyNamed && !co.inDocument ? 1 : 0];
}

// Short upper-case codes one letter apart ("CTG" and "CAG").
const CODE = /^[A-Z0-9-]{3,6}$/;
function codeSibling(asked: string, word: string): boolean {
  if (!CODE.test(asked) || !CODE.test(word) || asked === word || asked.length !== word.length) return false;
  return [...asked].filter((c, k) => c !== word[k]).length === 1;
}

/**
 * A looser swapped-term signal: a close sentence leaves out one or two subject words (not all)
 * and names a sibling of one of them, a one-letter neighbour of a code the question uses, or the
 * opposite action.
 */
function looseSwap(inputs: StanceInputs): number[] {
  const words = [...new Set(inputs.subject)].filter((t) => !/^\d+$/.test(t));
  if (words.length < 2) return [0];
  const root = (t: string) => lightStem(t).slice(0, 6);
  const codes = (inputs.question.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []).filter(
    (w) => CODE.test(w) && /[A-Z]/.test(w),
  );
  const { sentences } = rankForStance(inputs.terms, inputs.pool);
  const fires = sentences.slice(0, 10).some((s) => {
    const named = new Set([...stemSet(s.text)].map((t) => t.slice(0, 6)));
    const missing = words.filter((t) => !named.has(root(t)));
    if (missing.length === 0 || missing.length > 2 || missing.length === words.length) return false;
    const said: string[] = s.text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
    return (
      missing.some((m) => said.some((w) => swappedFor(m, w))) ||
      codes.some((c) => !said.includes(c) && said.some((w) => codeSibling(c, w))) ||
      oppositeWord(inputs.question, s.text)
    );
  });
  return [fires ? 1 : 0];
}

/** Share of the sentences a test holds for (0 when there are none). */
function shareOf(sentences: readonly StanceSentence[], holds: (s: StanceSentence) => boolean): number {
  return sentences.length === 0 ? 0 : sentences.filter(holds).length / sentences.length;
}
const deniesOrNull = (s: StanceSentence) => DENIES.test(s.text) || NULL_FINDING.test(s.text);

/**
 * The sentences that name the question's rarest subject word (the one fewest pool sentences
 * use: usually the drug or gene asked about), five closest: how many deny, how many name the
 * opposite action, and whether any does either.
 */
function rarestSubjectSentences(inputs: StanceInputs): number[] {
  const root = (t: string) => lightStem(t).slice(0, 6);
  const roots = [...new Set(inputs.subject.map(root))].filter((t) => !/^\d+$/.test(t));
  const sets = inputs.pool.map((s) => new Set([...stemSet(s.text)].map((t) => t.slice(0, 6))));
  const used = roots.map((t) => sets.filter((set) => set.has(t)).length);
  const named = roots.filter((_, k) => used[k]! > 0);
  if (named.length === 0) return [0, 0, 0, 0];
  const rarest = named.reduce((a, t) => (used[roots.indexOf(t)]! < used[roots.indexOf(a)]! ? t : a));
  const sentences = rankForStance(inputs.terms, inputs.pool)
    .sentences.filter((s) => new Set([...stemSet(s.text)].map((t) => t.slice(0, 6))).has(rarest))
    .slice(0, 5);
  const opposes = (s: StanceSentence) => oppositeWord(inputs.question, s.text);
  return [
    shareOf(sentences, deniesOrNull),
    shareOf(sentences, opposes),
    sentences.some(deniesOrNull) ? 1 : 0,
    sentences.some(opposes) ? 1 : 0,
  ];
}

/**
 * The sentences of the document retrieval ranks first that name a subject word: how many deny,
 * state a null finding or an unfavourable outcome, whether any names the opposite action, and
 * the share of subject words that document names.
 */
function firstDocument(inputs: StanceInputs): number[] {
  const subject = [...new Set(inputs.subject.map(lightStem))];
  const sentences = inputs.pool.filter((s) => s.documentRank === 0);
  const about = sentences.filter((s) => {
    const stems = stemSet(s.text);
    return subject.some((t) => stems.has(t));
  });
  const named = new Set<string>();
  for (const s of sentences) for (const t of stemSet(s.text)) if (subject.includes(t)) named.add(t);
  return [
    shareOf(about, (s) => DENIES.test(s.text)),
    shareOf(about, (s) => NULL_FINDING.test(s.text)),
    shareOf(about, (s) => UNFAVOURABLE.test(s.text)),
    about.some((s) => oppositeWord(inputs.question, s.text)) ? 1 : 0,
    subject.length === 0 ? 0 : named.size / subject.length,
  ];
}

/** Words and word pairs of a sentence, lower-case, numbers left out. */
function wordFeatures(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !/^\d+$/.test(w));
  return [...new Set([...words, ...words.slice(1).map((w, k) => `${words[k]} ${w}`)])];
}

/**
 * A bag-of-words model of "no" wording: a sparse logistic regression over the words and word
 * pairs of labelled sentences, keeping those used by at least three groups (questions or
 * abstracts), so that one question's own topic words are not learnt. Returns its probability of
 * "no" for a sentence.
 */
function wordingModel(
  sentences: ReadonlyArray<{ text: string; label: 0 | 1; group: string }>,
): (text: string) => number {
  const groups = new Map<string, Set<string>>();
  const bags = sentences.map((s) => wordFeatures(s.text));
  bags.forEach((bag, k) => {
    for (const w of bag) groups.set(w, (groups.get(w) ?? new Set<string>()).add(sentences[k]!.group));
  });
  const place = new Map([...groups].filter(([, g]) => g.size >= 3).map(([w], k) => [w, k]));
  const rows = bags.map((bag) => bag.flatMap((w) => (place.has(w) ? [place.get(w)!] : [])));
  const weights = new Float64Array(place.size);
  let bias = 0;
  const l2 = 0.01;
  const rate = 0.5;
  for (let epoch = 0; epoch < 200; epoch++) {
    const gradient = new Float64Array(place.size);
    let gradientBias = 0;
    rows.forEach((row, k) => {
      let z = bias;
      for (const j of row) z += weights[j]!;
      const error = 1 / (1 + Math.exp(-z)) - sentences[k]!.label;
      for (const j of row) gradient[j]! += error;
      gradientBias += error;
    });
    for (let j = 0; j < weights.length; j++) weights[j]! -= rate * (gradient[j]! / rows.length + l2 * weights[j]!);
    bias -= (rate * gradientBias) / rows.length;
  }
  return (text) => {
    let z = bias;
    for (const w of wordFeatures(text)) if (place.has(w)) z += weights[place.get(w)!]!;
    return 1 / (1 + Math.exp(-z));
  };
}

// Labelled "no"/"yes" wording: PubMedQA's conclusions, and the gold snippets of BioASQ questions.
const PUBMEDQA = path.resolve(REPO_ROOT, '../shared/data/pubmedqa/pqal_trainval.jsonl');
const BIOASQ_QUESTIONS = path.resolve(REPO_ROOT, '../shared/data/bioasq_dev/questions.jsonl');
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const conclusions = lines(PUBMEDQA)
  .filter((j) => j['final_decision'] === 'yes' || j['final_decision'] === 'no')
  .map((j) => ({
    text: String(j['long_answer']),
    label: (j['final_decision'] === 'no' ? 1 : 0) as 0 | 1,
    group: `pubmedqa ${String(j['pmid'])}`,
  }));
const snippetsByLine = lines(BIOASQ_QUESTIONS).map((j) =>
  Array.isArray(j['snippets']) ? j['snippets'].map((s: { text?: unknown }) => String(s.text ?? '')) : [],
);

/**
 * A reader that adds what the wording model, fitted on the training questions only, says of the
 * five closest sentences (mean) and of those naming the subject words together (mean).
 */
const wording =
  (withSnippets: boolean): ReaderFor =>
  (training) => {
    const model = wordingModel([
      ...conclusions,
      ...(withSnippets
        ? training.flatMap((e) =>
            (snippetsByLine[e.index] ?? []).map((text) => ({ text, label: e.label, group: `bioasq ${e.index}` })),
          )
        : []),
    ]);
    const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
    return (e) => {
      const { sentences } = rankForStance(e.inputs.terms, e.inputs.pool);
      const together = coMention(e.inputs.subject, e.inputs.pool).together;
      return [
        ...e.features,
        mean(sentences.slice(0, 5).map((s) => model(s.text))),
        mean(together.slice(0, 5).map((s) => model(s.text))),
      ];
    };
  };

const shipped: Reader = (e) => e.features;
const plus =
  (...extra: Array<(inputs: StanceInputs) => number[]>): Reader =>
  (e) => [...e.features, ...extra.flatMap((f) => f(e.inputs))];
const noneTogether = (inputs: StanceInputs) => (coMention(inputs.subject, inputs.pool).together.length === 0 ? 1 : 0);

const fixedReader =
  (read: Reader): ReaderFor =>
  () =>
    read;
const SHIPPED = fixedReader(shipped);

const ROWS: ReadonlyArray<[string, Learner, ReaderFor]> = [
  ['shipped: logistic regression, 39 features', logistic, SHIPPED],
  ['boosted trees, depth 2, 100 rounds, rate 0.1', trees(100, 2, 0.1), SHIPPED],
  ['boosted trees, depth 3, 100 rounds, rate 0.05', trees(100, 3, 0.05), SHIPPED],
  ['boosted trees, depth 1, 300 rounds, rate 0.1', trees(300, 1, 0.1), SHIPPED],
  ['logistic 0.7 + boosted trees 0.3 (log-odds)', blend(0.3), SHIPPED],
  ['+ sentence stances by subject cover, design, recency (4)', logistic, fixedReader(plus(sentenceAggregates))],
  ['+ opening verb of the question (5)', logistic, fixedReader(plus(openers))],
  [
    '+ opening verb where no sentence names the subject together (5)',
    logistic,
    fixedReader(plus((i) => openers(i).map((v) => v * noneTogether(i)))),
  ],
  ['+ subject words each named, never together (2)', logistic, fixedReader(plus(neverTogether))],
  ['+ looser swapped term: two words left out, codes a letter apart (1)', logistic, fixedReader(plus(looseSwap))],
  [
    '+ denial and opposite action where the rarest subject word is named (4)',
    logistic,
    fixedReader(plus(rarestSubjectSentences)),
  ],
  [
    '+ denial, null finding, unfavourable outcome, opposite action in the first-ranked document (5)',
    logistic,
    fixedReader(plus(firstDocument)),
  ],
  ['+ "no" wording learnt from PubMedQA conclusions (2)', logistic, wording(false)],
  ['+ "no" wording learnt from PubMedQA and the training folds\' BioASQ snippets (2)', logistic, wording(true)],
];

const { train, held, neighbours, questions } = await loadStanceData();
const all = [...train, ...held].sort((a, b) => a.index - b.index);

/** Fits the learner on the training questions (and PubMedQA) with a reader fitted on them too. */
function fitOn(training: readonly StanceExample[], learner: Learner, readerFor: ReaderFor): LogOdds & { read: Reader } {
  const read = readerFor(training);
  const fit = learner([
    ...training.map((e) => ({ features: read(e), label: e.label })),
    ...neighbours.map((e) => ({ features: read(e), label: e.label, weight: NEIGHBOUR_WEIGHT })),
  ]);
  return Object.assign((f: readonly number[]) => fit(f), { read });
}

/** Ten-fold out-of-fold log-odds for every answered example (fold = place mod FOLDS). */
function outOfFold(learner: Learner, readerFor: ReaderFor): number[] {
  const scores = new Array<number>(all.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const fit = fitOn(
      all.filter((_, k) => k % FOLDS !== fold),
      learner,
      readerFor,
    );
    all.forEach((e, k) => {
      if (k % FOLDS === fold) scores[k] = fit(fit.read(e));
    });
  }
  return scores;
}

function evenToOdd(learner: Learner, readerFor: ReaderFor): number {
  const fit = fitOn(train, learner, readerFor);
  return held.filter((e) => (fit(fit.read(e)) > 0 ? 1 : 0) === e.label).length;
}

const right = (scores: readonly number[], threshold = 0) =>
  all.filter((e, k) => (scores[k]! > threshold ? 1 : 0) === e.label).length;
const fixed = (n: number) => n.toFixed(3);
console.log(`${all.length} answered of ${questions} yes/no questions; ${held.length} answered on the odd lines`);
console.log(`| reading | ${FOLDS}-fold, answered | ${FOLDS}-fold, all (abstentions wrong) | even → odd |`);
console.log('|---|---|---|---|');
let shippedScores: number[] = [];
for (const [label, learner, readerFor] of ROWS) {
  const scores = outOfFold(learner, readerFor);
  if (readerFor === SHIPPED && learner === logistic) shippedScores = scores;
  const oof = right(scores);
  const odd = evenToOdd(learner, readerFor);
  console.log(
    `| ${label} | ${fixed(oof / all.length)} (${oof}) | ${fixed(oof / questions)} | ${fixed(odd / held.length)} (${odd}) |`,
  );
}
// The threshold read off the same out-of-fold scores flatters itself; shown to see whether any moves at all.
for (const threshold of [-0.3, -0.2, -0.1, 0.1, 0.2, 0.3]) {
  const oof = right(shippedScores, threshold);
  console.log(
    `| shipped, "no" above log-odds ${threshold} (chosen on these scores) | ${fixed(oof / all.length)} (${oof}) | ${fixed(oof / questions)} | — |`,
  );
}
