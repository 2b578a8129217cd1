import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../../app/app.js';
import { ANONYMOUS, type Actor } from '../../domain/account.js';
import { EvidentiaError } from '../../domain/errors.js';
import { errorPage } from '../web/pages.js';
import { registerWebRoutes } from '../web/routes.js';
import { STYLESHEET } from '../web/stylesheet.js';
import { registerApiRoutes } from './api.js';
import { clientErrorResponse, toApiError } from './errors.js';
import { OPENAPI_DOCUMENT } from './openapi.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: a signed-in account, an API token's owner, or an anonymous reader. */
    actor: Actor;
    /** How the actor was recognised. */
    via: 'anonymous' | 'session' | 'api';
  }
}

export const SESSION_COOKIE = 'evidentia_session';
export const AUDIENCE_COOKIE = 'evidentia_audience';

export interface ServerOptions {
  /** Mark cookies Secure (default true; browsers accept Secure cookies from http://localhost). */
  secureCookies?: boolean;
  /** Questions one client may ask per window (POST /ask, follow-ups and POST /api/ask). */
  askLimit?: { max: number; timeWindowMs: number };
  logger?: boolean;
}

export const DEFAULT_ASK_LIMIT = { max: 20, timeWindowMs: 60_000 } as const;

/** The Content-Security-Policy: everything from this origin only, no inline script or style. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  connectSrc: ["'self'"],
  upgradeInsecureRequests: null,
};

/** Cookie settings shared by every cookie the application sets. */
export function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Builds the web application and JSON API on one Fastify instance (not yet listening). */
export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const secure = options.secureCookies ?? true;
  const askLimit = options.askLimit ?? DEFAULT_ASK_LIMIT;
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    trustProxy: false,
    // Requests refused before routing (a URL that does not decode, a path parameter too long)
    // and requests Node cannot parse still get the application's own error answer.
    frameworkErrors: (error, request, reply) => {
      const e = toApiError(error);
      sendError(request, reply, e.status, e.code, e.message);
    },
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(error.code));
      socket.destroy(error);
    },
  });

  await server.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES } });
  await server.register(cookie);
  await server.register(formbody);
  await server.register(csrf, { cookieOpts: cookieOptions(secure) });
  await server.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new EvidentiaError('RATE_LIMITED', `too many requests: try again in ${context.after}`);
      return Object.assign(error, { statusCode: 429 });
    },
  });

  // Fastify decorations must start as null; the hook below sets the real value on each request.
  server.decorateRequest('actor', null as unknown as Actor);
  server.decorateRequest('via', 'anonymous');

  // Recognise the actor: an API token in Authorization, else a session cookie, else a reader.
  server.addHook('onRequest', async (request, reply) => {
    let actor: Actor = ANONYMOUS;
    let via: FastifyRequest['via'] = 'anonymous';
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const found = match?.[1] ? await app.accounts.authenticate(match[1], 'api') : null;
      if (!found) throw new EvidentiaError('UNAUTHENTICATED', 'the API token is unknown or expired');
      actor = found;
      via = 'api';
    } else {
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) {
        const found = await app.accounts.authenticate(secret, 'session');
        if (found) {
          actor = found;
          via = 'session';
        } else reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    request.actor = actor;
    request.via = via;
  });

  // Every state-changing request from a browser carries a CSRF token. Requests authenticated by
  // an API token are exempt (browsers never add that header by themselves), as are anonymous
  // JSON API calls, which browsers cannot send cross-site without a CORS preflight we never grant.
  server.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    if (request.via === 'api') return done();
    if (isApi(request) && request.via === 'anonymous' && jsonBody(request)) return done();
    server.csrfProtection(request, reply, done);
  });

  server.setErrorHandler((error, request, reply) => {
    const e = toApiError(error);
    if (e.status >= 500) request.log.error(error);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    sendError(request, reply, e.status, e.code, e.message);
  });
  server.setNotFoundHandler((request, reply) => {
    sendError(request, reply, 404, 'NOT_FOUND', `nothing at ${request.url.split('?')[0]}`);
  });

  server.get('/style.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  server.get('/openapi.json', async () => OPENAPI_DOCUMENT);
  // Liveness: the process answers. Readiness: it can also reach the library's database, so a
  // load balancer stops routing to an instance whose database is gone without restarting it.
  server.get('/healthz', async () => ({ ok: true }));
  server.get('/readyz', async () => {
    await app.ready();
    return { ok: true };
  });

  registerWebRoutes(server, app, { secure, askLimit });
  registerApiRoutes(server, app, { askLimit });
  return server;
}

function jsonBody(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string): void {
  if (isApi(request) || request.url === '/openapi.json' || request.url === '/readyz') {
    void reply.status(status).send({ error: { code, message } });
    return;
  }
  let csrf = '';
  try {
    csrf = reply.generateCsrf();
  } catch {
    // A page about an error still renders without forms that work.
  }
  void reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(errorPage({ actor: request.actor ?? ANONYMOUS, csrf }, status, message));
}
