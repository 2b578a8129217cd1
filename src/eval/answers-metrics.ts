/**
 * Answer metrics as small pure functions, as BioASQ scores summaries: ROUGE-2 recall against the
 * ideal answers, yes/no accuracy, and the word cap applied before scoring.
 */

/** Lower-cased word and number tokens; punctuation separates tokens. */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The first `maxWords` white-space separated words of a text. */
export function capWords(text: string, maxWords: number): string {
  return text.split(/\s+/).filter(Boolean).slice(0, maxWords).join(' ');
}

function bigramCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const key = `${tokens[i]} ${tokens[i + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * ROUGE-2 recall of a candidate against one reference: the share of the reference's bigrams
 * (counted with multiplicity) that the candidate contains. 0 when the reference has no bigram.
 */
export function rouge2RecallOne(candidate: string, reference: string): number {
  const ref = bigramCounts(rougeTokens(reference));
  const cand = bigramCounts(rougeTokens(candidate));
  let total = 0;
  let hit = 0;
  for (const [bigram, n] of ref) {
    total += n;
    hit += Math.min(n, cand.get(bigram) ?? 0);
  }
  return total === 0 ? 0 : hit / total;
}

/**
 * ROUGE-2 recall against several ideal answers: the best-matching one counts, as ROUGE scores a
 * candidate against multiple references (an answer need not restate every expert's wording).
 */
export function rouge2Recall(candidate: string, references: readonly string[]): number {
  if (references.length === 0) return 0;
  return Math.max(...references.map((r) => rouge2RecallOne(candidate, r)));
}

/** Share of predictions equal to their gold label (0 when there is nothing to score). */
export function accuracy(pairs: ReadonlyArray<{ predicted: string; gold: string }>): number {
  if (pairs.length === 0) return 0;
  return pairs.filter((p) => p.predicted === p.gold).length / pairs.length;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
