import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers.js';

export const BIN = join(REPO_ROOT, 'bin/evidentia.js');

/** A running `evidentia serve` child process and the address it listens on. */
export interface ServeProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote to stderr so far. */
  stderr: () => string;
  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `evidentia serve` on a free loopback port and waits until it says where it listens.
 * @param args extra arguments before `serve` (e.g. `--db file`)
 * @param env variables added to this process's environment (e.g. DATABASE_URL)
 * @param serveArgs extra arguments after `serve`
 */
export async function startServe(
  args: string[],
  env: Record<string, string>,
  serveArgs: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [BIN, ...args, 'serve', '--port', '0', '--no-secure-cookies', '--ask-limit', '100000', ...serveArgs],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s: ${err}`)), 60_000);
    child.stderr!.on('data', () => {
      const m = /serving on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
  return {
    child,
    base,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A browser-like client over real HTTP: keeps cookies, reads CSRF tokens from pages. */
export class HttpClient {
  private readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie ? { cookie } : {}), ...extra };
  }

  private keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await fetch(this.base + path, { headers: this.headers(headers), redirect: 'manual' }));
  }

  /** The CSRF token of the forms on `path`, read as this client. */
  async csrf(path = '/'): Promise<string> {
    const page = await (await this.get(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!match?.[1]) throw new Error(`no CSRF field on ${path}`);
    return match[1];
  }

  async postForm(path: string, fields: Record<string, string>, csrf: string): Promise<Response> {
    return this.keep(
      await fetch(this.base + path, {
        method: 'POST',
        body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
        headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        redirect: 'manual',
      }),
    );
  }

  async postJson(path: string, body: unknown, csrf?: string): Promise<Response> {
    return this.keep(
      await fetch(this.base + path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: this.headers({ 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) }),
        redirect: 'manual',
      }),
    );
  }

  /** Signs in through the login form; throws unless the server redirects as after a success. */
  async signIn(username: string, password: string): Promise<void> {
    const r = await this.postForm('/login', { username, password, next: '/' }, await this.csrf('/login'));
    await r.arrayBuffer();
    if (r.status !== 303) throw new Error(`sign-in as ${username} failed: HTTP ${r.status}`);
  }
}
