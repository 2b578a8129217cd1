import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app/app.js';
import { parseReviewStatus } from '../../app/editorial-service.js';
import { requirePermission } from '../../app/accounts-service.js';
import type { Article } from '../../domain/article.js';
import { EvidentiaError } from '../../domain/errors.js';
import { Audience, MAX_QUESTION_LENGTH } from '../../domain/question.js';
import { labelledArticle } from '../../pipeline/render/render.js';

/** Validates a request part; a mismatch is the client's error with the first problem named. */
function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.');
    throw new EvidentiaError('INPUT_INVALID', `${where}${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export const AskBody = z
  .object({
    question: z.string().trim().min(2).max(MAX_QUESTION_LENGTH),
    audience: Audience.default('clinician'),
    threadId: z
      .string()
      .regex(/^t-[0-9a-f-]{36}$/)
      .optional(),
  })
  .strict();
export const TransitionBody = z
  .object({
    to: z.string(),
    comment: z.string().max(2000).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();
export const CommentBody = z.object({ text: z.string().min(1).max(2000) }).strict();
export const BulletBody = z
  .object({
    section: z.number().int().nonnegative(),
    bullet: z.number().int().nonnegative(),
    text: z.string().max(4000),
    version: z.number().int().positive().optional(),
  })
  .strict();
export const UserBody = z.object({ username: z.string(), password: z.string(), role: z.string() }).strict();
export const TokenBody = z.object({ label: z.string().min(1).max(80) }).strict();
export const ListQuery = z.object({
  q: z.string().max(200).optional(),
  topic: z.string().max(40).optional(),
  kind: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) });

/** What a list shows of each article. */
function summary(a: Article) {
  return {
    id: a.id,
    version: a.version,
    question: a.question,
    title: a.title ?? a.question,
    audience: a.audience,
    status: a.status,
    questionType: a.questionType,
    reviewStatus: a.review.status,
    approvedAt: a.review.approvedAt,
    updatedAt: a.updatedAt,
    references: a.references.length,
  };
}

export function registerApiRoutes(
  server: FastifyInstance,
  app: App,
  options: { askLimit: { max: number; timeWindowMs: number } },
): void {
  const askRateLimit = { rateLimit: { max: options.askLimit.max, timeWindow: options.askLimit.timeWindowMs } };

  server.post('/api/ask', { config: askRateLimit }, async (request) => {
    requirePermission(request.actor, 'ask');
    const body = parse(AskBody, request.body, 'body');
    const { article, threadId } = await app.askInThread(body.question, body.audience, {
      ...(body.threadId ? { threadId: body.threadId } : {}),
      by: request.actor.name,
    });
    return { ...labelledArticle(article), threadId };
  });

  server.get('/api/articles', async (request) => {
    const q = parse(ListQuery, request.query, 'query');
    const articles = await app.editorial.library({
      ...(q.q ? { text: q.q } : {}),
      ...(q.topic ? { topic: q.topic } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.status ? { status: parseReviewStatus(q.status) } : {}),
      ...(q.since ? { since: q.since } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    });
    return { articles: articles.map(summary) };
  });

  server.get('/api/articles/:id', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const { version } = parse(
      z.object({ version: z.coerce.number().int().positive().optional() }),
      request.query,
      'query',
    );
    return labelledArticle(await app.editorial.get(id, version));
  });

  server.get('/api/articles/:id/versions', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    requirePermission(request.actor, 'review.queue');
    return { versions: await app.editorial.versions(id) };
  });

  server.get('/api/articles/:id/diff', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const q = parse(
      z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() }),
      request.query,
      'query',
    );
    return { from: q.from, to: q.to, parts: await app.editorial.diff(request.actor, id, q.from, q.to) };
  });

  server.post('/api/articles/:id/transitions', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const body = parse(TransitionBody, request.body, 'body');
    return app.editorial.transition(request.actor, id, parseReviewStatus(body.to), body.comment, body.version);
  });

  server.post('/api/articles/:id/comments', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const body = parse(CommentBody, request.body, 'body');
    return app.editorial.comment(request.actor, id, body.text);
  });

  server.post('/api/articles/:id/bullets', async (request) => {
    const { id } = parse(IdParam, request.params, 'path');
    const body = parse(BulletBody, request.body, 'body');
    return app.editorial.editBullet(
      request.actor,
      id,
      { section: body.section, bullet: body.bullet },
      body.text,
      body.version,
    );
  });

  server.get('/api/review/queue', async (request) => ({
    articles: (await app.editorial.queue(request.actor)).map(summary),
  }));

  server.get('/api/threads/:id', async (request) => {
    const { id } = parse(z.object({ id: z.string().max(80) }), request.params, 'path');
    const thread = await app.thread(id);
    if (!thread) throw new EvidentiaError('NOT_FOUND', `no conversation ${id}`);
    return thread;
  });

  server.get('/api/me', async (request) => ({ name: request.actor.name, role: request.actor.role }));

  server.post('/api/tokens', async (request) => {
    const body = parse(TokenBody, request.body, 'body');
    return app.accounts.createApiToken(request.actor, body.label);
  });

  server.get('/api/users', async (request) => ({ users: await app.accounts.listUsers(request.actor) }));

  server.post('/api/users', async (request, reply) => {
    const body = parse(UserBody, request.body, 'body');
    const user = await app.accounts.addUser(body, request.actor);
    return reply.status(201).send(user);
  });

  server.get('/api/audit', async (request) => {
    const { limit } = parse(
      z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
      request.query,
      'query',
    );
    return { entries: await app.accounts.readAudit(request.actor, limit) };
  });
}
