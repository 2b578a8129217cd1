import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFixtureServer,
  type FixtureServer,
  type RecordedRequest,
  type Reply,
} from '../../../test/fixture-server.js';
import { EvidentiaError } from '../../domain/errors.js';
import { collect } from '../common/collect.js';
import { EutilsClient, parseEsearch, type EutilsSettings } from './eutils-client.js';
import { createRateLimiter } from './rate-limiter.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = path.resolve(repoRoot, '../shared/data/ncbi_eutils_fixtures');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

// efetch pages of two records each, served in order from the recorded PubMed XML responses.
const PAGES = ['biopython/pubmed1.xml', 'biopython/pubmed2.xml', 'biopython/pubmed4.xml', 'biopython/pubmed5.xml'];

function route(request: RecordedRequest): Reply {
  if (request.path.endsWith('/esearch.fcgi')) return { body: fixture('biopython/esearch2.xml') };
  if (request.path.endsWith('/efetch.fcgi')) {
    const page = PAGES[Number(request.params.get('retstart') ?? 0) / 2];
    return page === undefined ? { status: 404, body: 'no such page' } : { body: fixture(page) };
  }
  return { status: 404, body: 'unknown tool' };
}

async function failure(run: () => Promise<unknown>): Promise<EvidentiaError> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvidentiaError);
  return error as EvidentiaError;
}

const pmids = (items: Awaited<ReturnType<typeof collect>>) =>
  items.map((i) => ((i as { op: string }).op === 'put' ? (i as { document: { pmid: string } }).document.pmid : '?'));

describe.skipIf(!existsSync(fixtures))(
  'PubMed E-utilities client against recorded responses (needs ../shared/data)',
  () => {
    let server: FixtureServer;
    let settings: EutilsSettings;
    beforeEach(async () => {
      server = await startFixtureServer(route);
      // A fast limiter and short back-off keep the test quick; the rate itself is tested below.
      settings = {
        baseUrl: `${server.url}entrez/eutils`,
        tool: 'evidentia-test',
        email: 'ops@example.org',
        apiKey: 'k3y',
        batchSize: 2,
        attempts: 4,
        baseDelayMs: 1,
        limiter: createRateLimiter(1000),
      };
    });
    afterEach(() => server.close());

    it('searches with history, then fetches the hits in batches with tool, email and api_key', async () => {
      const items = await collect(new EutilsClient(settings).search('cancer', 5));
      expect(pmids(items)).toEqual(['12091962', '9997', '11748933', '11700088', '27797938']);
      const [search, ...fetches] = server.requests;
      expect(search?.path).toBe('/entrez/eutils/esearch.fcgi');
      expect(Object.fromEntries(search?.params ?? [])).toEqual({
        db: 'pubmed',
        term: 'cancer',
        usehistory: 'y',
        retmax: '2',
        tool: 'evidentia-test',
        email: 'ops@example.org',
        api_key: 'k3y',
      });
      expect(fetches.map((r) => [r.path, r.params.get('retstart'), r.params.get('retmax')])).toEqual([
        ['/entrez/eutils/efetch.fcgi', '0', '2'],
        ['/entrez/eutils/efetch.fcgi', '2', '2'],
        ['/entrez/eutils/efetch.fcgi', '4', '1'],
      ]);
      for (const f of fetches) {
        expect(f.params.get('WebEnv')).toBe('MCID_6927d6e7fee3e90f880ec190');
        expect(f.params.get('query_key')).toBe('1');
        expect(f.params.get('retmode')).toBe('xml');
      }
    });

    it('retries 429 (with Retry-After), 5xx and a dropped connection, then succeeds', async () => {
      server.inject(
        { status: 429, body: '{"error":"API rate limit exceeded","count":"11"}', headers: { 'retry-after': '0' } },
        { status: 503, body: '<html><body>Service Temporarily Unavailable</body></html>' },
        'drop',
      );
      const items = await collect(new EutilsClient(settings).search('cancer', 2));
      expect(pmids(items)).toEqual(['12091962', '9997']);
      expect(server.requests.map((r) => r.path.split('/').pop())).toEqual([
        'esearch.fcgi',
        'esearch.fcgi',
        'esearch.fcgi',
        'esearch.fcgi',
        'efetch.fcgi',
      ]);
    });

    it('retries NCBI rate-limit bodies sent with status 200', async () => {
      server.inject({ body: '{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}' });
      const result = await new EutilsClient(settings).esearch('cancer', 2);
      expect(result.count).toBe(42249);
      expect(server.requests).toHaveLength(2);
    });

    it('gives up with a retryable UPSTREAM_UNAVAILABLE naming the last problem', async () => {
      server.inject(...Array.from({ length: 4 }, () => ({ status: 502, body: 'Bad Gateway' })));
      const error = await failure(() => collect(new EutilsClient(settings).search('cancer', 2)));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(
        'PubMed E-utilities did not answer after 4 attempts (last: HTTP 502: Bad Gateway); try again later',
      );
      expect(server.requests).toHaveLength(4);
      expect(JSON.stringify(error.details)).not.toContain('k3y');
    });

    it('does not retry a request NCBI refuses, and reports its ERROR text', async () => {
      server.inject({ status: 400, body: fixture('biopython/esummary8.xml') });
      const rejected = await failure(() => new EutilsClient(settings).esearch('cancer', 2));
      expect(rejected.code).toBe('UPSTREAM_REJECTED');
      expect(rejected.retryable).toBe(false);
      expect(rejected.message).toBe(
        'PubMed E-utilities refused the request: HTTP 400: Neither query_key nor id specified',
      );
      expect(server.requests).toHaveLength(1);

      server.inject({ body: fixture('biopython/epost2.xml') });
      const inBody = await failure(() => new EutilsClient(settings).esearch('cancer', 2));
      expect(inBody.message).toBe('PubMed E-utilities: Invalid db name specified: nothing');
    });

    it("reports a cut-off efetch answer as an upstream fault, not the user's", async () => {
      server.inject(
        { body: fixture('biopython/esearch2.xml') },
        { body: fixture('biopython/pubmed1.xml').slice(0, 3000) },
      );
      const error = await failure(() => collect(new EutilsClient(settings).search('cancer', 2)));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toMatch(/^malformed answer: PubMed efetch \(retstart 0\):\d+:\d+: /);
    });

    it('yields nothing for a search without hits', async () => {
      server.inject({ body: fixture('biopython/esearch8.xml') });
      expect(await collect(new EutilsClient(settings).search('abcXYZ', 10))).toEqual([]);
      expect(server.requests).toHaveLength(1);
    });

    it('keeps to 3 requests a second without a key and 10 with one (one shared limiter)', async () => {
      for (const [apiKey, perSecond] of [
        [undefined, 3],
        ['k3y', 10],
      ] as const) {
        const before = server.requests.length;
        const inner = createRateLimiter(perSecond);
        const released: number[] = [];
        // Records when the shared limiter lets each request go; the server's arrival times can
        // bunch up when this process is slow to send, so the spacing is checked where it is made.
        const limiter = { perSecond, take: () => inner.take().then(() => void released.push(performance.now())) };
        const clients = [1, 2].map(() => new EutilsClient({ ...settings, apiKey, limiter }));
        await Promise.all(clients.flatMap((c) => [1, 2, 3].map(() => c.esearch('cancer', 1))));
        expect(server.requests.length - before).toBe(6);
        expect(released).toHaveLength(6);
        const gaps = released.slice(1).map((t, i) => t - (released[i] as number));
        // Timers may fire a millisecond early, never a whole interval.
        for (const gap of gaps) expect(gap).toBeGreaterThan(1000 / perSecond - 2);
        // Six requests at `perSecond` take at least five intervals, start to end.
        expect((released.at(-1) as number) - (released[0] as number)).toBeGreaterThan((5 * 1000) / perSecond - 5);
      }
    });

    it('parses the esearch fields the client relies on', () => {
      expect(parseEsearch(fixture('biopython/esearch1.xml'))).toMatchObject({
        count: 63,
        translation: '"biopython"[All Fields]',
      });
      expect(parseEsearch(fixture('biopython/esearch1.xml')).ids).toHaveLength(20);
      expect(parseEsearch(fixture('biopython/esearch8.xml'))).toEqual({
        count: 0,
        ids: [],
        translation: '(abcXYZ[All Fields])',
      });
    });

    it('refuses an empty query and a bad --max before calling NCBI', async () => {
      expect((await failure(() => collect(new EutilsClient(settings).search('  ', 5)))).code).toBe('INPUT_INVALID');
      expect((await failure(() => collect(new EutilsClient(settings).search('x', 0)))).message).toMatch(/--max/);
      expect(server.requests).toHaveLength(0);
    });
  },
);
