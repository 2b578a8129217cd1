/**
 * The stance of the evidence on a yes/no question, read from the sentences that answer it most
 * directly. A sentence that denies ("did not", "no association", "failed to") counts for "no";
 * one that hedges ("unclear", "conflicting") for "uncertain"; the rest for "yes". Pure.
 */
import { EvidentiaError } from '../../domain/errors.js';
import { logOdds, type LogisticModel } from './logistic.js';
import { STANCE_FEATURES } from './stance-features.js';
import trained from './stance-model.json' with { type: 'json' };

export type Stance = 'yes' | 'no' | 'uncertain';

/** The trained stance model as `npm run train:stance` writes it: log-odds of "no". */
export interface StanceModel extends LogisticModel {
  features: string[];
  /** Log-odds above which the stance is "no". */
  threshold: number;
}

export const STANCE_MODEL: StanceModel = trained;

/**
 * The stance the trained model reads from a question's features (see stance-features.ts).
 *
 * @param features the values of STANCE_FEATURES, in order
 */
export function modelStance(features: readonly number[], model: StanceModel = STANCE_MODEL): 'yes' | 'no' {
  if (model.features.join() !== STANCE_FEATURES.join()) {
    // A model trained on other features would read the wrong numbers: train it again.
    throw new EvidentiaError(
      'INTERNAL',
      'stance-model.json does not match the stance features: run npm run train:stance',
    );
  }
  return logOdds(model, features) > model.threshold ? 'no' : 'yes';
}

const DENIES =
  /\b(?:no|not|neither|nor|none|cannot|can't|never|failed to|fails to|unable to|lack of|absence of|did not|does not|do not|is not|are not|was not|were not|has not|have not|nonsignificant|non-significant|insignificant|unrelated|ineffective|no longer)\b/i;
// Negations that do not deny the finding ("not only", "no longer than", "whether or not").
const DENIAL_EXCEPTIONS =
  /\b(?:not only|no longer than|whether or not|if not|not yet fully|no less than|not surprisingly)\b/gi;
const HEDGES =
  /\b(?:unclear|controvers\w*|conflicting|inconclusive|inconsistent|remains? (?:unknown|uncertain|to be (?:determined|established))|debated|uncertain)\b/i;

/** What one sentence says about the question: affirms, denies or hedges. */
export function sentenceStance(text: string): Stance {
  const cleaned = text.replace(DENIAL_EXCEPTIONS, ' ');
  if (HEDGES.test(cleaned)) return 'uncertain';
  return DENIES.test(cleaned) ? 'no' : 'yes';
}

// Opposite actions: a question asking whether X inhibits Y is answered "no" by "X is an agonist of Y".
const OPPOSITES: ReadonlyArray<[RegExp, RegExp]> = [
  [
    /\b(inhibit\w*|block\w*|suppress\w*|antagoni\w*|decreas\w*|reduc\w*|lower\w*|down-?regulat\w*)\b/i,
    /\b(agonist\w*|activat\w*|stimulat\w*|induc\w*|increas\w*|enhanc\w*|promot\w*|up-?regulat\w*|favou?r\w*)\b/i,
  ],
];

/**
 * Whether the evidence names the opposite action to the question's: the question uses one side
 * of a pair and the evidence only the other.
 */
export function opposesQuestion(question: string, evidence: string): boolean {
  return OPPOSITES.some(([a, b]) => {
    const qa = a.test(question);
    const qb = b.test(question);
    if (qa === qb) return false;
    return qa ? b.test(evidence) && !a.test(evidence) : a.test(evidence) && !b.test(evidence);
  });
}

export interface StanceOptions {
  /** Share of the weighted evidence that must deny for the stance to be "no". */
  noShare: number;
  /** Share that must hedge for "uncertain" (when it does not deny). */
  uncertainShare: number;
}

export const DEFAULT_STANCE_OPTIONS: StanceOptions = { noShare: 0.34, uncertainShare: 0.9 };

/**
 * The stance of weighted sentences (weight = how directly each answers the question).
 *
 * @param sentences the sentences that answer the question best, with their weights
 */
export function stanceOf(
  sentences: ReadonlyArray<{ text: string; weight: number }>,
  options: StanceOptions = DEFAULT_STANCE_OPTIONS,
  question?: { text: string; missingTerms: readonly string[] },
): Stance {
  // Evidence about something else than what was asked (a subject the question names and no
  // close sentence mentions, or the opposite action) answers "no".
  if (question && sentences.length > 0) {
    if (question.missingTerms.length > 0) return 'no';
    if (opposesQuestion(question.text, sentences.map((s) => s.text).join(' '))) return 'no';
  }
  const totals: Record<Stance, number> = { yes: 0, no: 0, uncertain: 0 };
  for (const s of sentences) totals[sentenceStance(s.text)] += Math.max(0, s.weight);
  const sum = totals.yes + totals.no + totals.uncertain;
  if (sum === 0) return 'uncertain';
  if (totals.no / sum >= options.noShare) return 'no';
  if (totals.uncertain / sum >= options.uncertainShare) return 'uncertain';
  return 'yes';
}
