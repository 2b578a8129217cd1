/** Turns texts into vectors for dense retrieval (a local model or an embeddings endpoint). */
export interface Embedder {
  /** One vector per text, in order; all of the same length. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
