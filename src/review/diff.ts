import { diffLines } from 'diff';
import type { Article } from '../domain/article.js';

export interface DiffPart {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

/** The reviewable text of an article, one statement per line, so a line diff reads naturally. */
export function reviewableText(article: Article): string {
  const lines = [
    `Status: ${article.review.status}`,
    `Answer: ${article.directAnswer.text} [${article.directAnswer.citations.join(', ')}]`,
  ];
  for (const s of article.sections) {
    lines.push(`## ${s.heading}`);
    for (const b of s.bullets)
      lines.push(`- ${b.text} [${b.citations.join(', ')}]${b.flag ? ` (flag: ${b.flag})` : ''}`);
  }
  for (const r of article.recommendations) lines.push(`Recommendation (${r.direction}, ${r.strength}): ${r.statement}`);
  for (const l of article.limitations) lines.push(`Limitation: ${l.text}`);
  for (const r of article.references) lines.push(`Reference ${r.id}: ${r.title}`);
  for (const h of article.review.history) if (h.comment) lines.push(`Comment by ${h.by} at ${h.at}: ${h.comment}`);
  return `${lines.join('\n')}\n`;
}

/** The line diff between two versions of an article. */
export function diffArticles(older: Article, newer: Article): DiffPart[] {
  return diffLines(reviewableText(older), reviewableText(newer)).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}
