/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking gives a document 1 / (k + rank),
 * rank counted from 1; the sums decide. It needs no score calibration, which is why it can join
 * BM25 and dense similarity.
 * @param rankings document ids, best first, one list per retriever
 * @param k damping constant (60 in the original paper): larger flattens the head of each list
 * @returns ids with fused scores, best first (ties by id, so the result is stable)
 */
export function reciprocalRankFusion(
  rankings: ReadonlyArray<readonly string[]>,
  k = 60,
): Array<{ documentId: string; score: number }> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores.entries()]
    .map(([documentId, score]) => ({ documentId, score }))
    .sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
}
