/** A document for plain full-text search: its id, title and whole text. */
export interface PlainTextDocument {
  id: string;
  title: string;
  text: string;
}

/**
 * A plain BM25 index over whole documents (title + text), queried with the OR of the query's
 * words: the yardstick the retrieve stage is measured against.
 */
export interface PlainTextIndex {
  add(documents: readonly PlainTextDocument[]): Promise<void>;
  /** Documents ranked by BM25, best first (higher score is better). */
  search(text: string, limit: number): Promise<Array<{ id: string; score: number }>>;
  close(): Promise<void>;
}
