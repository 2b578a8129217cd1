import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { Article } from '../src/domain/article.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import type { Store } from '../src/ports/store.js';
import { buildServer } from '../src/surfaces/http/server.js';
import { evidentia, EXAMPLE_QUESTION, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';
import { Client, PASSWORDS } from './web-helpers.js';

/** A DATABASE_URL that keeps the tables in `schema` (libpq `options`, understood by the driver). */
function urlWithSchema(schema: string): string {
  const url = new URL(POSTGRES_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

describe.skipIf(NO_POSTGRES)('PostgreSQL and SQLite answer alike', () => {
  const schema = uniqueSchema();
  const tmp = tempDir();
  let pgStore: Store;
  let sqliteStore: Store;

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    pgStore = openPostgresStore(POSTGRES_URL!, { schema });
    sqliteStore = openSqliteStore(join(tmp.dir, 'lib.db'));
    await ingestPaths(pgStore, [SAMPLE_LIBRARY]);
    await ingestPaths(sqliteStore, [SAMPLE_LIBRARY]);
  });
  afterAll(async () => {
    await pgStore.close();
    await sqliteStore.close();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    tmp.cleanup();
  });

  it('holds the same library', async () => {
    expect(await pgStore.stats()).toEqual(await sqliteStore.stats());
    expect(await pgStore.checkIntegrity()).toEqual([]);
  });

  it('ranks passages in the same order with the same BM25 scores', async () => {
    const queries = [
      [{ text: 'basivertebral nerve ablation', phrase: true }, { text: 'pain' }],
      [{ text: 'antibiotic' }, { text: 'cystitis' }, { text: 'women' }],
      [{ text: 'blood pressure target', phrase: true }, { text: 'intensive' }],
      [{ text: 'metformin' }, { text: 'kidney' }, { text: 'heart failure', phrase: true }],
      [{ text: 'paracetamol' }, { text: 'acute' }, { text: 'low back pain', phrase: true }],
    ];
    for (const clauses of queries) {
      const [a, b] = await Promise.all([
        pgStore.searchPassages({ clauses, limit: 10 }),
        sqliteStore.searchPassages({ clauses, limit: 10 }),
      ]);
      expect(a.length).toBe(b.length);
      expect(a.length).toBeGreaterThan(0);
      a.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(b[i]!.score, 3);
        expect([hit.documentId, hit.start, hit.end, hit.text]).toEqual([
          b[i]!.documentId,
          b[i]!.start,
          b[i]!.end,
          b[i]!.text,
        ]);
      });
    }
  });

  it('runs every command on PostgreSQL when DATABASE_URL is set', async () => {
    const cliSchema = uniqueSchema();
    await adminQuery(`CREATE SCHEMA ${cliSchema}`);
    try {
      const env = { DATABASE_URL: urlWithSchema(cliSchema) };
      const ingest = evidentia(['ingest', SAMPLE_LIBRARY], env);
      expect(ingest.code, ingest.stderr).toBe(0);
      const stats = JSON.parse(evidentia(['stats', '--json'], env).stdout);
      expect(stats.documents).toBe((await sqliteStore.stats()).documents);
      const pgAnswer = evidentia(['ask', '--format', 'json', EXAMPLE_QUESTION], env);
      expect(pgAnswer.code, pgAnswer.stderr).toBe(0);
      const sqliteAnswer = evidentia(['--db', join(tmp.dir, 'cli.db'), 'demo', '--format', 'json'], {});
      expect(sqliteAnswer.code, sqliteAnswer.stderr).toBe(0);
      const strip = (json: string) => {
        // Identity and times differ by construction; everything a reader sees must not.
        const { id: _id, createdAt: _c, updatedAt: _u, review, ...rest } = JSON.parse(json) as Record<string, unknown>;
        return { ...rest, reviewStatus: (review as { status: string }).status };
      };
      expect(strip(pgAnswer.stdout)).toEqual(strip(sqliteAnswer.stdout));
      const pg = Article.parse(JSON.parse(pgAnswer.stdout));
      expect(pg.status).toBe('answered');
      for (const bullet of pg.sections.flatMap((section) => section.bullets)) {
        for (const span of bullet.support) {
          const doc = await pgStore.getDocument(span.documentId);
          expect(doc!.text.slice(span.start, span.end)).toBe(span.quote);
        }
      }
      const rows = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM ${cliSchema}.articles`);
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS ${cliSchema} CASCADE`);
    }
  });

  it('serves the web application and JSON API from PostgreSQL when DATABASE_URL is set', async () => {
    const webSchema = uniqueSchema();
    await adminQuery(`CREATE SCHEMA ${webSchema}`);
    // The app is opened the way `evidentia serve` opens it: from the configuration alone.
    const app = openApp(loadConfig({ databaseUrl: urlWithSchema(webSchema) }));
    const server = await buildServer(app, { askLimit: { max: 100, timeWindowMs: 60_000 } });
    try {
      await app.ingest([SAMPLE_LIBRARY]);
      await app.accounts.addUser({ username: 'reviewer', password: PASSWORDS.reviewer, role: 'reviewer' }, 'cli');
      const c = new Client(server);
      const asked = await c.postJson('/api/ask', { question: EXAMPLE_QUESTION, audience: 'clinician' });
      expect(asked.statusCode, asked.body).toBe(200);
      const article = Article.parse(asked.json());
      expect(article.sections.length).toBeGreaterThan(2);
      const got = await c.get(`/api/articles/${article.id}`);
      expect(got.statusCode, got.body).toBe(200);
      expect(Article.parse(got.json())).toEqual(article);

      const threadId: string = asked.json().threadId;
      const follow = await c.postJson('/api/ask', { question: 'and the risks?', threadId });
      expect(follow.statusCode, follow.body).toBe(200);
      const thread = (await c.get(`/api/threads/${threadId}`)).json();
      expect(thread.turns.map((t: { asked: string }) => t.asked)).toEqual([EXAMPLE_QUESTION, 'and the risks?']);

      // A reviewer signs in (session and CSRF in PostgreSQL) and approves through the API.
      const reviewer = new Client(server);
      await reviewer.signIn('reviewer');
      const headers = { 'x-csrf-token': await reviewer.csrf() };
      for (const to of ['under_review', 'approved']) {
        const moved = await reviewer.postJson(`/api/articles/${article.id}/transitions`, { to }, headers);
        expect(moved.statusCode, moved.body).toBe(200);
      }
      const versions = (await reviewer.get(`/api/articles/${article.id}/versions`)).json().versions;
      expect(versions.map((v: { version: number; author: string }) => [v.version, v.author])).toEqual([
        [1, 'evidentia'],
        [2, 'reviewer'],
        [3, 'reviewer'],
      ]);

      // All of it is in PostgreSQL, not in a SQLite file.
      const [counts] = await adminQuery<{ articles: string; turns: string; sessions: string; audit: string }>(
        `SELECT (SELECT count(*) FROM ${webSchema}.articles) AS articles,
          (SELECT count(*) FROM ${webSchema}.thread_turns) AS turns,
          (SELECT count(*) FROM ${webSchema}.credentials WHERE kind = 'session') AS sessions,
          (SELECT count(*) FROM ${webSchema}.audit_log) AS audit`,
      );
      expect(Number(counts!.articles)).toBe(2);
      expect(Number(counts!.turns)).toBe(2);
      expect(Number(counts!.sessions)).toBe(1);
      expect(Number(counts!.audit)).toBeGreaterThanOrEqual(5);
      expect(await app.store.checkIntegrity()).toEqual([]);
    } finally {
      await server.close();
      await app.close();
      await adminQuery(`DROP SCHEMA IF EXISTS ${webSchema} CASCADE`);
    }
  }, 60_000);

  it('fails with one clear line when the server cannot be reached', () => {
    const r = evidentia(['stats'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/library database is unavailable/);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    const r = evidentia(['stats'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/databaseUrl/);
  });
});
