import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiEmbedder } from './openai-embeddings.js';

describe('OpenAI-compatible embeddings client (against a local server)', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ auth: string | undefined; body: { model: string; input: string[] } }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] };
        seen.push({ auth: req.headers.authorization, body });
        if (body.model === 'broken') {
          res.writeHead(500).end('{}');
          return;
        }
        if (body.model === 'unknown-model') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"model not found"}}');
          return;
        }
        if (body.model === 'short-answer') {
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ data: [{ index: 0, embedding: [1, 2] }] }));
          return;
        }
        // Vectors from the text length, listed in reverse order to check re-ordering by index.
        const data = body.input.map((text, index) => ({ index, embedding: [text.length, index, 1] })).reverse();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the texts with the model and key, and returns vectors in input order', async () => {
    const embedder = openAiEmbedder({ baseUrl, model: 'small-embedder', apiKey: 'k-1' });
    expect(await embedder.embed(['gout', 'asthma attack'])).toEqual([
      [4, 0, 1],
      [13, 1, 1],
    ]);
    expect(seen.at(-1)).toEqual({
      auth: 'Bearer k-1',
      body: { model: 'small-embedder', input: ['gout', 'asthma attack'] },
    });
  });

  it('asks nothing for no texts', async () => {
    const before = seen.length;
    expect(await openAiEmbedder({ baseUrl, model: 'm' }).embed([])).toEqual([]);
    expect(seen.length).toBe(before);
  });

  it('reports a failing or unreachable endpoint as UPSTREAM_UNAVAILABLE', async () => {
    await expect(openAiEmbedder({ baseUrl, model: 'broken' }).embed(['x'])).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    await expect(openAiEmbedder({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm' }).embed(['x'])).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it("reports a refused request as the user's to fix, naming the settings", async () => {
    await expect(openAiEmbedder({ baseUrl, model: 'unknown-model' }).embed(['x'])).rejects.toMatchObject({
      code: 'UPSTREAM_REJECTED',
      message: expect.stringMatching(/answered 404.*EVIDENTIA_EMBEDDINGS_MODEL/),
    });
  });

  it('refuses an answer with fewer vectors than texts', async () => {
    await expect(openAiEmbedder({ baseUrl, model: 'short-answer' }).embed(['a', 'b'])).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringMatching(/unexpected answer/),
    });
  });
});
