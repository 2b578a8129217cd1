import type { Article, Bullet } from '../../domain/article.js';
import type { DocumentStore } from '../../ports/store.js';
import { verify } from './verify.js';

/**
 * Re-checks one bullet (e.g. after a reviewer edited it) with the same rules as the verify stage:
 * known citations, exact spans, numbers and direction words present in the cited text.
 * Returns the problems found; empty when the bullet still matches its sources.
 */
export async function recheckBullet(
  bullet: Bullet,
  article: Pick<Article, 'references' | 'question' | 'audience' | 'status'>,
  deps: { store: Pick<DocumentStore, 'getDocuments'> },
): Promise<string[]> {
  const result = await verify(
    {
      question: article.question,
      audience: article.audience,
      status: article.status,
      directAnswer: { text: '', citations: [] },
      sections: [{ heading: 'edited', bullets: [bullet] }],
      recommendations: [],
      limitations: [],
      conflicts: [],
      references: article.references,
      relatedQuestions: [],
    },
    deps,
  );
  return result.verification.failures.flatMap((f) => f.reason.split('; '));
}
