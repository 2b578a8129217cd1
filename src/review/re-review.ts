import type { Article } from '../domain/article.js';
import type { StoredDocument } from '../domain/source.js';

/**
 * The cited documents that changed after the article was approved. A source re-imported with new
 * content gets a later `updatedAt`, so the approval no longer covers what the article rests on.
 */
export function changedSources(article: Article, documents: ReadonlyMap<string, StoredDocument>): string[] {
  const approvedAt = article.review.approvedAt;
  if (article.review.status !== 'approved' || !approvedAt) return [];
  return article.references
    .map((r) => documents.get(r.documentId))
    .filter((d): d is StoredDocument => d !== undefined && d.updatedAt > approvedAt)
    .map((d) => d.id);
}
