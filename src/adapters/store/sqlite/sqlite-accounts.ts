import type Database from 'better-sqlite3';
import type { AuditEntry, User, UserRecord } from '../../../domain/account.js';
import { EvidentiaError } from '../../../domain/errors.js';
import type { Thread, ThreadTurn } from '../../../domain/thread.js';
import type { AuditLog, Credential, SessionStore, ThreadStore, UserStore } from '../../../ports/store.js';

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
  thread_id: string;
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

/** Accounts, credentials, audit log and threads in the library's SQLite file (migration 2). */
export class SqliteAccounts implements UserStore, SessionStore, AuditLog, ThreadStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insertUser: db.prepare(
        'INSERT INTO users (id, username, role, password_hash, created_at) VALUES (@id, @username, @role, @passwordHash, @createdAt)',
      ),
      userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username'),
      insertCredential: db.prepare(
        `INSERT INTO credentials (token_hash, user_id, kind, label, created_at, expires_at)
         VALUES (@tokenHash, @userId, @kind, @label, @createdAt, @expiresAt)`,
      ),
      credential: db.prepare<[string, string], CredentialRow>(
        'SELECT * FROM credentials WHERE token_hash = ? AND expires_at > ?',
      ),
      deleteCredential: db.prepare('DELETE FROM credentials WHERE token_hash = ?'),
      insertAudit: db.prepare(
        'INSERT INTO audit_log (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)',
      ),
      audit: db.prepare<[number], AuditEntry & { detail: string | null }>(
        'SELECT at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT ?',
      ),
      nextSeq: db.prepare<[string], { n: number }>(
        'SELECT coalesce(max(seq), 0) + 1 AS n FROM thread_turns WHERE thread_id = ?',
      ),
      insertTurn: db.prepare(
        `INSERT INTO thread_turns (thread_id, seq, asked, question, article_id, at)
         VALUES (@threadId, @seq, @asked, @question, @articleId, @at)`,
      ),
      turns: db.prepare<[string], TurnRow>('SELECT * FROM thread_turns WHERE thread_id = ? ORDER BY seq'),
      threadOf: db.prepare<[string], { thread_id: string }>(
        'SELECT thread_id FROM thread_turns WHERE article_id = ? LIMIT 1',
      ),
    };
    this.appendTurnTx = db.transaction((threadId: string, turn: ThreadTurn) => {
      const seq = this.s.nextSeq.get(threadId)!.n;
      this.s.insertTurn.run({ threadId, seq, ...turn });
    });
  }

  private readonly appendTurnTx: (threadId: string, turn: ThreadTurn) => void;

  async createUser(user: UserRecord): Promise<void> {
    if (this.s.userByName.get(user.username)) {
      throw new EvidentiaError('CONFLICT', `the username "${user.username}" is taken; choose another`);
    }
    this.s.insertUser.run(user);
  }

  async findUserByName(username: string): Promise<UserRecord | null> {
    const row = this.s.userByName.get(username);
    return row ? toUser(row) : null;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = this.s.userById.get(id);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<User[]> {
    return this.s.users.all().map((r) => ({ id: r.id, username: r.username, role: r.role, createdAt: r.created_at }));
  }

  async saveCredential(c: Credential): Promise<void> {
    this.s.insertCredential.run({ ...c, label: c.label ?? null });
  }

  async findCredential(tokenHash: string, now: string): Promise<Credential | null> {
    const r = this.s.credential.get(tokenHash, now);
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
    this.s.deleteCredential.run(tokenHash);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.s.insertAudit.run({ ...entry, detail: entry.detail ?? null });
  }

  async listAudit(options: { limit?: number } = {}): Promise<AuditEntry[]> {
    return this.s.audit.all(options.limit ?? 200).map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      ...(r.detail ? { detail: r.detail } : {}),
    }));
  }

  async appendTurn(threadId: string, turn: ThreadTurn): Promise<void> {
    this.appendTurnTx(threadId, turn);
  }

  async getThread(threadId: string): Promise<Thread | null> {
    const rows = this.s.turns.all(threadId);
    if (rows.length === 0) return null;
    return {
      id: threadId,
      turns: rows.map((r) => ({ asked: r.asked, question: r.question, articleId: r.article_id, at: r.at })),
    };
  }

  async threadOfArticle(articleId: string): Promise<Thread | null> {
    const row = this.s.threadOf.get(articleId);
    return row ? this.getThread(row.thread_id) : null;
  }
}
