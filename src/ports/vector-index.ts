import type { EvidenceKind } from '../domain/source.js';
import type { ScoredDocument } from './store.js';

/** The model that wrote a library's vectors: they can only be compared with its own. */
export interface EmbeddingModel {
  /** What the model is called (a folder name or an endpoint's model id). */
  name: string;
  /** Length of every vector it makes. */
  dimension: number;
}

/** A passage that has no vector yet, with what its embedding text is made of. */
export interface PassageToEmbed {
  passageId: string;
  title: string;
  heading: string;
  text: string;
}

/**
 * Vectors of passages, and nearest-neighbour search over them, kept beside the library. A
 * passage's vector goes when the passage goes (its document changed or was deleted).
 */
export interface VectorIndex {
  /** The model the stored vectors came from; null while there are none. */
  model(): Promise<EmbeddingModel | null>;
  /** How many passages have no vector yet. */
  countPending(): Promise<number>;
  /**
   * Up to `limit` passages that have no vector yet, in a stable order.
   * @param after continue after this passage (the last of the previous page)
   */
  pendingPassages(limit: number, after?: string): Promise<PassageToEmbed[]>;
  /**
   * Stores vectors (replacing any a passage had). The first write records the model; a write by
   * another model, or of another size, is refused with CONFIG_INVALID.
   */
  upsertVectors(
    model: EmbeddingModel,
    entries: ReadonlyArray<{ passageId: string; vector: readonly number[] }>,
  ): Promise<void>;
  /** Drops every vector and the recorded model (to change model). */
  clear(): Promise<void>;
  /**
   * Documents ranked by their nearest passage to `vector` (cosine similarity, higher is better).
   * @param limit how many documents
   * @param kinds only documents of these evidence kinds
   */
  nearestDocuments(
    vector: readonly number[],
    limit: number,
    kinds?: readonly EvidenceKind[],
  ): Promise<ScoredDocument[]>;
  close(): Promise<void>;
}
