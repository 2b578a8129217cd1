/**
 * BM25 as FTS5's bm25() computes it, as pure functions, so that part of a query can be scored
 * outside FTS5 with the very same formula: k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5)/(n + 0.5))
 * (a tiny positive number when that is ≤ 0), a phrase's frequency is the sum of the weights of
 * the columns its instances are in, and the length is the row's token count over all columns.
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * FTS5's inverse document frequency.
 * @param rows documents in the index
 * @param hits documents that contain the phrase
 */
export function fts5Idf(rows: number, hits: number): number {
  const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

/**
 * One phrase's BM25 contribution to a document's score (higher is better).
 * @param idf the phrase's fts5Idf
 * @param weightedFrequency Σ over the phrase's instances of its column's weight
 * @param length the document's tokens, all columns
 * @param averageLength the index's mean tokens per document
 */
export function bm25Contribution(
  idf: number,
  weightedFrequency: number,
  length: number,
  averageLength: number,
): number {
  if (weightedFrequency === 0) return 0;
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength);
  return (idf * weightedFrequency * (BM25_K1 + 1)) / (weightedFrequency + norm);
}

/**
 * Reads SQLite varints (as FTS5 stores its averages and document sizes): big-endian groups of
 * seven bits, the high bit set on every byte but the last, the ninth byte whole.
 * @param bytes the blob
 */
export function readVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let value = 0;
    for (let n = 0; ; n++) {
      const byte = bytes[i++]!;
      if (n === 8) {
        value = value * 256 + byte;
        break;
      }
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0 || i >= bytes.length) break;
    }
    values.push(value);
  }
  return values;
}

/** What was read of a phrase's postings in one rowid stratum [from, to). */
export interface StratumCount {
  from: number;
  to: number;
  /** Postings read there (at most `cap`). */
  counted: number;
  cap: number;
  /** Rowid of the last posting read. */
  last: number;
}

/**
 * Splits the rowids 1…maxRowid into equal strata, so a phrase's documents are counted a little
 * in each part of the library rather than only at its start (libraries are loaded source by
 * source, and words cluster).
 * @param maxRowid the highest document rowid
 * @param strata how many parts
 */
export function rowidStrata(maxRowid: number, strata: number): Array<{ from: number; to: number }> {
  const n = Math.max(1, Math.min(strata, maxRowid));
  const width = maxRowid / n;
  return Array.from({ length: n }, (_, k) => ({
    from: Math.floor(k * width) + 1,
    to: k === n - 1 ? maxRowid + 1 : Math.floor((k + 1) * width) + 1,
  }));
}

/**
 * Estimates how many documents contain a phrase from its first postings in each stratum (FTS5
 * lists them in rowid order): exact where all were read, elsewhere extrapolated from how far
 * into the stratum they reach.
 * @param strata what was read in each stratum
 * @param rows documents in the index
 */
export function estimateHits(strata: readonly StratumCount[], rows: number): number {
  let hits = 0;
  for (const { from, to, counted, cap, last } of strata) {
    if (counted < cap || last < from) hits += counted;
    else hits += Math.max(counted, Math.round((counted * (to - from)) / (last - from + 1)));
  }
  return Math.min(rows, hits);
}

/**
 * Picks the phrases whose documents are the candidates: rarest first, while their summed document
 * counts stay within the budget, and always the rarest one.
 * @param hits each phrase's document count (estimated when large)
 * @param budget the most postings the candidates may come from
 * @returns indexes into `hits`
 */
export function chooseCandidatePhrases(hits: readonly number[], budget: number): number[] {
  const order = hits.map((h, i) => ({ h, i })).filter((p) => p.h > 0);
  order.sort((a, b) => a.h - b.h || a.i - b.i);
  const chosen: number[] = [];
  let total = 0;
  for (const { h, i } of order) {
    if (chosen.length > 0 && total + h > budget) break;
    chosen.push(i);
    total += h;
  }
  return chosen;
}

/**
 * The order in which common phrases are AND-ed into a candidate set: rarest first, phrases no
 * document has left out (they would empty it).
 * @param hits each phrase's document count
 * @returns indexes into `hits`
 */
export function conjunctionOrder(hits: readonly number[]): number[] {
  return hits
    .map((h, i) => ({ h, i }))
    .filter((p) => p.h > 0)
    .sort((a, b) => a.h - b.h || a.i - b.i)
    .map((p) => p.i);
}

/**
 * The candidates that can still be among the best `limit` once more phrases' contributions are
 * added. Contributions are never negative, so a candidate's score so far is a lower bound of its
 * final score; each phrase adds at most its contribution at the highest weighted frequency it can
 * have (once in every column it may match) at the candidate's length. A candidate whose score
 * plus that bound stays below the `limit`-th best score so far cannot get in: leaving it out
 * changes neither which documents are returned nor their scores.
 * @param candidates scores so far and lengths in tokens
 * @param phrases each phrase still to add: its idf and highest weighted frequency
 * @param limit how many documents are returned
 * @param averageLength the index's mean tokens per document
 */
export function contenders<T extends { score: number; length: number }>(
  candidates: readonly T[],
  phrases: ReadonlyArray<{ idf: number; maxFrequency: number }>,
  limit: number,
  averageLength: number,
): T[] {
  if (candidates.length <= limit) return [...candidates];
  const threshold = candidates.map((c) => c.score).sort((a, b) => b - a)[limit - 1]!;
  // A hair of slack, so rounding in the bound's sum never leaves out a candidate that ties.
  const slack = 1e-9 * Math.max(1, Math.abs(threshold));
  return candidates.filter((c) => {
    let bound = c.score;
    for (const { idf, maxFrequency } of phrases) bound += bm25Contribution(idf, maxFrequency, c.length, averageLength);
    return bound >= threshold - slack;
  });
}
