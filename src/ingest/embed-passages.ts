import type { Embedder } from '../ports/embedder.js';
import type { PassageToEmbed, VectorIndex } from '../ports/vector-index.js';

export interface EmbedOptions {
  /** Passages sent to the embedder at once. */
  batchSize?: number;
  /** Put before every passage (models such as E5 are trained with one). */
  passagePrefix?: string;
  /** Called after each batch with passages embedded so far and how many there were to do. */
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedReport {
  embedded: number;
  model: string;
  dimension: number | null;
}

/**
 * The text a passage is embedded as: its document's title and its section heading give a short
 * passage the context a reader would have.
 * @param passage the passage and where it sits
 * @param prefix put first (may be empty)
 */
export function passageEmbeddingText(passage: PassageToEmbed, prefix = ''): string {
  const parts = [passage.title, passage.heading, passage.text].map((s) => s.trim()).filter((s) => s !== '');
  // Titles repeat headings in one-section documents; say it once.
  const unique = parts.filter((s, i) => parts.indexOf(s) === i);
  return `${prefix}${unique.join('\n')}`;
}

/**
 * Embeds every passage of the library that has no vector yet, in batches, and stores the
 * vectors. Safe to stop and run again: it continues with what is still missing.
 * @param index where the vectors go
 * @param embedder the model
 * @param modelName recorded with the vectors; another name later is refused until a rebuild
 */
export async function embedPendingPassages(
  index: VectorIndex,
  embedder: Embedder,
  modelName: string,
  options: EmbedOptions = {},
): Promise<EmbedReport> {
  const batchSize = options.batchSize ?? 32;
  const total = await index.countPending();
  let done = 0;
  let dimension: number | null = (await index.model())?.dimension ?? null;
  let after: string | undefined;
  options.onProgress?.(0, total);
  for (;;) {
    const page = await index.pendingPassages(batchSize * 16, after);
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i += batchSize) {
      const batch = page.slice(i, i + batchSize);
      const vectors = await embedder.embed(batch.map((p) => passageEmbeddingText(p, options.passagePrefix)));
      dimension = vectors[0]?.length ?? dimension;
      await index.upsertVectors(
        { name: modelName, dimension: dimension ?? 0 },
        batch.map((p, j) => ({ passageId: p.passageId, vector: vectors[j]! })),
      );
      done += batch.length;
      options.onProgress?.(done, total);
    }
    after = page[page.length - 1]!.passageId;
  }
  return { embedded: done, model: modelName, dimension };
}
