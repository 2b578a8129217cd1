import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { EXAMPLE_QUESTION, SAMPLE_LIBRARY } from './helpers.js';
import { PG_BIN, startOwnCluster, type OwnCluster } from './postgres-cluster.js';
import { HttpClient, startServe, type ServeProcess } from './serve-process.js';

const PASSWORD = 'outage-password-123';

if (!PG_BIN && process.env['CI']) throw new Error('CI must have PostgreSQL installed (apt-get install postgresql)');

describe.skipIf(!PG_BIN)('PostgreSQL stopped under a running evidentia serve', () => {
  let cluster: OwnCluster;
  let server: ServeProcess;
  let articleId = '';

  beforeAll(async () => {
    cluster = await startOwnCluster();
    const app = openApp(loadConfig({ databaseUrl: cluster.url }));
    try {
      await app.ingest([SAMPLE_LIBRARY]);
      await app.accounts.addUser({ username: 'rita', password: PASSWORD, role: 'reviewer' }, 'cli');
      articleId = (await app.ask(EXAMPLE_QUESTION, 'clinician')).id;
    } finally {
      await app.close();
    }
    server = await startServe([], { DATABASE_URL: cluster.url });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.destroy();
  });

  /** The requests a reader, a reviewer and an API client make, each checked the same way. */
  function requests(reviewer: HttpClient, reader: HttpClient) {
    return [
      { name: 'GET /api/articles/:id', api: true, send: () => reader.get(`/api/articles/${articleId}`) },
      { name: 'GET /api/articles', api: true, send: () => reader.get('/api/articles?q=nerve') },
      {
        name: 'POST /api/ask',
        api: true,
        send: () => reader.postJson('/api/ask', { question: 'How is uncomplicated cystitis in women treated?' }),
      },
      { name: 'GET /api/review/queue (session)', api: true, send: () => reviewer.get('/api/review/queue') },
      { name: 'GET /articles/:id', api: false, send: () => reader.get(`/articles/${articleId}`) },
      { name: 'GET /review/:id (session)', api: false, send: () => reviewer.get(`/review/${articleId}`) },
    ];
  }

  it('answers 503 with Retry-After while the database is down, and serves again once it is back', async () => {
    const reviewer = new HttpClient(server.base);
    const reader = new HttpClient(server.base);
    await reviewer.signIn('rita', PASSWORD);
    const all = requests(reviewer, reader);

    for (const r of all) {
      const response = await r.send();
      expect(response.status, `${r.name} before the outage`).toBe(200);
      await response.arrayBuffer();
    }

    // Questions in flight when the database goes away end in an answer or a clean 503, never a 500.
    const inFlight = Array.from({ length: 8 }, () =>
      reader
        .postJson('/api/ask', { question: EXAMPLE_QUESTION })
        .then(async (r) => ({ status: r.status, body: await r.text() })),
    );
    cluster.stop();
    for (const r of await Promise.all(inFlight)) {
      expect([200, 503], r.body.slice(0, 300)).toContain(r.status);
      if (r.status === 503) expect(JSON.parse(r.body).error.code).toBe('STORE_UNAVAILABLE');
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const r of all) {
        const response = await r.send();
        const body = await response.text();
        expect(response.status, `${r.name} while down: ${body.slice(0, 300)}`).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(body).not.toMatch(/\n\s+at |ECONNREFUSED|127\.0\.0\.1|postgres/i);
        if (r.api) {
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          expect(JSON.parse(body)).toEqual({
            error: { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/unavailable.*try again/i) },
          });
        } else {
          expect(response.headers.get('content-type')).toMatch(/^text\/html/);
          expect(body).toMatch(/<h1>[^<]*unavailable[^<]*<\/h1>/i);
          expect(body).toMatch(/try again/i);
        }
      }
    }
    expect(server.child.exitCode).toBeNull();
    const health = await reader.get('/healthz');
    expect(health.status).toBe(200);
    await health.arrayBuffer();
    const notReady = await reader.get('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      error: { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/unavailable.*try again/i) },
    });

    cluster.start();
    for (const r of all) {
      const response = await r.send();
      const body = await response.text();
      expect(response.status, `${r.name} after the database is back: ${body.slice(0, 300)}`).toBe(200);
    }
    const ready = await reader.get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
    // The same process served before, during and after the outage.
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
