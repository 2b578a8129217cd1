import type { EvidenceKind } from '../../domain/source.js';
import type { Embedder } from '../../ports/embedder.js';
import type { ScoredDocument } from '../../ports/store.js';
import type { VectorIndex } from '../../ports/vector-index.js';
import { reciprocalRankFusion } from './fusion.js';

/** Dense retrieval as the retrieve stage uses it: a question embedder and the passage vectors. */
export interface DenseRetrieval {
  embedder: Embedder;
  index: Pick<VectorIndex, 'nearestDocuments'>;
  /** Put before a question before it is embedded (models such as BGE and E5 are trained with one). */
  queryPrefix?: string;
  /** How many documents the vector side ranks for fusion. */
  depth?: number;
  /** Reciprocal rank fusion's damping constant. */
  rrfK?: number;
}

export const DENSE_DEFAULTS = { depth: 100, rrfK: 60 } as const;

/**
 * Joins a lexical document ranking with the documents nearest to the question's vector by
 * reciprocal rank fusion: ranks, not scores, so BM25 and cosine similarity need no calibration.
 * @param questionText the question as retrieval sees it
 * @param lexical the lexical ranking, best first
 * @param dense the embedder and vector index
 * @param limit how many fused documents to keep
 * @param kinds only documents of these evidence kinds (as the lexical side)
 */
export async function fuseWithDense(
  questionText: string,
  lexical: readonly ScoredDocument[],
  dense: DenseRetrieval,
  limit: number,
  kinds?: readonly EvidenceKind[],
): Promise<ScoredDocument[]> {
  const [vector] = await dense.embedder.embed([`${dense.queryPrefix ?? ''}${questionText}`]);
  if (!vector) return lexical.slice(0, limit);
  const nearest = await dense.index.nearestDocuments(vector, dense.depth ?? DENSE_DEFAULTS.depth, kinds);
  return reciprocalRankFusion(
    [lexical.map((d) => d.documentId), nearest.map((d) => d.documentId)],
    dense.rrfK ?? DENSE_DEFAULTS.rrfK,
  ).slice(0, limit);
}
