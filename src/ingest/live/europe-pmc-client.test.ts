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
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { allowsFullText, EuropePmcClient, stripMarkup, type EuropePmcSettings } from './europe-pmc-client.js';
import { createRateLimiter } from './rate-limiter.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const JATS_SAMPLE = path.resolve(repoRoot, '../shared/data/pmc_jats_samples/pone.0000217.xml');

// Search answers written for this test in the documented `resultType=core` JSON layout.
const OPEN_ARTICLE = {
  id: '17299597',
  source: 'MED',
  pmid: '17299597',
  pmcid: 'PMC1790863',
  doi: '10.1371/journal.pone.0000217',
  title: 'Quantifying Organismal Complexity using a Population Genetic Approach.',
  pubYear: '2007',
  abstractText:
    '<h4>Background</h4>Definitions of biological complexity disagree.<h4>Conclusions</h4>A fitness-based metric is proposed.',
  language: 'eng',
  journalInfo: { journal: { title: 'PloS one' } },
  pubTypeList: { pubType: ["Research Support, Non-U.S. Gov't", 'Journal Article'] },
  isOpenAccess: 'Y',
  license: 'cc by',
  fullTextUrlList: {
    fullTextUrl: [{ availabilityCode: 'OA', documentStyle: 'html', url: 'https://europepmc.org/articles/PMC1790863' }],
  },
};
const NON_COMMERCIAL_TRIAL = {
  id: '99000001',
  source: 'MED',
  pmid: '99000001',
  pmcid: 'PMC9900001',
  title: 'A made-up <i>randomised</i> trial record &amp; its abstract.',
  pubYear: '2021',
  abstractText: 'Adults were randomly assigned to drug A or placebo; pain fell by 2 points (95% CI 1&#x2013;3).',
  journalInfo: { journal: { title: 'Journal of Examples' } },
  pubTypeList: { pubType: ['Randomized Controlled Trial', 'Journal Article'] },
  meshHeadingList: { meshHeading: [{ majorTopic_YN: 'N', descriptorName: 'Low Back Pain' }] },
  grantsList: { grant: [{ grantId: 'G-1', agency: 'Example Foundation', orderIn: 0 }] },
  isOpenAccess: 'Y',
  license: 'cc by-nc',
};
const PREPRINT = {
  id: 'PPR000042',
  source: 'PPR',
  title: 'A preprint without a PMID',
  pubYear: '2024',
  abstractText: 'Only a short unstructured abstract.',
  isOpenAccess: 'N',
};

function page(results: unknown[], cursor: string, next: string): Reply {
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      version: '6.9',
      hitCount: 3,
      nextCursorMark: next,
      request: { queryString: 'q', resultType: 'core', cursorMark: cursor, pageSize: 2 },
      resultList: { result: results },
    }),
  };
}

function route(request: RecordedRequest): Reply {
  if (request.path === '/rest/search') {
    const cursor = request.params.get('cursorMark');
    if (cursor === '*') return page([OPEN_ARTICLE, NON_COMMERCIAL_TRIAL], '*', 'AoIIP4AAACgxNzI5OTU5Nw==');
    if (cursor === 'AoIIP4AAACgxNzI5OTU5Nw==') return page([PREPRINT], cursor, 'AoIIP4AAACVQUFIwMDAwNDI=');
    return page([], cursor ?? '', cursor ?? '');
  }
  if (request.path === '/rest/PMC1790863/fullTextXML') return { body: readFileSync(JATS_SAMPLE, 'utf8') };
  return { status: 404, body: '{"errCode":404,"errMsg":"not found"}' };
}

const docs = async (items: AsyncIterable<unknown>): Promise<SourceDocumentInput[]> =>
  (await collect(items)).map((i) => (i as { document: SourceDocumentInput }).document);

describe('Europe PMC client against hand-written answers on a local server', () => {
  let server: FixtureServer;
  let settings: EuropePmcSettings;
  beforeEach(async () => {
    server = await startFixtureServer(route);
    settings = {
      baseUrl: `${server.url}rest`,
      pageSize: 2,
      attempts: 3,
      baseDelayMs: 1,
      limiter: createRateLimiter(1000),
    };
  });
  afterEach(() => server.close());

  it('pages with cursorMark until the cursor stops moving, asking for core results', async () => {
    const found = await docs(new EuropePmcClient(settings).search('complexity', 10));
    expect(found.map((d) => d.id)).toEqual(['pmid:17299597', 'pmid:99000001', 'epmc:ppr:PPR000042']);
    const searches = server.requests.filter((r) => r.path === '/rest/search');
    expect(searches.map((r) => r.params.get('cursorMark'))).toEqual([
      '*',
      'AoIIP4AAACgxNzI5OTU5Nw==',
      'AoIIP4AAACVQUFIwMDAwNDI=',
    ]);
    for (const s of searches) {
      expect(s.params.get('resultType')).toBe('core');
      expect(s.params.get('format')).toBe('json');
      expect(s.params.get('query')).toBe('complexity');
    }
    for (const d of found) expect(SourceDocument.safeParse(d).success).toBe(true);
  });

  it('maps abstracts, publication types, licence, MeSH and grants', async () => {
    const [open, trial, preprint] = await docs(new EuropePmcClient(settings).search('complexity', 10));
    expect(open?.sections?.map((s) => s.heading)).toEqual(['Background', 'Conclusions']);
    expect(open?.text).toBe('Definitions of biological complexity disagree.\n\nA fitness-based metric is proposed.');
    expect(open?.licence).toBe('cc by');
    expect(trial).toMatchObject({
      title: 'A made-up randomised trial record & its abstract.',
      kind: 'rct',
      kindRule: 'publication type: randomized controlled trial',
      source: 'Journal of Examples',
      year: 2021,
      meshTerms: ['Low Back Pain'],
      funding: ['G-1 / Example Foundation'],
      url: 'https://pubmed.ncbi.nlm.nih.gov/99000001/',
    });
    expect(trial?.text).toBe('Adults were randomly assigned to drug A or placebo; pain fell by 2 points (95% CI 1–3).');
    expect(preprint?.sections).toEqual([{ heading: 'Abstract', start: 0, end: 35 }]);
    expect(preprint?.pmid).toBeUndefined();
  });

  // The full text served is a real CC BY PMC article from ../shared/data.
  it.skipIf(!existsSync(JATS_SAMPLE))('fetches open-access full text only where the licence allows it', async () => {
    const found = await docs(new EuropePmcClient(settings).search('complexity', 10, { fullText: true }));
    expect(found.map((d) => d.id)).toEqual(['pmc:PMC1790863', 'pmid:99000001', 'epmc:ppr:PPR000042']);
    const full = found[0];
    expect(full?.pmid).toBe('17299597');
    expect(full?.sections?.map((s) => s.heading)).toContain('Introduction');
    expect(full?.text.length).toBeGreaterThan(20_000);
    const fullTextRequests = server.requests.filter((r) => r.path.endsWith('/fullTextXML')).map((r) => r.path);
    // The CC BY-NC trial and the closed preprint are not downloaded.
    expect(fullTextRequests).toEqual(['/rest/PMC1790863/fullTextXML']);
  });

  it('stops at --max without asking for more pages', async () => {
    const found = await docs(new EuropePmcClient(settings).search('complexity', 1));
    expect(found).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.params.get('pageSize')).toBe('1');
  });

  it('retries a 5xx and reports a non-JSON answer as an upstream fault', async () => {
    server.inject({ status: 500, body: 'Internal error' });
    expect(await docs(new EuropePmcClient(settings).search('complexity', 1))).toHaveLength(1);
    server.inject({ body: '<html>maintenance</html>' });
    const error: unknown = await collect(new EuropePmcClient(settings).search('complexity', 1)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((error as EvidentiaError).message).toBe('Europe PMC search: the answer is not JSON');
  });

  it('decides licences and strips inline HTML', () => {
    expect(allowsFullText({ isOpenAccess: 'Y', license: 'cc by' })).toBe(true);
    expect(allowsFullText({ isOpenAccess: 'Y', license: 'CC0' })).toBe(true);
    expect(allowsFullText({ isOpenAccess: 'Y', license: 'cc by-sa' })).toBe(true);
    expect(allowsFullText({ isOpenAccess: 'Y', license: 'cc by-nc-nd' })).toBe(false);
    expect(allowsFullText({ isOpenAccess: 'N', license: 'cc by' })).toBe(false);
    expect(allowsFullText({ isOpenAccess: 'Y' })).toBe(false);
    expect(stripMarkup('CO<sub>2</sub> &lt; 5&#37; &unknown;')).toBe('CO2 < 5% &unknown;');
  });
});
