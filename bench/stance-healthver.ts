/**
 * A sentence-level "does this evidence refute the claim?" signal learnt from HealthVer, and
 * whether it helps the yes/no stance: `npm run bench:stance-healthver`. Reads
 * ../shared/data/healthver/healthver_dev.jsonl at run time (its text never enters the
 * repository), keeps the Supports and Refutes pairs, and fits a logistic regression for
 * "refutes" over lexical cues of the evidence relative to the claim: denial, null findings,
 * hedges, negation a few words before a claim word, opposite words (stance-antonyms.json), a
 * claim word with a negating prefix, unfavourable outcomes, numbers, shared words. Prints its
 * five-fold accuracy grouped by claim (no claim in both halves) with the refute class's precision,
 * recall and F1, beside always "supports". Then reads the question (as the claim) against its
 * closest sentences with the model fitted on all of HealthVer, adds the mean and the largest
 * refute probability as two stance features, and prints the same honest figures as
 * `npm run train:stance` beside the shipped features. Deterministic: fixed folds, full-batch fits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import antonymPairs from '../src/pipeline/compose/stance-antonyms.json' with { type: 'json' };
import { logOdds, trainLogistic, type LogisticModel } from '../src/pipeline/compose/logistic.js';
import {
  coMention,
  DENIES,
  negatedQuestionWord,
  NULL_FINDING,
  oppositeWord,
  rankForStance,
  UNFAVOURABLE,
  type StanceInputs,
} from '../src/pipeline/compose/stance-features.js';
import { lightStem, stemSet } from '../src/pipeline/compose/text-match.js';
import type { StanceExample } from '../src/eval/answers-stance.js';
import { crossValidatedCorrect, fitStance, FOLDS, loadStanceData, REPO_ROOT, stanceCorrect } from './stance-data.js';

const HealthverPair = z.object({
  claim: z.string(),
  evidence: z.string(),
  label: z.enum(['Supports', 'Refutes', 'Neutral']),
});
type Pair = z.infer<typeof HealthverPair>;

// Wider than the stance's own hedges: a claim is rarely refuted by a sentence that only suggests.
const HEDGES =
  /\b(?:unclear|controvers\w*|conflicting|inconclusive|inconsistent|uncertain|may|might|could|possibl\w*|potential\w*|suggest\w*)\b/i;
const CLAIM_NEGATION = /\b(?:not|no|never|without|lack|cannot)\b|n't\b/i;
const NEGATION_WORD = /^(?:no|not|neither|nor|none|never|without|cannot|lack|absence|failed|unrelated|ineffective)$/i;
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const PAIRS = (antonymPairs as string[][]).map(
  ([a, b]) => [new RegExp(`\\b(?:${a})\\b`, 'i'), new RegExp(`\\b(?:${b})\\b`, 'i')] as const,
);
/** How many words after a negation a claim word may stand and still be the one denied. */
const NEGATION_REACH = 4;

/** Whether a negation stands a few words before one of the claim's words. */
function negationBeforeClaimWord(claimStems: ReadonlySet<string>, evidence: string): boolean {
  const words = evidence.match(WORD) ?? [];
  return words.some(
    (w, k) =>
      NEGATION_WORD.test(w) &&
      words.slice(k + 1, k + 1 + NEGATION_REACH).some((next) => claimStems.has(lightStem(next))),
  );
}

/**
 * The cues of one claim–evidence pair, each in [0, 1].
 *
 * @param claim the claim (or the question read as one)
 * @param evidence the sentence or passage read against it
 */
function refuteCues(claim: string, evidence: string): number[] {
  const claimStems = stemSet(claim);
  const evidenceStems = stemSet(evidence);
  const shared = [...claimStems].filter((s) => evidenceStems.has(s)).length / Math.max(1, claimStems.size);
  const claimNegated = CLAIM_NEGATION.test(claim);
  const evidenceDenies = DENIES.test(evidence);
  const crossed = PAIRS.some(
    ([a, b]) =>
      (a.test(claim) && !b.test(claim) && b.test(evidence)) || (b.test(claim) && !a.test(claim) && a.test(evidence)),
  );
  return [
    evidenceDenies ? 1 : 0,
    NULL_FINDING.test(evidence) ? 1 : 0,
    claimNegated ? 1 : 0,
    claimNegated !== evidenceDenies ? 1 : 0,
    oppositeWord(claim, evidence) ? 1 : 0,
    crossed ? 1 : 0,
    HEDGES.test(evidence) ? 1 : 0,
    shared,
    /\d/.test(evidence) ? 1 : 0,
    negationBeforeClaimWord(claimStems, evidence) ? 1 : 0,
    UNFAVOURABLE.test(evidence) ? 1 : 0,
    UNFAVOURABLE.test(claim) ? 1 : 0,
    UNFAVOURABLE.test(claim) !== UNFAVOURABLE.test(evidence) ? 1 : 0,
    negatedQuestionWord(claim.match(WORD) ?? [], evidence) ? 1 : 0,
  ];
}

function fitRefute(pairs: readonly Pair[]): LogisticModel {
  return trainLogistic(
    pairs.map((p) => ({ features: refuteCues(p.claim, p.evidence), label: p.label === 'Refutes' ? 1 : 0 })),
  );
}

const file = path.resolve(REPO_ROOT, '../shared/data/healthver/healthver_dev.jsonl');
const pairs = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => HealthverPair.parse(JSON.parse(l)))
  .filter((p) => p.label !== 'Neutral');

// Five folds by claim, so that no claim is read by a model that saw it.
const HEALTHVER_FOLDS = 5;
const claims = [...new Set(pairs.map((p) => p.claim))].sort();
const foldOf = new Map(claims.map((c, k) => [c, k % HEALTHVER_FOLDS]));
let right = 0;
let truePositive = 0;
let falsePositive = 0;
let falseNegative = 0;
for (let fold = 0; fold < HEALTHVER_FOLDS; fold++) {
  const model = fitRefute(pairs.filter((p) => foldOf.get(p.claim) !== fold));
  for (const p of pairs.filter((x) => foldOf.get(x.claim) === fold)) {
    const predicted = logOdds(model, refuteCues(p.claim, p.evidence)) > 0;
    const refutes = p.label === 'Refutes';
    if (predicted === refutes) right++;
    if (predicted && refutes) truePositive++;
    if (predicted && !refutes) falsePositive++;
    if (!predicted && refutes) falseNegative++;
  }
}
const fixed = (n: number) => n.toFixed(3);
const precision = truePositive / Math.max(1, truePositive + falsePositive);
const recall = truePositive / Math.max(1, truePositive + falseNegative);
const supports = pairs.filter((p) => p.label === 'Supports').length;
console.log(
  `HealthVer Supports/Refutes pairs ${pairs.length} (${claims.length} claims), ${HEALTHVER_FOLDS}-fold by claim: accuracy ${fixed(right / pairs.length)} (always "supports" ${fixed(supports / pairs.length)}); refutes precision ${fixed(precision)}, recall ${fixed(recall)}, F1 ${fixed((2 * precision * recall) / Math.max(1e-9, precision + recall))}`,
);

// The question read as a claim against its five closest sentences and its sentences that name the subject together.
const refuteModel = fitRefute(pairs);
const refuteProbability = (claim: string, sentence: string) =>
  1 / (1 + Math.exp(-logOdds(refuteModel, refuteCues(claim, sentence))));
function refuteFeatures(inputs: StanceInputs): number[] {
  const closest = rankForStance(inputs.terms, inputs.pool).sentences.slice(0, 5);
  const together = coMention(inputs.subject, inputs.pool).together.slice(0, 5);
  const mean = (set: ReadonlyArray<{ text: string }>) =>
    set.length === 0 ? 0 : set.reduce((a, s) => a + refuteProbability(inputs.question, s.text), 0) / set.length;
  return [
    mean(closest),
    Math.max(0, ...closest.map((s) => refuteProbability(inputs.question, s.text))),
    mean(together),
  ];
}

const { train, held, neighbours, questions } = await loadStanceData();
const all = [...train, ...held].sort((a, b) => a.index - b.index);
console.log(`| stance features | ${FOLDS}-fold, answered | ${FOLDS}-fold, all (abstentions wrong) | even → odd |`);
console.log('|---|---|---|---|');
const rows: ReadonlyArray<[string, (e: StanceExample) => number[]]> = [
  ['shipped', (e) => e.features],
  [
    '+ HealthVer refute probability: mean and largest of the 5 closest, mean where named together (3)',
    (e) => [...e.features, ...refuteFeatures(e.inputs)],
  ],
];
for (const [label, read] of rows) {
  const withRead = (set: readonly StanceExample[]) => set.map((e) => ({ ...e, features: read(e) }));
  const oof = crossValidatedCorrect(withRead(all), withRead(neighbours));
  const model = fitStance(withRead(train), withRead(neighbours));
  const odd = stanceCorrect(withRead(held), (f) => logOdds(model, f));
  console.log(
    `| ${label} | ${fixed(oof / all.length)} (${oof}) | ${fixed(oof / questions)} | ${fixed(odd / held.length)} (${odd}) |`,
  );
}
