import { EvidentiaError } from '../../domain/errors.js';
import type { ParsedQuestion } from '../../domain/question.js';
import { SourceDocument } from '../../domain/source.js';
import type { DocumentStore, ImportCounts } from '../../ports/store.js';
import type { ImportItem } from '../importer.js';

/** What a live search fetched and how the library changed. */
export interface LiveReport extends ImportCounts {
  source: string;
  query: string;
  fetched: number;
}

/**
 * Stores the items of a live search in one transaction, so everything fetched works offline
 * afterwards; a failure part-way (network, malformed answer) leaves nothing of it behind.
 */
export async function storeLiveItems(
  store: DocumentStore,
  source: string,
  query: string,
  items: AsyncIterable<ImportItem>,
  onDocument?: (fetched: number) => void,
): Promise<LiveReport> {
  let fetched = 0;
  const counts = await store.importDocuments(async (session) => {
    for await (const item of items) {
      if (item.op === 'delete') {
        await session.delete(item.documentId);
        continue;
      }
      fetched++;
      const parsed = SourceDocument.safeParse(item.document);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EvidentiaError(
          'UPSTREAM_UNAVAILABLE',
          `${source}: record ${fetched} is not usable (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`,
        );
      }
      await session.put(parsed.data);
      onDocument?.(fetched);
    }
  });
  return { source, query, fetched, ...counts };
}

/**
 * PubMed queries for a question, most specific first: all its content terms (PubMed ANDs
 * them), then its focus alone when the first finds nothing.
 */
export function pubmedQueriesFor(question: Pick<ParsedQuestion, 'terms' | 'focus'>): string[] {
  const all = question.terms.join(' ').trim();
  const focus = question.focus.trim();
  return [...new Set([all, focus].filter((q) => q !== ''))];
}
