import type pg from 'pg';
import type { AuditEntry, User, UserRecord } from '../../../domain/account.js';
import { EvidentiaError } from '../../../domain/errors.js';
import type { Thread, ThreadTurn } from '../../../domain/thread.js';
import type { AuditLog, Credential, SessionStore, ThreadStore, UserStore } from '../../../ports/store.js';
import { SQL } from './statements.js';

/** How the accounts reach the database: the store's migrated pool. */
export interface PostgresAccess {
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

interface UserRow {
  id: string;
  username: string;
  role: UserRecord['role'];
  password_hash: string;
  created_at: string;
}

interface CredentialRow {
  token_hash: string;
  user_id: string;
  kind: Credential['kind'];
  label: string | null;
  created_at: string;
  expires_at: string;
}

interface TurnRow {
  asked: string;
  question: string;
  article_id: string;
  at: string;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
});

/**
 * Free text for a PostgreSQL text column, which cannot hold U+0000 (SQLite can): it becomes
 * U+FFFD, as in the article listing columns.
 * @param text what a person typed (a question, an audit detail)
 */
const storable = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

/** Accounts, credentials, audit log and conversation threads in PostgreSQL (migration 2). */
export class PostgresAccounts implements UserStore, SessionStore, AuditLog, ThreadStore {
  constructor(private readonly db: PostgresAccess) {}

  async createUser(user: UserRecord): Promise<void> {
    // ON CONFLICT keeps a race between two servers adding the same name to one clear answer.
    const added = await this.db.transaction((client) =>
      client.query(SQL.insertUser, [user.id, user.username, user.role, user.passwordHash, user.createdAt]),
    );
    if (added.rowCount !== 1) {
      throw new EvidentiaError('CONFLICT', `the username "${user.username}" is taken; choose another`);
    }
  }

  async findUserByName(username: string): Promise<UserRecord | null> {
    const row = (await this.db.query<UserRow>(SQL.userByName, [storable(username)]))[0];
    return row ? toUser(row) : null;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = (await this.db.query<UserRow>(SQL.userById, [storable(id)]))[0];
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.query<UserRow>(SQL.users)).map((r) => ({
      id: r.id,
      username: r.username,
      role: r.role,
      createdAt: r.created_at,
    }));
  }

  async saveCredential(c: Credential): Promise<void> {
    await this.db.query(SQL.insertCredential, [
      c.tokenHash,
      c.userId,
      c.kind,
      c.label === undefined ? null : storable(c.label),
      c.createdAt,
      c.expiresAt,
    ]);
  }

  async findCredential(tokenHash: string, now: string): Promise<Credential | null> {
    const r = (await this.db.query<CredentialRow>(SQL.credential, [storable(tokenHash), now]))[0];
    if (!r) return null;
    return {
      tokenHash: r.token_hash,
      userId: r.user_id,
      kind: r.kind,
      ...(r.label ? { label: r.label } : {}),
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    };
  }

  async deleteCredential(tokenHash: string): Promise<void> {
    await this.db.query(SQL.deleteCredential, [storable(tokenHash)]);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db.query(SQL.insertAudit, [
      entry.at,
      storable(entry.actor),
      entry.action,
      storable(entry.target),
      entry.detail === undefined ? null : storable(entry.detail),
    ]);
  }

  async listAudit(options: { limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.db.query<AuditEntry & { detail: string | null }>(SQL.audit, [options.limit ?? 200]);
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      ...(r.detail ? { detail: r.detail } : {}),
    }));
  }

  async appendTurn(threadId: string, turn: ThreadTurn): Promise<void> {
    // Two servers answering follow-ups in one thread at once take the next turn numbers in turn.
    await this.db.transaction(async (client) => {
      await client.query(SQL.lockThread, [storable(threadId)]);
      await client.query(SQL.insertTurn, [
        storable(threadId),
        storable(turn.asked),
        storable(turn.question),
        storable(turn.articleId),
        turn.at,
      ]);
    });
  }

  async getThread(threadId: string): Promise<Thread | null> {
    const rows = await this.db.query<TurnRow>(SQL.turns, [storable(threadId)]);
    if (rows.length === 0) return null;
    return {
      id: threadId,
      turns: rows.map((r) => ({ asked: r.asked, question: r.question, articleId: r.article_id, at: r.at })),
    };
  }

  async threadOfArticle(articleId: string): Promise<Thread | null> {
    const row = (await this.db.query<{ thread_id: string }>(SQL.threadOf, [storable(articleId)]))[0];
    return row ? this.getThread(row.thread_id) : null;
  }
}
