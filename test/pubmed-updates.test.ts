import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../src/adapters/store/sqlite/index.js';
import { ingestPaths, orderPubmedFiles } from '../src/ingest/ingest-paths.js';
import { tempDir } from './helpers.js';

// Minimal records in the PubMed layout, written for this test.
const record = (pmid: string, title: string, abstract: string) =>
  `<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">${pmid}</PMID><Article><Journal><Title>Test Journal</Title></Journal>` +
  `<ArticleTitle>${title}</ArticleTitle><Abstract><AbstractText>${abstract}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>`;
const deletes = (...pmids: string[]) =>
  `<DeleteCitation>${pmids.map((p) => `<PMID Version="1">${p}</PMID>`).join('')}</DeleteCitation>`;
const file = (...parts: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n${parts.join('\n')}\n</PubmedArticleSet>\n`;

describe('PubMed update files', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let first: string;
  let second: string;
  let tenth: string;
  let updates: string;
  beforeEach(() => {
    tmp = tempDir();
    store = openSqliteStore(join(tmp.dir, 'lib.db'));
    updates = join(tmp.dir, 'updates');
    mkdirSync(updates);
    first = join(updates, 'pubmed26n0001.xml.gz');
    second = join(updates, 'pubmed26n0002.xml.gz');
    tenth = join(updates, 'pubmed26n0010.xml');
    writeFileSync(
      first,
      gzipSync(
        file(
          record('1001', 'Walking and knee pain.', 'Walking reduced knee pain in older adults.'),
          record('1002', 'A retracted note.', 'This record will be deleted.'),
        ),
      ),
    );
    writeFileSync(
      second,
      gzipSync(
        file(
          record('1001', 'Walking and knee pain: revised.', 'Daily walking reduced knee pain in older adults.'),
          record('1003', 'Cycling and knee pain.', 'Cycling was studied as well.'),
          deletes('1002'),
        ),
      ),
    );
    writeFileSync(tenth, file(deletes('1003', '999999')));
  });
  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('applies files in their NCBI order, whatever order they are named in', async () => {
    const reports = await ingestPaths(store, [tenth, second, first]);
    expect(reports.map((r) => [r.path, r.inserted, r.updated, r.unchanged, r.deleted])).toEqual([
      [first, 2, 0, 0, 0],
      [second, 1, 1, 0, 1],
      [tenth, 0, 0, 0, 1],
    ]);
    const revised = await store.getDocument('pmid:1001');
    expect(revised?.title).toBe('Walking and knee pain: revised.');
    expect(revised?.version).toBe(2);
    expect(revised?.text).toBe('Daily walking reduced knee pain in older adults.');
    expect(await store.getDocument('pmid:1002')).toBeNull();
    expect(await store.getDocument('pmid:1003')).toBeNull();
    expect((await store.stats()).documents).toBe(1);
    // The revised record is found by its new words, not by the old ones alone.
    const hits = await store.searchPassages({ clauses: [{ text: 'daily' }], limit: 5 });
    expect(hits.map((h) => h.documentId)).toEqual(['pmid:1001']);
    expect(await store.checkIntegrity()).toEqual([]);
  });

  it('reads a folder of update files in name order', async () => {
    const reports = await ingestPaths(store, [updates]);
    expect(reports.map((r) => r.path.split('/').pop())).toEqual([
      'pubmed26n0001.xml.gz',
      'pubmed26n0002.xml.gz',
      'pubmed26n0010.xml',
    ]);
  });

  it('changes nothing when the same file is applied again', async () => {
    await ingestPaths(store, [first, second]);
    const before = await store.stats();
    const version = (await store.getDocument('pmid:1001'))?.version;
    const again = await ingestPaths(store, [second]);
    expect(again.map((r) => [r.inserted, r.updated, r.unchanged, r.deleted])).toEqual([[0, 0, 2, 0]]);
    expect(await store.stats()).toEqual(before);
    expect((await store.getDocument('pmid:1001'))?.version).toBe(version);

    await ingestPaths(store, [tenth]);
    const afterDeletes = await store.stats();
    const twice = await ingestPaths(store, [tenth]);
    expect(twice.map((r) => r.deleted)).toEqual([0]);
    expect(await store.stats()).toEqual(afterDeletes);
  });

  it('orders baseline and update names numerically and leaves other files in place', () => {
    expect(
      orderPubmedFiles([
        '/d/notes.md',
        '/d/pubmed26n1275.xml.gz',
        '/d/pubmed25n9999.xml',
        '/d/pubmed26n0999.xml.gz',
        '/d/x.jsonl',
      ]),
    ).toEqual([
      '/d/notes.md',
      '/d/pubmed25n9999.xml',
      '/d/pubmed26n0999.xml.gz',
      '/d/pubmed26n1275.xml.gz',
      '/d/x.jsonl',
    ]);
  });
});
