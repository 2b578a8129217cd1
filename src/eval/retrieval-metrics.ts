/**
 * Retrieval metrics with trec_eval's conventions, as pure functions:
 * - a run is ordered by score, highest first; equal scores are ordered by document id, descending
 *   (trec_eval's tie rule), so results never depend on the order a retriever returned them in;
 * - graded judgements: nDCG uses the judged grade as a linear gain (trec_eval `ndcg_cut`), with
 *   the discount log2(rank + 1) and the ideal ranking built from the judgements;
 * - a document counts as relevant for recall and reciprocal rank when its grade is ≥ 1;
 * - queries with no relevant document are left out of the means (they cannot be scored), while a
 *   judged query the retriever answered with nothing scores 0 (trec_eval -c).
 */

/** Judgements of one query: document id → grade (≤ 0 is not relevant). */
export type Judgements = ReadonlyMap<string, number>;

/** One retrieved document with the retriever's score. */
export interface RankedDocument {
  id: string;
  score: number;
}

/** Orders a run as trec_eval does: score descending, ties by document id descending. */
export function trecOrder(run: readonly RankedDocument[]): string[] {
  return [...run].sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((d) => d.id);
}

function relevantCount(judgements: Judgements): number {
  let n = 0;
  for (const grade of judgements.values()) if (grade >= 1) n++;
  return n;
}

/**
 * nDCG at a cutoff.
 * @param ranking document ids, best first (see trecOrder)
 * @param judgements grades of the query's judged documents
 * @param k cutoff (10 for nDCG@10)
 */
export function ndcgAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    const gain = Math.max(0, judgements.get(id) ?? 0);
    dcg += gain / Math.log2(i + 2);
  });
  const ideal = [...judgements.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  const idcg = ideal.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/**
 * Recall at a cutoff: the share of relevant documents found in the first k.
 * @param ranking document ids, best first
 * @param judgements grades of the query's judged documents
 * @param k cutoff (100 for Recall@100)
 */
export function recallAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  const total = relevantCount(judgements);
  if (total === 0) return 0;
  const found = ranking.slice(0, k).filter((id) => (judgements.get(id) ?? 0) >= 1).length;
  return found / total;
}

/**
 * Reciprocal rank of the first relevant document within the first k (0 when none).
 * @param ranking document ids, best first
 * @param judgements grades of the query's judged documents
 * @param k cutoff (10 for MRR@10)
 */
export function reciprocalRankAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  const index = ranking.slice(0, k).findIndex((id) => (judgements.get(id) ?? 0) >= 1);
  return index < 0 ? 0 : 1 / (index + 1);
}

/**
 * A percentile by the nearest-rank method (p in 0–100); NaN for no values.
 * @param values observations, any order
 * @param p the percentile wanted, e.g. 50 or 95
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export interface RetrievalScores {
  ndcg10: number;
  recall100: number;
  mrr10: number;
  /** Queries scored (those with at least one relevant document). */
  queries: number;
}

/** One judged query's figures. */
export interface QueryScores {
  queryId: string;
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

/**
 * nDCG@10, Recall@100 and MRR@10 of each judged query (those with at least one relevant
 * document), in the judgements' order.
 * @param runs query id → retrieved documents with scores (a missing query scores 0)
 * @param qrels query id → judgements
 */
export function scoreQueries(
  runs: ReadonlyMap<string, readonly RankedDocument[]>,
  qrels: ReadonlyMap<string, Judgements>,
): QueryScores[] {
  const scores: QueryScores[] = [];
  for (const [queryId, judgements] of qrels) {
    if (relevantCount(judgements) === 0) continue;
    const ranking = trecOrder(runs.get(queryId) ?? []);
    scores.push({
      queryId,
      ndcg10: ndcgAt(ranking, judgements, 10),
      recall100: recallAt(ranking, judgements, 100),
      mrr10: reciprocalRankAt(ranking, judgements, 10),
    });
  }
  return scores;
}

/**
 * Mean nDCG@10, Recall@100 and MRR@10 over the judged queries.
 * @param runs query id → retrieved documents with scores (a missing query scores 0)
 * @param qrels query id → judgements
 */
export function scoreRuns(
  runs: ReadonlyMap<string, readonly RankedDocument[]>,
  qrels: ReadonlyMap<string, Judgements>,
): RetrievalScores {
  return meanScores(scoreQueries(runs, qrels));
}

/**
 * The means of per-query figures (0 for none).
 * @param scores figures of the judged queries
 */
export function meanScores(scores: readonly QueryScores[]): RetrievalScores {
  const mean = (pick: (s: QueryScores) => number) =>
    scores.length === 0 ? 0 : scores.reduce((sum, s) => sum + pick(s), 0) / scores.length;
  return {
    ndcg10: mean((s) => s.ndcg10),
    recall100: mean((s) => s.recall100),
    mrr10: mean((s) => s.mrr10),
    queries: scores.length,
  };
}
