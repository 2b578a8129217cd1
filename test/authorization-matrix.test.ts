import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/account.js';
import { EXAMPLE_QUESTION } from './helpers.js';
import { Client, startWeb } from './web-helpers.js';

type Web = Awaited<ReturnType<typeof startWeb>>;

/** One route of the application and the roles that may use it. */
interface RouteCase {
  name: string;
  allowed: readonly Role[];
  /** Makes the request as `client` (signed in as the role, or anonymous) on fresh data. */
  call: (client: Client, web: Web) => Promise<LightMyRequestResponse>;
}

const EVERYONE: readonly Role[] = ['reader', 'editor', 'reviewer', 'admin'];
const REVIEWERS: readonly Role[] = ['editor', 'reviewer'];
const ACCOUNTS: readonly Role[] = ['editor', 'reviewer', 'admin'];

/** A new article, optionally already under review, so a state-changing call starts from a known state. */
async function freshArticle(web: Web, underReview = false): Promise<string> {
  const article = await web.app.ask(EXAMPLE_QUESTION, 'clinician');
  if (underReview) {
    await web.app.editorial.transition({ role: 'reviewer', name: 'setup' }, article.id, 'under_review');
  }
  return article.id;
}

const json = (c: Client, url: string, body: unknown) =>
  c.csrf().then((token) => c.postJson(url, body, { 'x-csrf-token': token }));

const ROUTES: RouteCase[] = [
  { name: 'GET /', allowed: EVERYONE, call: (c) => c.get('/') },
  { name: 'GET /library', allowed: EVERYONE, call: (c) => c.get('/library') },
  { name: 'GET /policy', allowed: EVERYONE, call: (c) => c.get('/policy') },
  { name: 'GET /articles/:id', allowed: EVERYONE, call: async (c, w) => c.get(`/articles/${await freshArticle(w)}`) },
  { name: 'POST /ask', allowed: EVERYONE, call: (c) => c.postForm('/ask', { question: 'How is cystitis treated?' }) },
  {
    name: 'POST /articles/:id/follow-up',
    allowed: EVERYONE,
    call: async (c, w) => c.postForm(`/articles/${await freshArticle(w)}/follow-up`, { question: 'and the risks?' }),
  },
  { name: 'GET /review', allowed: REVIEWERS, call: (c) => c.get('/review') },
  { name: 'GET /review/:id', allowed: REVIEWERS, call: async (c, w) => c.get(`/review/${await freshArticle(w)}`) },
  {
    name: 'GET /review/:id/diff',
    allowed: REVIEWERS,
    call: async (c, w) => c.get(`/review/${await freshArticle(w, true)}/diff?from=1&to=2`),
  },
  {
    name: 'POST /review/:id/transition (start review)',
    allowed: REVIEWERS,
    call: async (c, w) => c.postForm(`/review/${await freshArticle(w)}/transition`, { to: 'under_review' }),
  },
  {
    name: 'POST /review/:id/transition (approve)',
    allowed: ['reviewer'],
    call: async (c, w) => c.postForm(`/review/${await freshArticle(w, true)}/transition`, { to: 'approved' }),
  },
  {
    name: 'POST /review/:id/bullets',
    allowed: REVIEWERS,
    call: async (c, w) => {
      const id = await freshArticle(w);
      const text = (await w.app.editorial.get(id)).sections[0]!.bullets[0]!.text;
      return c.postForm(`/review/${id}/bullets`, { section: '0', bullet: '0', text });
    },
  },
  {
    name: 'POST /review/:id/comment',
    allowed: REVIEWERS,
    call: async (c, w) => c.postForm(`/review/${await freshArticle(w)}/comment`, { text: 'looks right' }),
  },
  { name: 'GET /admin', allowed: ['admin'], call: (c) => c.get('/admin') },
  {
    name: 'POST /admin/users',
    allowed: ['admin'],
    call: (c) =>
      c.postForm('/admin/users', {
        username: `user${Math.random().toString(36).slice(2, 8)}`,
        password: 'a-long-password',
        role: 'editor',
      }),
  },
  { name: 'GET /account', allowed: ACCOUNTS, call: (c) => c.get('/account') },
  { name: 'POST /account/tokens', allowed: ACCOUNTS, call: (c) => c.postForm('/account/tokens', { label: 'matrix' }) },
  { name: 'GET /ask', allowed: EVERYONE, call: (c) => c.get('/ask?q=What%20is%20cystitis%3F') },
  { name: 'GET /login', allowed: EVERYONE, call: (c) => c.get('/login') },
  { name: 'GET /style.css', allowed: EVERYONE, call: (c) => c.get('/style.css') },
  { name: 'GET /openapi.json', allowed: EVERYONE, call: (c) => c.get('/openapi.json') },
  { name: 'GET /healthz', allowed: EVERYONE, call: (c) => c.get('/healthz') },
  { name: 'GET /readyz', allowed: EVERYONE, call: (c) => c.get('/readyz') },
  { name: 'POST /audience', allowed: EVERYONE, call: (c) => c.postForm('/audience', { audience: 'student' }) },
  {
    name: 'POST /articles/:id/audience',
    allowed: EVERYONE,
    call: async (c, w) => c.postForm(`/articles/${await freshArticle(w)}/audience`, { audience: 'patient' }),
  },
  { name: 'GET /api/me', allowed: EVERYONE, call: (c) => c.get('/api/me') },
  {
    name: 'GET /api/threads/:id',
    allowed: EVERYONE,
    call: async (c, w) => {
      const { threadId } = await w.app.askInThread('How is cystitis treated?', 'clinician');
      return c.get(`/api/threads/${threadId}`);
    },
  },
  { name: 'GET /api/articles', allowed: EVERYONE, call: (c) => c.get('/api/articles') },
  {
    name: 'GET /api/articles/:id',
    allowed: EVERYONE,
    call: async (c, w) => c.get(`/api/articles/${await freshArticle(w)}`),
  },
  {
    name: 'POST /api/ask',
    allowed: EVERYONE,
    call: (c) => json(c, '/api/ask', { question: 'How is cystitis treated?' }),
  },
  { name: 'GET /api/review/queue', allowed: REVIEWERS, call: (c) => c.get('/api/review/queue') },
  {
    name: 'GET /api/articles/:id/versions',
    allowed: REVIEWERS,
    call: async (c, w) => c.get(`/api/articles/${await freshArticle(w)}/versions`),
  },
  {
    name: 'GET /api/articles/:id/diff',
    allowed: REVIEWERS,
    call: async (c, w) => c.get(`/api/articles/${await freshArticle(w, true)}/diff?from=1&to=2`),
  },
  {
    name: 'POST /api/articles/:id/transitions (start review)',
    allowed: REVIEWERS,
    call: async (c, w) => json(c, `/api/articles/${await freshArticle(w)}/transitions`, { to: 'under_review' }),
  },
  {
    name: 'POST /api/articles/:id/transitions (approve)',
    allowed: ['reviewer'],
    call: async (c, w) => json(c, `/api/articles/${await freshArticle(w, true)}/transitions`, { to: 'approved' }),
  },
  {
    name: 'POST /api/articles/:id/transitions (reject)',
    allowed: ['reviewer'],
    call: async (c, w) => json(c, `/api/articles/${await freshArticle(w)}/transitions`, { to: 'rejected' }),
  },
  {
    name: 'POST /api/articles/:id/comments',
    allowed: REVIEWERS,
    call: async (c, w) => json(c, `/api/articles/${await freshArticle(w)}/comments`, { text: 'noted' }),
  },
  {
    name: 'POST /api/articles/:id/bullets',
    allowed: REVIEWERS,
    call: async (c, w) => {
      const id = await freshArticle(w);
      const text = (await w.app.editorial.get(id)).sections[0]!.bullets[0]!.text;
      return json(c, `/api/articles/${id}/bullets`, { section: 0, bullet: 0, text });
    },
  },
  { name: 'GET /api/users', allowed: ['admin'], call: (c) => c.get('/api/users') },
  {
    name: 'POST /api/users',
    allowed: ['admin'],
    call: (c) =>
      json(c, '/api/users', {
        username: `api${Math.random().toString(36).slice(2, 8)}`,
        password: 'a-long-password',
        role: 'reviewer',
      }),
  },
  { name: 'GET /api/audit', allowed: ['admin'], call: (c) => c.get('/api/audit') },
  { name: 'POST /api/tokens', allowed: ACCOUNTS, call: (c) => json(c, '/api/tokens', { label: 'matrix' }) },
];

describe('authorisation: every role × every route', () => {
  let web: Web;
  const clients = new Map<Role, Client>();
  beforeAll(async () => {
    web = await startWeb({ askLimit: { max: 10_000, timeWindowMs: 60_000 } });
    clients.set('reader', new Client(web.server));
    for (const role of ['editor', 'reviewer', 'admin'] as const) {
      const c = new Client(web.server);
      await c.signIn(role);
      clients.set(role, c);
    }
  });
  afterAll(() => web.stop());

  for (const route of ROUTES) {
    for (const role of ['reader', 'editor', 'reviewer', 'admin'] as const) {
      const allowed = route.allowed.includes(role);
      it(`${route.name} as ${role}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const r = await route.call(clients.get(role)!, web);
        if (allowed) {
          expect([200, 201, 303], r.body.slice(0, 300)).toContain(r.statusCode);
          if (r.statusCode === 303) expect(r.headers.location).not.toMatch(/^\/login/);
        } else if (role === 'reader') {
          // A reader is asked to sign in: pages redirect to the sign-in form, everything else is 401.
          if (r.statusCode === 303) expect(r.headers.location).toMatch(/^\/login\?next=/);
          else expect(r.statusCode, r.body.slice(0, 300)).toBe(401);
        } else {
          expect(r.statusCode, r.body.slice(0, 300)).toBe(403);
        }
      });
    }
  }

  it('keeps a signed-out user out of the review queue', async () => {
    const c = clients.get('reviewer')!;
    expect((await c.get('/review')).statusCode).toBe(200);
    await c.postForm('/logout', {});
    const after = await c.get('/review');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Freview');
    expect((await c.get('/api/review/queue')).statusCode).toBe(401);
    const audit = await web.app.accounts.readAudit({ role: 'admin', name: 'check' });
    expect(audit.some((e) => e.action === 'sign-out' && e.actor === 'reviewer')).toBe(true);
  });
});
