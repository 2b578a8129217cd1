import { PENDING_REVIEW_NOTICE, type Article } from '../../domain/article.js';
import { renderHtmlPage } from './html.js';
import { renderMarkdown } from './markdown.js';
import { fleschKincaidGrade } from './readability.js';

export const OUTPUT_FORMATS = ['md', 'json', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The render stage: one article, one format. */
export function render(article: Article, format: OutputFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(article);
    case 'html':
      return renderHtmlPage(article);
    case 'json':
      return `${JSON.stringify(labelledArticle(article), null, 2)}\n`;
  }
}

/**
 * The article as surfaces hand it out in JSON (CLI, HTTP API): an urgent message first, and the
 * review notice worked out from the review state at the time it is shown, so an unapproved article
 * always says it is pending human review.
 */
export function labelledArticle(article: Article): Article {
  // A notice kept from an earlier showing is dropped: it is worked out afresh here.
  const { urgentMessage, reviewNotice: _stale, ...rest } = article;
  const notice = article.review.status === 'approved' ? undefined : PENDING_REVIEW_NOTICE;
  return {
    ...(urgentMessage === undefined ? {} : { urgentMessage }),
    ...rest,
    ...(notice === undefined ? {} : { reviewNotice: notice }),
  };
}

/** The text a reader reads (answer, bullets, limitations), for the reading-grade measure. */
export function readableText(article: Pick<Article, 'directAnswer' | 'sections' | 'limitations'>): string {
  return [
    article.directAnswer.text,
    ...article.sections.flatMap((s) => s.bullets.map((b) => b.text)),
    ...article.limitations.map((l) => l.text),
  ].join('\n');
}

export function readingGrade(article: Pick<Article, 'directAnswer' | 'sections' | 'limitations'>): number {
  return fleschKincaidGrade(readableText(article));
}
