import { z } from 'zod';
import { Article } from '../../domain/article.js';
import { AskBody, BulletBody, CommentBody, ListQuery, TokenBody, TransitionBody, UserBody } from './api.js';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const errors = {
  '400': { description: 'invalid input', ...json(ref('Error')) },
  '401': { description: 'not signed in, or the token is unknown', ...json(ref('Error')) },
  '403': { description: 'the role may not do this, or the CSRF token is missing', ...json(ref('Error')) },
  '404': { description: 'no such article', ...json(ref('Error')) },
  '409': { description: 'conflict: the article changed meanwhile or the move is not allowed', ...json(ref('Error')) },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const queryParams = Object.keys(ListQuery.shape).map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: name === 'limit' ? 'integer' : 'string' },
}));

/** The OpenAPI 3.1 description of the JSON API, served at /openapi.json. Schemas come from the code's own validators. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Evidentia API',
    version: '1',
    description:
      'Ask clinical questions and get cited answer articles; read, list and review them. Writes by signed-in browsers need the x-csrf-token header; programs use `Authorization: Bearer <token>` (create one on /account). Errors are `{ "error": { "code", "message" } }`.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Article: schema(Article, 'output'),
      AskBody: schema(AskBody),
      TransitionBody: schema(TransitionBody),
      CommentBody: schema(CommentBody),
      BulletBody: schema(BulletBody),
      UserBody: schema(UserBody),
      TokenBody: schema(TokenBody),
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
  security: [{}, { bearer: [] }],
  paths: {
    '/api/ask': {
      post: {
        summary: 'Answer a question (a follow-up when threadId is given); rate limited',
        requestBody: { required: true, ...json(ref('AskBody')) },
        responses: {
          '200': {
            description: 'the article, with the conversation id',
            ...json({ allOf: [ref('Article'), { type: 'object', properties: { threadId: { type: 'string' } } }] }),
          },
          '429': { description: 'too many questions', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/articles': {
      get: {
        summary: 'List articles with search and filters',
        parameters: queryParams,
        responses: { '200': { description: 'article summaries', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/articles/{id}': {
      get: {
        summary: 'One article (the current version, or ?version=n)',
        parameters: [idParam, { name: 'version', in: 'query', required: false, schema: { type: 'integer' } }],
        responses: { '200': { description: 'the article', ...json(ref('Article')) }, ...errors },
      },
    },
    '/api/articles/{id}/transitions': {
      post: {
        summary: 'Move an article through review (reviewers decide; editors start review and resubmit)',
        parameters: [idParam],
        requestBody: { required: true, ...json(ref('TransitionBody')) },
        responses: { '200': { description: 'the new version', ...json(ref('Article')) }, ...errors },
      },
    },
    '/api/articles/{id}/comments': {
      post: {
        summary: 'Comment on an article (editors, reviewers)',
        parameters: [idParam],
        requestBody: { required: true, ...json(ref('CommentBody')) },
        responses: { '200': { description: 'the new version', ...json(ref('Article')) }, ...errors },
      },
    },
    '/api/articles/{id}/bullets': {
      post: {
        summary: 'Edit a bullet; it is re-checked against its sources and flagged if it no longer matches',
        parameters: [idParam],
        requestBody: { required: true, ...json(ref('BulletBody')) },
        responses: { '200': { description: 'the new version', ...json(ref('Article')) }, ...errors },
      },
    },
    '/api/articles/{id}/versions': {
      get: {
        summary: 'Every version with author and time (editors, reviewers)',
        parameters: [idParam],
        responses: { '200': { description: 'versions', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/articles/{id}/diff': {
      get: {
        summary: 'Line diff between two versions (editors, reviewers)',
        parameters: [
          idParam,
          { name: 'from', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'to', in: 'query', required: true, schema: { type: 'integer' } },
        ],
        responses: { '200': { description: 'diff parts', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/review/queue': {
      get: {
        summary: 'Articles waiting for review',
        responses: { '200': { description: 'summaries', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/threads/{id}': {
      get: {
        summary: 'A conversation',
        parameters: [idParam],
        responses: { '200': { description: 'the thread', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/me': {
      get: {
        summary: 'Who the request acts as',
        responses: { '200': { description: 'name and role', ...json({ type: 'object' }) } },
      },
    },
    '/api/tokens': {
      post: {
        summary: 'Create an API token for the signed-in account (shown once)',
        requestBody: { required: true, ...json(ref('TokenBody')) },
        responses: { '200': { description: 'the token', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/users': {
      get: {
        summary: 'Accounts (admins)',
        responses: { '200': { description: 'users', ...json({ type: 'object' }) }, ...errors },
      },
      post: {
        summary: 'Create an account (admins)',
        requestBody: { required: true, ...json(ref('UserBody')) },
        responses: { '201': { description: 'the account', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/audit': {
      get: {
        summary: 'The audit log, newest first (admins)',
        responses: { '200': { description: 'entries', ...json({ type: 'object' }) }, ...errors },
      },
    },
  },
} as const;
