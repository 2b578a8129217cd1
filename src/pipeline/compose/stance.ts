/**
 * The stance of the evidence on a yes/no question, read from the sentences that answer it most
 * directly. A sentence that denies ("did not", "no association", "failed to") counts for "no";
 * one that hedges ("unclear", "conflicting") for "uncertain"; the rest for "yes". Pure.
 */
export type Stance = 'yes' | 'no' | 'uncertain';

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

export interface StanceOptions {
  /** Share of the weighted evidence that must deny for the stance to be "no". */
  noShare: number;
  /** Share that must hedge for "uncertain" (when it does not deny). */
  uncertainShare: number;
}

export const DEFAULT_STANCE_OPTIONS: StanceOptions = { noShare: 0.5, uncertainShare: 0.5 };

/**
 * The stance of weighted sentences (weight = how directly each answers the question).
 *
 * @param sentences the sentences that answer the question best, with their weights
 */
export function stanceOf(
  sentences: ReadonlyArray<{ text: string; weight: number }>,
  options: StanceOptions = DEFAULT_STANCE_OPTIONS,
): Stance {
  const totals: Record<Stance, number> = { yes: 0, no: 0, uncertain: 0 };
  for (const s of sentences) totals[sentenceStance(s.text)] += Math.max(0, s.weight);
  const sum = totals.yes + totals.no + totals.uncertain;
  if (sum === 0) return 'uncertain';
  if (totals.no / sum >= options.noShare) return 'no';
  if (totals.uncertain / sum >= options.uncertainShare) return 'uncertain';
  return 'yes';
}
