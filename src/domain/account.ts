import { z } from 'zod';

/** Who may do what. A reader is anyone not signed in; the others are accounts. */
export const ROLES = ['reader', 'editor', 'reviewer', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Roles an account can be created with (a reader needs no account). */
export const ACCOUNT_ROLES = ['editor', 'reviewer', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const MIN_PASSWORD_LENGTH = 10;

export interface User {
  id: string;
  username: string;
  role: AccountRole;
  createdAt: string;
}

/** A stored account with its password hash (`scrypt$N$r$p$salt$hash`, base64 parts). */
export interface UserRecord extends User {
  passwordHash: string;
}

/** The identity a request acts as, after its session cookie or API token was checked. */
export interface Actor {
  role: Role;
  /** The account name, or "anonymous" for a reader. */
  name: string;
  userId?: string;
}

export const ANONYMOUS: Actor = { role: 'reader', name: 'anonymous' };

/** One line of the audit log: who changed what, when. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
  detail?: string;
}
