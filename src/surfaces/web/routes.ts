import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app/app.js';
import { parseReviewStatus } from '../../app/editorial-service.js';
import { can, type Action } from '../../accounts/permissions.js';
import { EvidentiaError } from '../../domain/errors.js';
import { Audience, MAX_QUESTION_LENGTH, type Audience as AudienceT } from '../../domain/question.js';
import type { PageContext } from './layout.js';
import {
  accountPage,
  adminPage,
  articlePage,
  diffPage,
  homePage,
  libraryPage,
  loginPage,
  policyPage,
  queuePage,
  reviewPage,
  type LibraryQuery,
} from './pages.js';

const AUDIENCE_COOKIE = 'evidentia_audience';
const SESSION_COOKIE = 'evidentia_session';
const AUDIENCE_MAX_AGE_S = 365 * 24 * 60 * 60;

interface WebOptions {
  secure: boolean;
  askLimit: { max: number; timeWindowMs: number };
}

/** Parses a form body with a schema; a mismatch is the user's error, said in one line. */
function form<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidentiaError('INPUT_INVALID', `${issue?.path.join('.') || 'form'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const QuestionField = z.string().trim().min(2, 'the question is empty').max(MAX_QUESTION_LENGTH);
const AskForm = z.object({ question: QuestionField, audience: Audience.optional() });
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) });
const Version = z.coerce.number().int().positive();

/** Only same-site relative paths are followed after sign-in (no open redirects). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : '/';
}

export function registerWebRoutes(server: FastifyInstance, app: App, options: WebOptions): void {
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.secure };
  const askRateLimit = { rateLimit: { max: options.askLimit.max, timeWindow: options.askLimit.timeWindowMs } };

  const ctx = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    actor: request.actor,
    csrf: reply.generateCsrf(),
  });
  const audienceOf = (request: FastifyRequest): AudienceT => {
    const parsed = Audience.safeParse(request.cookies[AUDIENCE_COOKIE]);
    return parsed.success ? parsed.data : 'clinician';
  };
  const rememberAudience = (reply: FastifyReply, audience: AudienceT) =>
    reply.setCookie(AUDIENCE_COOKIE, audience, { ...cookieOpts, sameSite: 'lax', maxAge: AUDIENCE_MAX_AGE_S });
  const sendPage = (reply: FastifyReply, markup: string, status = 200) =>
    reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(markup);
  /** Pages for accounts only: a reader is sent to sign in, a signed-in user without the role is refused. */
  const gate = (request: FastifyRequest, reply: FastifyReply, action: Action): boolean => {
    if (can(request.actor.role, action)) return true;
    if (request.actor.role === 'reader') {
      void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return false;
    }
    throw new EvidentiaError('FORBIDDEN', `a ${request.actor.role} may not open this page`);
  };

  server.get('/', async (request, reply) => {
    const recent = await app.editorial.library({ status: 'approved', limit: 5 });
    return sendPage(reply, homePage(ctx(request, reply), audienceOf(request), recent));
  });

  // Related questions link here: the question is filled in, asking stays a POST.
  server.get('/ask', async (request, reply) => {
    const q = z.object({ q: z.string().max(MAX_QUESTION_LENGTH).optional() }).parse(request.query ?? {});
    return sendPage(reply, homePage(ctx(request, reply), audienceOf(request), [], { prefill: q.q ?? '' }));
  });

  server.post('/ask', { config: askRateLimit }, async (request, reply) => {
    const input = form(AskForm, request.body);
    const audience = input.audience ?? audienceOf(request);
    rememberAudience(reply, audience);
    const { article } = await app.askInThread(input.question, audience, { by: request.actor.name });
    return reply.redirect(`/articles/${article.id}`, 303);
  });

  server.get('/articles/:id', async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const article = await app.editorial.get(id);
    const thread = await app.threadOfArticle(id);
    return sendPage(reply, articlePage(ctx(request, reply), article, audienceOf(request), thread));
  });

  server.post('/articles/:id/audience', async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const { audience } = form(z.object({ audience: Audience }), request.body);
    rememberAudience(reply, audience);
    const target = await app.articleForAudience(id, audience, request.actor.name);
    return reply.redirect(`/articles/${target.id}`, 303);
  });

  server.post('/articles/:id/follow-up', { config: askRateLimit }, async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const { question } = form(z.object({ question: QuestionField }), request.body);
    const article = await app.editorial.get(id);
    const threadId = await app.threadFor(article);
    const { article: answer } = await app.askInThread(question, audienceOf(request), {
      threadId,
      by: request.actor.name,
    });
    return reply.redirect(`/articles/${answer.id}`, 303);
  });

  server.post('/audience', async (request, reply) => {
    const { audience } = form(z.object({ audience: Audience }), request.body);
    rememberAudience(reply, audience);
    return reply.redirect('/', 303);
  });

  server.get('/library', async (request, reply) => {
    const q = form(
      z.object({
        q: z.string().max(200).optional(),
        topic: z.string().max(40).optional(),
        kind: z.string().max(40).optional(),
        status: z.string().max(40).optional(),
        since: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional(),
      }),
      request.query,
    );
    const query: LibraryQuery = Object.fromEntries(Object.entries(q).filter(([, v]) => v));
    const articles = await app.editorial.library({
      ...(query.q ? { text: query.q } : {}),
      ...(query.topic ? { topic: query.topic } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.status ? { status: parseReviewStatus(query.status) } : {}),
      ...(query.since ? { since: query.since } : {}),
    });
    return sendPage(reply, libraryPage(ctx(request, reply), query, articles));
  });

  server.get('/policy', async (request, reply) => sendPage(reply, policyPage(ctx(request, reply))));

  server.get('/login', async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown } | undefined)?.next);
    return sendPage(reply, loginPage(ctx(request, reply), next));
  });

  // Slows password guessing: a few tries per client per minute (each try costs a scrypt hash too).
  server.post('/login', { config: { rateLimit: { max: 10, timeWindow: 60_000 } } }, async (request, reply) => {
    const input = form(
      z.object({ username: z.string().max(80), password: z.string().max(1000), next: z.string().optional() }),
      request.body,
    );
    try {
      const session = await app.accounts.signIn(input.username, input.password);
      reply.setCookie(SESSION_COOKIE, session.secret, { ...cookieOpts, expires: new Date(session.expiresAt) });
      // A fresh CSRF secret for the new identity.
      reply.clearCookie('_csrf', { path: '/' });
      return reply.redirect(safeNext(input.next), 303);
    } catch (error) {
      if (error instanceof EvidentiaError && error.code === 'UNAUTHENTICATED') {
        return sendPage(reply, loginPage(ctx(request, reply), safeNext(input.next), error.message), 401);
      }
      throw error;
    }
  });

  server.post('/logout', async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) await app.accounts.signOut(secret);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  server.get('/review', async (request, reply) => {
    if (!gate(request, reply, 'review.queue')) return reply;
    return sendPage(reply, queuePage(ctx(request, reply), await app.editorial.queue(request.actor)));
  });

  server.get('/review/:id', async (request, reply) => {
    if (!gate(request, reply, 'review.queue')) return reply;
    const { id } = form(IdParam, request.params);
    const article = await app.editorial.get(id);
    return sendPage(reply, reviewPage(ctx(request, reply), article, await app.editorial.versions(id)));
  });

  server.get('/review/:id/diff', async (request, reply) => {
    if (!gate(request, reply, 'review.queue')) return reply;
    const { id } = form(IdParam, request.params);
    const q = form(z.object({ from: Version, to: Version }), request.query);
    const parts = await app.editorial.diff(request.actor, id, q.from, q.to);
    return sendPage(reply, diffPage(ctx(request, reply), await app.editorial.get(id), q.from, q.to, parts));
  });

  server.post('/review/:id/transition', async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const input = form(
      z.object({ to: z.string(), comment: z.string().max(2000).optional(), version: Version.optional() }),
      request.body,
    );
    await app.editorial.transition(
      request.actor,
      id,
      parseReviewStatus(input.to),
      input.comment?.trim() || undefined,
      input.version,
    );
    return reply.redirect(`/review/${id}`, 303);
  });

  server.post('/review/:id/bullets', async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const input = form(
      z.object({
        section: z.coerce.number().int().nonnegative(),
        bullet: z.coerce.number().int().nonnegative(),
        text: z.string().max(4000),
        version: Version.optional(),
      }),
      request.body,
    );
    await app.editorial.editBullet(
      request.actor,
      id,
      { section: input.section, bullet: input.bullet },
      input.text,
      input.version,
    );
    return reply.redirect(`/review/${id}#b-${input.section}-${input.bullet}`, 303);
  });

  server.post('/review/:id/comment', async (request, reply) => {
    const { id } = form(IdParam, request.params);
    const { text } = form(z.object({ text: z.string().max(2000) }), request.body);
    await app.editorial.comment(request.actor, id, text);
    return reply.redirect(`/review/${id}`, 303);
  });

  server.get('/admin', async (request, reply) => {
    if (!gate(request, reply, 'users.manage')) return reply;
    const users = await app.accounts.listUsers(request.actor);
    const audit = await app.accounts.readAudit(request.actor, 200);
    return sendPage(reply, adminPage(ctx(request, reply), users, audit));
  });

  server.post('/admin/users', async (request, reply) => {
    const input = form(
      z.object({ username: z.string().max(80), password: z.string().max(1000), role: z.string().max(20) }),
      request.body,
    );
    const user = await app.accounts.addUser(input, request.actor);
    const users = await app.accounts.listUsers(request.actor);
    const audit = await app.accounts.readAudit(request.actor, 200);
    return sendPage(reply, adminPage(ctx(request, reply), users, audit, `Added ${user.username} (${user.role}).`));
  });

  server.get('/account', async (request, reply) => {
    if (!gate(request, reply, 'tokens.create')) return reply;
    return sendPage(reply, accountPage(ctx(request, reply)));
  });

  server.post('/account/tokens', async (request, reply) => {
    const { label } = form(z.object({ label: z.string().max(80) }), request.body);
    const token = await app.accounts.createApiToken(request.actor, label);
    return sendPage(reply, accountPage(ctx(request, reply), token));
  });
}
