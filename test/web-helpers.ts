import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import type { AccountRole } from '../src/domain/account.js';
import { buildServer, type ServerOptions } from '../src/surfaces/http/server.js';
import { SAMPLE_LIBRARY, tempDir } from './helpers.js';

export const PASSWORDS: Readonly<Record<AccountRole, string>> = {
  editor: 'editor-pass-123',
  reviewer: 'reviewer-pass-123',
  admin: 'admin-pass-12345',
};

/** A real app on a fresh SQLite file with the sample library and one account per role. */
export async function startWeb(options: ServerOptions = {}): Promise<{
  app: App;
  server: FastifyInstance;
  stop: () => Promise<void>;
}> {
  const tmp = tempDir('evidentia-web-');
  const app = openApp(loadConfig({ dbPath: join(tmp.dir, 'web.db') }));
  await app.ingest([SAMPLE_LIBRARY]);
  for (const role of ['editor', 'reviewer', 'admin'] as const) {
    await app.accounts.addUser({ username: role, password: PASSWORDS[role], role }, 'cli');
  }
  const server = await buildServer(app, options);
  return {
    app,
    server,
    stop: async () => {
      await server.close();
      await app.close();
      tmp.cleanup();
    },
  };
}

/** A browser-like client for inject(): keeps cookies and reads CSRF tokens from pages. */
export class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly server: FastifyInstance) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.server.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, ...headers } }),
    );
  }

  /** The CSRF token of the form on `url` (a page read as this client). */
  async csrf(url = '/'): Promise<string> {
    const page = await this.get(url);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!match?.[1]) throw new Error(`no CSRF field on ${url} (status ${page.statusCode})`);
    return match[1];
  }

  /** Posts a form; `_csrf` is added from a fresh page unless given (pass null to leave it out). */
  async postForm(url: string, fields: Record<string, string>, csrf?: string | null): Promise<LightMyRequestResponse> {
    const token = csrf === undefined ? await this.csrf() : csrf;
    const body = new URLSearchParams({ ...fields, ...(token === null ? {} : { _csrf: token }) }).toString();
    return this.keep(
      await this.server.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }

  async postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.server.inject({
        method: 'POST',
        url,
        payload: JSON.stringify(body),
        headers: { cookie: this.cookieHeader, 'content-type': 'application/json', ...headers },
      }),
    );
  }

  async signIn(role: AccountRole): Promise<void> {
    const r = await this.postForm(
      '/login',
      { username: role, password: PASSWORDS[role], next: '/' },
      await this.csrf('/login'),
    );
    if (r.statusCode !== 303) throw new Error(`sign-in as ${role} failed: ${r.statusCode}`);
  }
}
