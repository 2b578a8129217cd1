import { randomUUID } from 'node:crypto';
import {
  API_TOKEN_TTL_MS,
  can,
  checkPasswordStrength,
  hashPassword,
  hashSecret,
  newSecret,
  SESSION_TTL_MS,
  verifyPassword,
  type Action,
} from '../accounts/index.js';
import {
  ACCOUNT_ROLES,
  USERNAME_PATTERN,
  type AccountRole,
  type Actor,
  type AuditEntry,
  type User,
} from '../domain/account.js';
import { EvidentiaError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/** Accounts, sign-in sessions, API tokens and the audit log. */
export interface AccountsService {
  /** Creates an account. `by` is the admin (or "cli" for the operator's terminal). */
  addUser(input: { username: string; password: string; role: string }, by: Actor | 'cli'): Promise<User>;
  /** Checks a password and opens a session; the secret goes in a cookie, only its hash is stored. */
  signIn(username: string, password: string): Promise<{ secret: string; user: User; expiresAt: string }>;
  signOut(secret: string): Promise<void>;
  /** The actor a session secret or API token stands for, or null when unknown or expired. */
  authenticate(secret: string, kind: 'session' | 'api'): Promise<Actor | null>;
  createApiToken(actor: Actor, label: string): Promise<{ token: string; expiresAt: string }>;
  listUsers(actor: Actor): Promise<User[]>;
  readAudit(actor: Actor, limit?: number): Promise<AuditEntry[]>;
  audit(actor: Actor | string, action: string, target: string, detail?: string): Promise<void>;
}

/** Throws FORBIDDEN (or UNAUTHENTICATED for a reader) unless the actor may do `action`. */
export function requirePermission(actor: Actor, action: Action): void {
  if (can(actor.role, action)) return;
  if (actor.role === 'reader') throw new EvidentiaError('UNAUTHENTICATED', 'sign in to do this');
  throw new EvidentiaError('FORBIDDEN', `a ${actor.role} may not do this (${action})`);
}

function publicUser(u: User): User {
  return { id: u.id, username: u.username, role: u.role, createdAt: u.createdAt };
}

export function createAccountsService(store: Store, clock: Clock): AccountsService {
  const now = () => clock.now();
  const later = (ms: number) => new Date(now().getTime() + ms).toISOString();

  const service: AccountsService = {
    async addUser(input, by) {
      if (by !== 'cli') requirePermission(by, 'users.manage');
      const username = input.username.trim().toLowerCase();
      if (!USERNAME_PATTERN.test(username)) {
        throw new EvidentiaError(
          'INPUT_INVALID',
          'a username has 2–40 characters: lower-case letters, digits, dot, dash or underscore',
        );
      }
      if (!(ACCOUNT_ROLES as readonly string[]).includes(input.role)) {
        throw new EvidentiaError('INPUT_INVALID', `unknown role "${input.role}" (roles: ${ACCOUNT_ROLES.join(', ')})`);
      }
      checkPasswordStrength(input.password);
      const user = {
        id: `u-${randomUUID()}`,
        username,
        role: input.role as AccountRole,
        createdAt: now().toISOString(),
      };
      await store.createUser({ ...user, passwordHash: await hashPassword(input.password) });
      await service.audit(by === 'cli' ? 'cli' : by, 'user.add', username, `role ${user.role}`);
      return user;
    },

    async signIn(username, password) {
      const user = await store.findUserByName(username.trim().toLowerCase());
      // The same message either way, so the form does not reveal which usernames exist.
      const refused = new EvidentiaError('UNAUTHENTICATED', 'wrong username or password');
      if (!user) {
        await hashPassword(password); // spend the same time as a real check
        throw refused;
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        await service.audit(user.username, 'sign-in.refused', user.username);
        throw refused;
      }
      const secret = newSecret('ses');
      const expiresAt = later(SESSION_TTL_MS);
      await store.saveCredential({
        tokenHash: hashSecret(secret),
        userId: user.id,
        kind: 'session',
        createdAt: now().toISOString(),
        expiresAt,
      });
      await service.audit(user.username, 'sign-in', user.username);
      return { secret, user: publicUser(user), expiresAt };
    },

    async signOut(secret) {
      const credential = await store.findCredential(hashSecret(secret), now().toISOString());
      await store.deleteCredential(hashSecret(secret));
      const user = credential ? await store.getUser(credential.userId) : null;
      if (user) await service.audit(user.username, 'sign-out', user.username);
    },

    async authenticate(secret, kind) {
      const credential = await store.findCredential(hashSecret(secret), now().toISOString());
      if (!credential || credential.kind !== kind) return null;
      const user = await store.getUser(credential.userId);
      return user ? { role: user.role, name: user.username, userId: user.id } : null;
    },

    async createApiToken(actor, label) {
      requirePermission(actor, 'tokens.create');
      if (!actor.userId) throw new EvidentiaError('UNAUTHENTICATED', 'sign in to create an API token');
      const token = newSecret('evt');
      const expiresAt = later(API_TOKEN_TTL_MS);
      await store.saveCredential({
        tokenHash: hashSecret(token),
        userId: actor.userId,
        kind: 'api',
        label: label.trim().slice(0, 80) || 'api token',
        createdAt: now().toISOString(),
        expiresAt,
      });
      await service.audit(actor, 'token.create', actor.name, label);
      return { token, expiresAt };
    },

    async listUsers(actor) {
      requirePermission(actor, 'users.manage');
      return (await store.listUsers()).map(publicUser);
    },

    async readAudit(actor, limit) {
      requirePermission(actor, 'audit.read');
      return store.listAudit(limit === undefined ? {} : { limit });
    },

    async audit(actor, action, target, detail) {
      await store.appendAudit({
        at: now().toISOString(),
        actor: typeof actor === 'string' ? actor : actor.name,
        action,
        target,
        ...(detail ? { detail } : {}),
      });
    },
  };
  return service;
}
