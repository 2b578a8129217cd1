import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { openApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import type { Store } from '../src/ports/store.js';
import {
  apiRequest,
  describeRequest,
  expectCleanApiAnswer,
  routesOf,
  type FuzzFixtures,
  type FuzzRequest,
  type Route,
} from './api-fuzz.js';
import { EXAMPLE_QUESTION, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { PASSWORDS, startWeb } from './web-helpers.js';

/** Cases per run: EVIDENTIA_FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env['EVIDENTIA_FUZZ_RUNS'] ?? 700);
const RUNS_OVER_HTTP = Math.max(50, Math.round(RUNS / 4));

/** What a refused request must leave as it was: articles and their versions, users, the audit trail. */
async function snapshot(store: Store): Promise<string> {
  const articles = (await store.listArticles({ limit: 100_000 })).map((a) => `${a.id}@${a.version}`).sort();
  const users = (await store.listUsers()).map((u) => `${u.username}:${u.role}`).sort();
  const audit = await store.listAudit({ limit: 1 });
  return JSON.stringify({ articles, users, audit });
}

/** Tokens for each role, an article and a conversation the fuzzer can aim at. */
async function fixturesOf(app: App): Promise<FuzzFixtures> {
  const { article, threadId } = await app.askInThread(EXAMPLE_QUESTION, 'clinician', { by: 'reviewer' });
  const token = async (role: 'reviewer' | 'editor' | 'admin') => {
    const { secret } = await app.accounts.signIn(role, PASSWORDS[role]);
    const actor = await app.accounts.authenticate(secret, 'session');
    return (await app.accounts.createApiToken(actor!, 'fuzz')).token;
  };
  return {
    articleId: article.id,
    threadId,
    tokens: { reviewer: await token('reviewer'), editor: await token('editor'), admin: await token('admin') },
  };
}

/** Tallies statuses so the closing line says what the fuzzer reached. */
function tally(counts: Map<number, number>, status: number): void {
  counts.set(status, (counts.get(status) ?? 0) + 1);
}

describe('every API route against hostile requests, in process', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;
  let fixtures: FuzzFixtures;
  let routes: Route[];

  beforeAll(async () => {
    web = await startWeb({ askLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
    fixtures = await fixturesOf(web.app);
    routes = routesOf((await web.server.inject({ method: 'GET', url: '/openapi.json' })).json());
  }, 60_000);
  afterAll(() => web.stop());

  it('lists the routes it fuzzes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/ask' });
    expect(routes).toContainEqual({ method: 'POST', path: '/api/articles/{id}/transitions' });
  });

  it('answers every request with clean JSON, never a 5xx, and keeps nothing from a refused write', async () => {
    const counts = new Map<number, number>();
    const startHeap = process.memoryUsage().heapUsed;
    let peakHeap = startHeap;
    await fc.assert(
      fc.asyncProperty(apiRequest(routes, fixtures), async (request: FuzzRequest) => {
        const before = request.method === 'GET' ? '' : await snapshot(web.app.store);
        const response = await web.server.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.body ? { payload: request.body } : {}),
        });
        tally(counts, response.statusCode);
        expectCleanApiAnswer(request, response.statusCode, String(response.headers['content-type']), response.body);
        if (request.method !== 'GET' && response.statusCode >= 400) {
          expect(await snapshot(web.app.store), describeRequest(request)).toBe(before);
        }
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }),
      { numRuns: RUNS },
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `API fuzz (in process): ${total} requests over ${routes.length} routes; statuses ${JSON.stringify(Object.fromEntries([...counts].sort()))}; heap ${(startHeap / 1e6).toFixed(0)} -> peak ${(peakHeap / 1e6).toFixed(0)} MB`,
    );
    expect(total).toBe(RUNS);
    // The fuzzer got past validation as well as being refused by it.
    expect(counts.get(200) ?? 0).toBeGreaterThan(0);
    expect(counts.get(400) ?? 0).toBeGreaterThan(0);
    // Bounded memory: a 1 MB question or a deep document never costs more than a few copies of itself.
    expect(peakHeap - startHeap).toBeLessThan(400e6);
    expect((await web.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  }, 600_000);
});

/** Resident memory of a process in bytes, from /proc. */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

describe('every API route against hostile requests, over HTTP to evidentia serve', () => {
  const tmp = tempDir('evidentia-fuzz-http-');
  const db = join(tmp.dir, 'fuzz.db');
  let server: ServeProcess;
  let fixtures: FuzzFixtures;
  let store: Store;
  let routes: Route[];

  beforeAll(async () => {
    const app = openApp(loadConfig({ dbPath: db }));
    try {
      await app.ingest([SAMPLE_LIBRARY]);
      for (const role of ['editor', 'reviewer', 'admin'] as const)
        await app.accounts.addUser({ username: role, password: PASSWORDS[role], role }, 'cli');
      fixtures = await fixturesOf(app);
    } finally {
      await app.close();
    }
    server = await startServe(['--db', db], {});
    store = openSqliteStore(db);
    routes = routesOf((await (await fetch(`${server.base}/openapi.json`)).json()) as Parameters<typeof routesOf>[0]);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    tmp.cleanup();
  });

  it('stays up, answers clean JSON and keeps its memory bounded', async () => {
    const pid = server.child.pid!;
    const rss = [rssOf(pid)];
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(apiRequest(routes, fixtures), async (request: FuzzRequest) => {
        const before = request.method === 'GET' ? '' : await snapshot(store);
        const response = await fetch(server.base + request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body ? { body: new Uint8Array(request.body) } : {}),
        });
        const text = await response.text();
        expectCleanApiAnswer(request, response.status, response.headers.get('content-type') ?? '', text);
        if (request.method !== 'GET' && response.status >= 400) {
          expect(await snapshot(store), describeRequest(request)).toBe(before);
        }
        if (++sent % 25 === 0) rss.push(rssOf(pid));
      }),
      { numRuns: RUNS_OVER_HTTP },
    );
    rss.push(rssOf(pid));
    console.log(
      `API fuzz (over HTTP): ${sent} requests; server RSS ${rss.map((b) => (b / 1e6).toFixed(0)).join(' -> ')} MB`,
    );
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect(Math.max(...rss)).toBeLessThan(1e9);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  }, 600_000);
});
