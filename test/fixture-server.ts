import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer the server gives: status, body, headers. */
export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  /** performance.now() when the request arrived. */
  at: number;
}

/**
 * A local HTTP server on 127.0.0.1 (port 0) for connector tests. `route` answers each request;
 * `inject` queues replies (429s, 5xx, error bodies, dropped connections) served before routing.
 */
export interface FixtureServer {
  url: string;
  requests: RecordedRequest[];
  inject(...replies: Array<Reply | 'drop'>): void;
  close(): Promise<void>;
}

export async function startFixtureServer(route: (request: RecordedRequest) => Reply): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const injected: Array<Reply | 'drop'> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST')
        for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString())) params.set(k, v);
      const request = { method: req.method ?? 'GET', path: url.pathname, params, at: performance.now() };
      requests.push(request);
      const next = injected.shift();
      if (next === 'drop') {
        req.socket.destroy();
        return;
      }
      const reply = next ?? route(request);
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    inject: (...replies) => injected.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
