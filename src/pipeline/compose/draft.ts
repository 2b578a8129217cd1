import type { Article } from '../../domain/article.js';

/**
 * What compose hands to verify: the article's content before it has an identity, a version, a
 * review state or a verification result.
 */
export type Draft = Pick<
  Article,
  | 'question'
  | 'audience'
  | 'status'
  | 'title'
  | 'questionType'
  | 'stance'
  | 'directAnswer'
  | 'sections'
  | 'recommendations'
  | 'limitations'
  | 'conflicts'
  | 'references'
  | 'relatedQuestions'
  | 'urgentMessage'
>;
