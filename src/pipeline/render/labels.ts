import type { Article, ReviewStatus } from '../../domain/article.js';
import { PENDING_REVIEW_NOTICE } from '../../domain/article.js';

export const REVIEW_LABELS: Readonly<Record<ReviewStatus, string>> = {
  submitted: 'Submitted',
  under_review: 'Under review',
  approved: 'Approved',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
};

/**
 * The line that says which question words were searched for as the sources spell them:
 * `Also searched for "spanish" (asked as "spanich").`
 * @param searchedFor the article's respelled words
 */
export function searchedForLine(searchedFor: ReadonlyArray<{ written: string; searched: string }>): string {
  const parts = searchedFor.map((s) => `"${s.searched}" (asked as "${s.written}")`);
  return `Also searched for ${parts.join(', ')}.`;
}

/** The line every rendering shows under the title: review state and date. */
export function reviewLine(article: Article): string {
  const status = REVIEW_LABELS[article.review.status];
  const pending = article.review.status === 'approved' ? '' : ` — ${PENDING_REVIEW_NOTICE}`;
  return `Review status: ${status}${pending} Last updated: ${article.updatedAt.slice(0, 10)}.`;
}

/** Display numbers of citations: a reference's number is its position in the list, from 1. */
export function citationNumbers(article: Article): (citations: readonly string[]) => number[] {
  const index = new Map(article.references.map((r, i) => [r.id, i + 1]));
  return (citations) => citations.map((c) => index.get(c)).filter((n): n is number => n !== undefined);
}

export function referenceDetails(ref: Article['references'][number]): string {
  return [ref.source, ref.year?.toString()].filter(Boolean).join(', ');
}
