import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { Article, type ReviewStatus } from '../src/domain/article.js';
import { allowedTransitions } from '../src/review/workflow.js';
import { EXAMPLE_QUESTION, SAMPLE_LIBRARY } from './helpers.js';
import { adminQuery, NO_POSTGRES, POSTGRES_URL, uniqueSchema } from './postgres-helpers.js';
import { HttpClient, startServe, type ServeProcess } from './serve-process.js';

/** A DATABASE_URL that keeps the tables in `schema` (libpq `options`, understood by the driver). */
function urlWithSchema(schema: string): string {
  const url = new URL(POSTGRES_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

const PASSWORD = 'race-password-123';
const ROUNDS = 12;

/** One change a client tried, marked so it can be found again in the version history. */
interface Attempt {
  marker: string;
  via: 'json' | 'form';
  kind: 'transition' | 'edit' | 'comment';
  status: number;
  /** The version the client saw when it decided. */
  saw: number;
  /** For an accepted JSON change: the version the server answered with. */
  version?: number;
  body: string;
}

/** What one version added to the one before: the marker of the change that made it. */
function markerOf(previous: Article, current: Article, section: number): string | undefined {
  if (current.review.history.length > previous.review.history.length) return current.review.history.at(-1)?.comment;
  const before = previous.sections[section]!.bullets.map((b) => b.text);
  const changed = current.sections[section]!.bullets.find((b, j) => b.text !== before[j]);
  return changed?.text;
}

describe.skipIf(NO_POSTGRES)('two evidentia serve processes on one PostgreSQL database', () => {
  const schema = uniqueSchema('evidentia_race');
  const url = urlWithSchema(schema);
  const servers: ServeProcess[] = [];
  let articleId = '';
  let section = 0;

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    const app = openApp(loadConfig({ databaseUrl: url }));
    try {
      await app.ingest([SAMPLE_LIBRARY]);
      for (const name of ['rev-a', 'rev-b'])
        await app.accounts.addUser({ username: name, password: PASSWORD, role: 'reviewer' }, 'cli');
      for (const name of ['ed-a', 'ed-b'])
        await app.accounts.addUser({ username: name, password: PASSWORD, role: 'editor' }, 'cli');
      const article = await app.ask(EXAMPLE_QUESTION, 'clinician');
      articleId = article.id;
      section = article.sections.findIndex((s) => s.bullets.length >= 2);
      expect(section).toBeGreaterThanOrEqual(0);
    } finally {
      await app.close();
    }
    servers.push(
      ...(await Promise.all([startServe([], { DATABASE_URL: url }), startServe([], { DATABASE_URL: url })])),
    );
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('races review decisions, edits and comments through both servers without losing an update', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    // Two reviewers and two editors, one of each on each server.
    const people = [
      { name: 'rev-a', role: 'reviewer' as const, client: new HttpClient(a.base) },
      { name: 'rev-b', role: 'reviewer' as const, client: new HttpClient(b.base) },
      { name: 'ed-a', role: 'editor' as const, client: new HttpClient(a.base) },
      { name: 'ed-b', role: 'editor' as const, client: new HttpClient(b.base) },
    ];
    for (const p of people) await p.client.signIn(p.name, PASSWORD);
    const initial = Article.parse(await (await people[0]!.client.get(`/api/articles/${articleId}`)).json());

    const attempts: Attempt[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Everyone reads the article (through their own server), then all act at once.
      const seen = await Promise.all(
        people.map(async (p) => {
          const r = await p.client.get(`/api/articles/${articleId}`);
          expect(r.status).toBe(200);
          return { article: Article.parse(await r.json()), csrf: await p.client.csrf(`/review/${articleId}`) };
        }),
      );
      const actions = people.map(async (p, i) => {
        const { article, csrf } = seen[i]!;
        const marker = `round ${round} by ${p.name}`;
        const useForm = (round + i) % 2 === 0;
        const targets = allowedTransitions(article.review.status, p.role);
        const choice = (round + i) % 3;
        let kind: Attempt['kind'];
        let response: Response;
        if (choice === 0 && targets.length > 0) {
          kind = 'transition';
          const to: ReviewStatus = targets[round % targets.length]!;
          response = useForm
            ? await p.client.postForm(
                `/review/${articleId}/transition`,
                { to, comment: marker, version: String(article.version) },
                csrf,
              )
            : await p.client.postJson(
                `/api/articles/${articleId}/transitions`,
                { to, comment: marker, version: article.version },
                csrf,
              );
        } else if (choice === 1 || targets.length === 0) {
          kind = 'edit';
          // Everyone edits one of the same two bullets, so edits collide.
          const fields = {
            section,
            bullet: round % 2,
            text: `The statement as of ${marker}.`,
            version: article.version,
          };
          response = useForm
            ? await p.client.postForm(
                `/review/${articleId}/bullets`,
                Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
                csrf,
              )
            : await p.client.postJson(`/api/articles/${articleId}/bullets`, fields, csrf);
        } else {
          kind = 'comment';
          response = useForm
            ? await p.client.postForm(`/review/${articleId}/comment`, { text: marker }, csrf)
            : await p.client.postJson(`/api/articles/${articleId}/comments`, { text: marker }, csrf);
        }
        const body = await response.text();
        const attempt: Attempt = {
          marker: kind === 'edit' ? `The statement as of ${marker}.` : marker,
          via: useForm ? 'form' : 'json',
          kind,
          status: response.status,
          saw: article.version,
          body,
        };
        if (!useForm && response.status === 200) attempt.version = Article.parse(JSON.parse(body)).version;
        return attempt;
      });
      attempts.push(...(await Promise.all(actions)));
    }

    // Every answer is an acceptance or a clean conflict: a JSON error, or a page that says reload.
    for (const t of attempts) {
      if (t.via === 'json') {
        expect([200, 409], t.body).toContain(t.status);
        if (t.status === 409) expect(JSON.parse(t.body).error.code).toBe('CONFLICT');
      } else {
        expect([303, 409], t.body).toContain(t.status);
        if (t.status === 409) {
          expect(t.body).toMatch(/reload/i);
          expect(t.body).not.toMatch(/\n\s+at /);
        }
      }
    }
    const accepted = attempts.filter((t) => t.status < 300 || t.status === 303);
    const refused = attempts.filter((t) => t.status === 409);
    expect(accepted.length + refused.length).toBe(attempts.length);
    // The race really happened: both outcomes occurred many times.
    expect(refused.length).toBeGreaterThan(ROUNDS / 2);
    expect(accepted.length).toBeGreaterThanOrEqual(ROUNDS);

    // Versions rise by one with no gap, one per accepted change, none for a refused one.
    const reviewer = people[0]!.client;
    const versions = (await (await reviewer.get(`/api/articles/${articleId}/versions`)).json()) as {
      versions: { version: number }[];
    };
    const numbers = versions.versions.map((v) => v.version).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(numbers.at(-1)).toBe(initial.version + accepted.length);

    // Each version after the first holds exactly one accepted change; a decision or an edit was made
    // on the version just before it.
    const history: Article[] = [];
    for (let v = initial.version; v <= numbers.at(-1)!; v++) {
      history.push(Article.parse(await (await reviewer.get(`/api/articles/${articleId}?version=${v}`)).json()));
    }
    const markers = history.slice(1).map((current, i) => markerOf(history[i]!, current, section));
    expect([...markers].sort()).toEqual(accepted.map((t) => t.marker).sort());
    for (const t of accepted) {
      const v = initial.version + 1 + markers.indexOf(t.marker);
      // A comment only adds to the history, so it may land on a later version than the one seen.
      if (t.kind === 'comment') expect(v).toBeGreaterThan(t.saw);
      else expect(v, `${t.marker} was decided on version ${t.saw}`).toBe(t.saw + 1);
      if (t.version !== undefined) expect(t.version).toBe(v);
    }
    for (const t of refused) expect(markers).not.toContain(t.marker);

    // Both servers now show the last accepted change.
    const last = history.at(-1)!;
    for (const p of [people[0]!, people[1]!]) {
      const now = Article.parse(await (await p.client.get(`/api/articles/${articleId}`)).json());
      expect(now).toEqual(last);
    }
  }, 240_000);
});
