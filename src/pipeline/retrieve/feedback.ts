import generalStopWords from '../understand/stop-words.json' with { type: 'json' };
import type { QueryClause } from './query-terms.js';

export interface FeedbackOptions {
  enabled: boolean;
  /** How many top documents are read for feedback terms. */
  documents: number;
  /** How many new terms are added. */
  terms: number;
  /** How much the feedback ranking adds to the first one. */
  weight: number;
}

const STOP: ReadonlySet<string> = new Set(generalStopWords);

/**
 * Pseudo-relevance feedback in the manner of RM3: the words most typical of the top documents,
 * each document's term frequencies normalised by its length and weighted by its share of the
 * top scores. Words of the query itself, stop words, numbers and very short words are left out.
 * @param top the top documents' texts and retrieval scores
 * @param queryWords the words already in the query (lower case)
 * @param options how many terms to return
 */
export function feedbackClauses(
  top: ReadonlyArray<{ text: string; score: number }>,
  queryWords: readonly string[],
  options: Pick<FeedbackOptions, 'terms'>,
): QueryClause[] {
  const own = new Set(queryWords.flatMap((w) => w.toLowerCase().split(/\s+/)));
  const total = top.reduce((sum, d) => sum + Math.max(d.score, 0), 0) || 1;
  const weights = new Map<string, number>();
  for (const doc of top) {
    const words = (doc.text.toLowerCase().match(/[\p{L}][\p{L}\p{N}-]*/gu) ?? []).filter(
      (w) => w.length > 3 && !STOP.has(w) && !own.has(w),
    );
    if (words.length === 0) continue;
    const share = Math.max(doc.score, 0) / total;
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, n] of counts) weights.set(w, (weights.get(w) ?? 0) + share * (n / words.length));
  }
  return [...weights.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, options.terms)
    .map(([text]) => ({ text }));
}
