import type { Role } from '../domain/account.js';

/** Everything a request can try to do, for the one permission table below. */
export const ACTIONS = [
  'ask',
  'read',
  'review.queue',
  'article.edit',
  'article.comment',
  'article.transition',
  'users.manage',
  'audit.read',
  'tokens.create',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who may do what. Approving and other review decisions are limited further by the workflow
 * (only reviewers decide); this table is the coarse gate every route checks first.
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  reader: ['ask', 'read'],
  editor: ['ask', 'read', 'review.queue', 'article.edit', 'article.comment', 'article.transition', 'tokens.create'],
  reviewer: ['ask', 'read', 'review.queue', 'article.edit', 'article.comment', 'article.transition', 'tokens.create'],
  admin: ['ask', 'read', 'users.manage', 'audit.read', 'tokens.create'],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}
