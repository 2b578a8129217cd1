import { z } from 'zod';

/** A sentence of a stored document, with its exact character offsets. */
export const Sentence = z.object({
  documentId: z.string(),
  sectionIndex: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
});
export type Sentence = z.infer<typeof Sentence>;

/** A retrievable unit: a window of consecutive sentences inside one section. */
export const Passage = z.object({
  id: z.string(),
  documentId: z.string(),
  section: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
});
export type Passage = z.infer<typeof Passage>;

/** A passage found for a query, with its score under the retriever that found it. */
export interface ScoredPassage extends Passage {
  score: number;
}
