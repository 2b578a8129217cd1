import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Article } from '../src/domain/article.js';
import { EXAMPLE_QUESTION, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { Client, startWeb } from './web-helpers.js';

describe('the JSON API', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  let token: string;
  beforeAll(async () => {
    web = await startWeb({ askLimit: { max: 1000, timeWindowMs: 60_000 } });
    const reviewer = new Client(web.server);
    await reviewer.signIn('reviewer');
    const r = await reviewer.postJson('/api/tokens', { label: 'tests' }, { 'x-csrf-token': await reviewer.csrf() });
    expect(r.statusCode, r.body).toBe(200);
    token = r.json().token;
  });
  afterAll(() => web.stop());

  it('answers a question with the article of the contract, and keeps the thread for a follow-up', async () => {
    const c = new Client(web.server);
    const first = await c.postJson('/api/ask', { question: EXAMPLE_QUESTION, audience: 'clinician' });
    expect(first.statusCode, first.body).toBe(200);
    const article = Article.parse(first.json());
    expect(article.review.status).toBe('submitted');
    expect(article.sections.length).toBeGreaterThan(2);
    const threadId: string = first.json().threadId;
    expect(threadId).toMatch(/^t-/);

    const follow = await c.postJson('/api/ask', { question: 'and the risks?', threadId });
    expect(follow.statusCode, follow.body).toBe(200);
    const answer = Article.parse(follow.json());
    expect(answer.question).toBe('What are the risks of basivertebral nerve ablation?');
    const risks = answer.sections.find((s) => /risk/i.test(s.heading));
    expect(risks?.bullets.length).toBeGreaterThan(0);

    const thread = (await c.get(`/api/threads/${threadId}`)).json();
    expect(thread.turns.map((t: { asked: string }) => t.asked)).toEqual([EXAMPLE_QUESTION, 'and the risks?']);
    expect(thread.turns[1].articleId).toBe(answer.id);

    const got = await c.get(`/api/articles/${article.id}`);
    expect(Article.parse(got.json()).id).toBe(article.id);
  });

  it('lists articles with search and filters', async () => {
    const c = new Client(web.server);
    await c.postJson('/api/ask', { question: 'How is uncomplicated cystitis in women treated?' });
    const all = (await c.get('/api/articles')).json().articles as Array<{ question: string; reviewStatus: string }>;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const cystitis = (await c.get('/api/articles?q=cystitis')).json().articles as Array<{ question: string }>;
    expect(cystitis.length).toBeGreaterThan(0);
    expect(cystitis.every((a) => /cystitis/i.test(a.question))).toBe(true);
    const approved = (await c.get('/api/articles?status=approved')).json().articles as unknown[];
    expect(approved.every((a) => (a as { reviewStatus: string }).reviewStatus === 'approved')).toBe(true);
    const future = (await c.get('/api/articles?since=2999-01-01')).json().articles as unknown[];
    expect(future).toHaveLength(0);
    const bad = await c.get('/api/articles?status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INPUT_INVALID');
  });

  it('moves an article through review with a Bearer token and keeps every version with its author', async () => {
    const c = new Client(web.server);
    const article = Article.parse((await c.postJson('/api/ask', { question: EXAMPLE_QUESTION })).json());
    const auth = { authorization: `Bearer ${token}` };
    const start = await c.postJson(`/api/articles/${article.id}/transitions`, { to: 'under_review' }, auth);
    expect(start.statusCode, start.body).toBe(200);
    const approve = await c.postJson(
      `/api/articles/${article.id}/transitions`,
      { to: 'approved', comment: 'checked' },
      auth,
    );
    expect(approve.statusCode, approve.body).toBe(200);
    const approved = Article.parse(approve.json());
    expect(approved.review.status).toBe('approved');
    expect(approved.version).toBe(3);
    expect(approved.review.approvedAt).toBeDefined();
    const again = await c.postJson(`/api/articles/${article.id}/transitions`, { to: 'approved' }, auth);
    expect(again.statusCode).toBe(409);
    const versions = (await c.get(`/api/articles/${article.id}/versions`, auth)).json().versions;
    expect(versions.map((v: { author: string }) => v.author)).toEqual(['evidentia', 'reviewer', 'reviewer']);
    const diff = (await c.get(`/api/articles/${article.id}/diff?from=2&to=3`, auth)).json();
    expect(
      diff.parts.some((p: { kind: string; text: string }) => p.kind === 'added' && p.text.includes('approved')),
    ).toBe(true);
  });

  it('re-checks an edited bullet and flags it when it no longer matches its source', async () => {
    const c = new Client(web.server);
    const article = Article.parse((await c.postJson('/api/ask', { question: EXAMPLE_QUESTION })).json());
    const auth = { authorization: `Bearer ${token}` };
    const original = article.sections[0]!.bullets[0]!;
    const same = await c.postJson(
      `/api/articles/${article.id}/bullets`,
      { section: 0, bullet: 0, text: original.text },
      auth,
    );
    expect(same.statusCode, same.body).toBe(200);
    const kept = Article.parse(same.json()).sections[0]!.bullets[0]!;
    expect(kept.flag).toBeUndefined();
    expect(kept.edited?.by).toBe('reviewer');

    const wrong = await c.postJson(
      `/api/articles/${article.id}/bullets`,
      { section: 0, bullet: 0, text: `${original.text} In 97% of patients the pain went away for good.` },
      auth,
    );
    const flagged = Article.parse(wrong.json()).sections[0]!.bullets[0]!;
    expect(flagged.flag).toMatch(/97/);
    // Readers never see the flagged statement.
    const page = await c.get(`/articles/${article.id}`);
    expect(page.body).not.toContain('97% of patients');
  });

  it('sends an approved article back for review when a cited source changes', async () => {
    const tmp = tempDir();
    onTestFinished(() => tmp.cleanup());
    const c = new Client(web.server);
    const auth = { authorization: `Bearer ${token}` };
    const article = Article.parse((await c.postJson('/api/ask', { question: EXAMPLE_QUESTION })).json());
    await c.postJson(`/api/articles/${article.id}/transitions`, { to: 'under_review' }, auth);
    await c.postJson(`/api/articles/${article.id}/transitions`, { to: 'approved' }, auth);
    // Re-import the guideline it cites with one sentence added: a new version of that source.
    const cited = article.references.find((r) => r.documentId === 'md:bvn-ablation-guideline')?.documentId;
    expect(cited).toBeDefined();
    const changed = join(tmp.dir, 'bvn-ablation-guideline.md');
    writeFileSync(
      changed,
      `${readFileSync(join(SAMPLE_LIBRARY, 'bvn-ablation-guideline.md'), 'utf8')}\nA closing sentence added for a new version.\n`,
    );
    const [report] = await web.app.ingest([changed]);
    expect(report?.updated).toBe(1);
    const now = Article.parse((await c.get(`/api/articles/${article.id}`)).json());
    expect(now.review.status).toBe('submitted');
    expect(now.review.flag).toContain(cited);
    expect(now.review.approvedAt).toBeDefined();
  });

  it('answers errors as JSON with a code and a message, never a stack trace', async () => {
    const c = new Client(web.server);
    const missing = await c.get('/api/articles/a-0000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    const bad = await c.postJson('/api/ask', { question: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INPUT_INVALID');
    const broken = await web.server.inject({
      method: 'POST',
      url: '/api/ask',
      payload: '{"question": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).not.toMatch(/\n\s+at /);
    const badToken = await c.get('/api/articles', { authorization: 'Bearer evt_nonsense' });
    expect(badToken.statusCode).toBe(401);
    expect(badToken.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('describes itself in an OpenAPI document', async () => {
    const doc = (await new Client(web.server).get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/ask', '/api/articles', '/api/articles/{id}', '/api/articles/{id}/transitions']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.schemas.Article.required).toContain('references');
    expect(doc.components.schemas.AskBody.properties.threadId).toBeDefined();
  });
});

describe('security of the web application', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  beforeAll(async () => {
    web = await startWeb({ askLimit: { max: 3, timeWindowMs: 60_000 } });
  });
  afterAll(() => web.stop());

  it('sends a Content-Security-Policy without inline script, and hardened cookies', async () => {
    const c = new Client(web.server);
    const home = await c.get('/');
    const csp = String(home.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    await c.signIn('editor');
    const login = await web.server.inject({
      method: 'POST',
      url: '/login',
      payload: new URLSearchParams({
        username: 'editor',
        password: 'editor-pass-123',
        _csrf: await c.csrf('/login'),
      }).toString(),
      headers: { cookie: c.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const session = login.cookies.find((k) => k.name === 'evidentia_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
  });

  it('refuses POSTs without a valid CSRF token', async () => {
    const c = new Client(web.server);
    expect((await c.postForm('/ask', { question: 'What is cystitis?' }, null)).statusCode).toBe(403);
    expect((await c.postForm('/ask', { question: 'What is cystitis?' }, 'forged-token')).statusCode).toBe(403);
    const reviewer = new Client(web.server);
    await reviewer.signIn('reviewer');
    const article = await web.app.ask(EXAMPLE_QUESTION, 'clinician');
    const noToken = await reviewer.postForm(`/review/${article.id}/transition`, { to: 'under_review' }, null);
    expect(noToken.statusCode).toBe(403);
    const jsonNoToken = await reviewer.postJson(`/api/articles/${article.id}/transitions`, { to: 'under_review' });
    expect(jsonNoToken.statusCode).toBe(403);
    expect(jsonNoToken.json().error.code).toBe('FORBIDDEN');
    // Another visitor's token does not work with this visitor's cookies.
    const other = new Client(web.server);
    const stolen = await other.csrf();
    expect(
      (await reviewer.postForm(`/review/${article.id}/transition`, { to: 'under_review' }, stolen)).statusCode,
    ).toBe(403);
    expect((await web.app.editorial.get(article.id)).review.status).toBe('submitted');
    expect((await reviewer.postForm(`/review/${article.id}/transition`, { to: 'under_review' })).statusCode).toBe(303);
  });

  it('does not let a stranger sign in and does not say which part was wrong', async () => {
    const c = new Client(web.server);
    const wrong = await c.postForm(
      '/login',
      { username: 'reviewer', password: 'not-the-password' },
      await c.csrf('/login'),
    );
    const unknown = await c.postForm(
      '/login',
      { username: 'nobody', password: 'not-the-password' },
      await c.csrf('/login'),
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(c.cookie('evidentia_session')).toBeUndefined();
    expect(wrong.body).toContain('wrong username or password');
    expect(unknown.body).toContain('wrong username or password');
  });

  it('limits how often one client may ask', async () => {
    const c = new Client(web.server);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await c.postJson('/api/ask', { question: 'How is uncomplicated cystitis in women treated?' })).statusCode,
      );
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await c.postJson('/api/ask', { question: 'What is cystitis?' });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
  });

  it('records every state change in an audit log that only admins read', async () => {
    const admin = new Client(web.server);
    await admin.signIn('admin');
    const page = await admin.get('/admin');
    expect(page.statusCode).toBe(200);
    const entries = (await admin.get('/api/audit', { 'x-csrf-token': await admin.csrf() })).json().entries as Array<{
      action: string;
      actor: string;
    }>;
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['user.add', 'sign-in', 'article.create', 'article.under_review'])
      expect(actions, action).toContain(action);
    const editor = new Client(web.server);
    await editor.signIn('editor');
    expect((await editor.get('/api/audit')).statusCode).toBe(403);
  });
});
