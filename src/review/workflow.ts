import type { Actor, Role } from '../domain/account.js';
import type { Article, ReviewStatus } from '../domain/article.js';
import { EvidentiaError } from '../domain/errors.js';

/** Who started a change that no person made (a source changed after approval). */
export const SYSTEM_ACTOR: Actor = { role: 'admin', name: 'evidentia' };

/**
 * The editorial state machine: from each status, the statuses it may move to and the roles that
 * may move it. Only reviewers decide (approve, request changes, reject); an editor can take an
 * article into review and send a corrected one back.
 */
export const TRANSITIONS: Readonly<Record<ReviewStatus, Partial<Record<ReviewStatus, readonly Role[]>>>> = {
  submitted: { under_review: ['reviewer', 'editor'], rejected: ['reviewer'] },
  under_review: { approved: ['reviewer'], changes_requested: ['reviewer'], rejected: ['reviewer'] },
  changes_requested: { submitted: ['editor', 'reviewer'], under_review: ['reviewer'] },
  approved: { under_review: ['reviewer'] },
  rejected: { submitted: ['reviewer'] },
};

/** The statuses `role` may move an article in `from` to. */
export function allowedTransitions(from: ReviewStatus, role: Role): ReviewStatus[] {
  return Object.entries(TRANSITIONS[from])
    .filter(([, roles]) => roles.includes(role))
    .map(([to]) => to as ReviewStatus);
}

/**
 * Moves an article to `to` as the next version. Throws CONFLICT when the move does not exist from
 * the current status and FORBIDDEN when the actor's role may not make it.
 * @param article the current version
 * @param to the status wanted
 * @param actor who asks
 * @param at ISO time of the change
 * @param comment an optional reason, kept in the history
 */
export function transition(article: Article, to: ReviewStatus, actor: Actor, at: string, comment?: string): Article {
  const from = article.review.status;
  const roles = TRANSITIONS[from][to];
  if (!roles) {
    throw new EvidentiaError('CONFLICT', `an article that is ${from} cannot move to ${to}`);
  }
  if (!roles.includes(actor.role)) {
    throw new EvidentiaError('FORBIDDEN', `a ${actor.role} cannot move an article from ${from} to ${to}`);
  }
  return moved(article, to, actor.name, at, comment);
}

/** Sends an approved article back to the queue because something it rests on changed. */
export function flagForReReview(article: Article, reason: string, at: string): Article {
  if (article.review.status !== 'approved') return article;
  const next = moved(article, 'submitted', SYSTEM_ACTOR.name, at, reason);
  return { ...next, review: { ...next.review, flag: reason } };
}

function moved(article: Article, to: ReviewStatus, by: string, at: string, comment?: string): Article {
  const { flag: _cleared, ...review } = article.review;
  const approving = to === 'approved';
  return {
    ...article,
    version: article.version + 1,
    updatedAt: at,
    review: {
      ...(approving ? review : article.review),
      status: to,
      history: [
        ...article.review.history,
        { from: article.review.status, to, by, at, ...(comment ? { comment } : {}) },
      ],
      ...(approving ? { approvedAt: at, approvedVersion: article.version + 1 } : {}),
    },
  };
}
