import type { Actor } from '../domain/account.js';
import type { Article, Bullet } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';

/** Where a bullet is: section and bullet positions, from 0. */
export interface BulletAddress {
  section: number;
  bullet: number;
}

/** Checks a bullet against its sources; returns the problems (empty when it still matches). */
export type BulletCheck = (bullet: Bullet, article: Article) => Promise<string[]>;

/**
 * Replaces one bullet's text as the next version, re-checks it against its cited spans and marks
 * it with a flag when it no longer matches, so reviewers see the problem instead of it vanishing.
 */
export async function editBullet(
  article: Article,
  at: BulletAddress,
  text: string,
  actor: Actor,
  now: string,
  check: BulletCheck,
): Promise<Article> {
  const section = article.sections[at.section];
  const old = section?.bullets[at.bullet];
  if (!section || !old)
    throw new EvidentiaError('NOT_FOUND', `article ${article.id} has no bullet ${at.section}.${at.bullet}`);
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new EvidentiaError('INPUT_INVALID', 'the bullet text is empty');
  const { flag: _old, ...rest } = old;
  const edited: Bullet = { ...rest, text: trimmed, edited: { by: actor.name, at: now } };
  const problems = await check(edited, article);
  const bullet: Bullet = problems.length > 0 ? { ...edited, flag: problems.join('; ') } : edited;
  const sections = article.sections.map((s, i) =>
    i === at.section ? { ...s, bullets: s.bullets.map((b, j) => (j === at.bullet ? bullet : b)) } : s,
  );
  return { ...article, sections, version: article.version + 1, updatedAt: now };
}

/** Adds a reviewer's comment as the next version (comments are part of the review history). */
export function addComment(article: Article, text: string, actor: Actor, now: string): Article {
  const comment = text.trim();
  if (comment.length === 0) throw new EvidentiaError('INPUT_INVALID', 'the comment is empty');
  const status = article.review.status;
  return {
    ...article,
    version: article.version + 1,
    updatedAt: now,
    review: {
      ...article.review,
      history: [...article.review.history, { from: status, to: status, by: actor.name, at: now, comment }],
    },
  };
}
