import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { collect } from '../common/collect.js';
import { readPubmed } from './pubmed-importer.js';
import { ElementBlanker, SKIPPED_PUBMED_ELEMENTS } from './skip-elements.js';

const SAMPLE = [
  '<PubmedArticle><MedlineCitation><PMID>1</PMID>',
  '<AuthorList CompleteYN="Y">\n<Author><LastName>Doe</LastName></Author>\n</AuthorList>',
  '<Article><ArticleTitle>Kept</ArticleTitle></Article><AuthorList/></MedlineCitation>',
  '<PubmedData><ReferenceList><Reference>a</Reference><ReferenceList>\n<Reference>b</Reference></ReferenceList></ReferenceList>',
  '<ReferenceListing>not a skipped name</ReferenceListing></PubmedData></PubmedArticle>',
].join('');
const EXPECTED = SAMPLE.replace(/<AuthorList CompleteYN="Y">[\s\S]*?<\/AuthorList>/, '\n\n').replace(
  /<ReferenceList>[\s\S]*<\/ReferenceList><\/ReferenceList>/,
  '\n',
);

function cutWhole(text: string): string {
  const b = new ElementBlanker();
  return b.push(text) + b.flush();
}

describe('cutting unread PubMed elements', () => {
  it('removes nested skipped elements, keeping their line breaks and self-closing or longer-named tags', () => {
    expect(cutWhole(SAMPLE)).toBe(EXPECTED);
    expect(EXPECTED).toContain('<AuthorList/>');
    expect(EXPECTED).toContain('<ReferenceListing>');
    expect(EXPECTED.split('\n')).toHaveLength(SAMPLE.split('\n').length);
  });

  it('gives the same text whatever the chunk edges', () => {
    for (let cut = 1; cut < SAMPLE.length; cut++) {
      for (const size of [cut, 7]) {
        const b = new ElementBlanker();
        let out = '';
        for (let i = 0; i < SAMPLE.length; i += size) out += b.push(SAMPLE.slice(i, i + size));
        out += b.flush();
        expect(out).toBe(EXPECTED);
      }
    }
  });

  it('drops cut elements whole when line breaks are not wanted, whatever the chunk edges', () => {
    const withoutLines = SAMPLE.replace(/<AuthorList CompleteYN="Y">[\s\S]*?<\/AuthorList>/, '').replace(
      /<ReferenceList>[\s\S]*<\/ReferenceList><\/ReferenceList>/,
      '',
    );
    for (const size of [1, 7, 64, SAMPLE.length]) {
      const b = new ElementBlanker(SKIPPED_PUBMED_ELEMENTS, { keepLines: false });
      let out = '';
      for (let i = 0; i < SAMPLE.length; i += size) out += b.push(SAMPLE.slice(i, i + size));
      out += b.flush();
      expect(out).toBe(withoutLines);
    }
    expect(withoutLines).not.toContain('Doe');
    expect(withoutLines).toContain('<AuthorList/>');
  });

  it('leaves an element that never closes for the parser to report', () => {
    expect(cutWhole('<a><AuthorList><Author>')).toBe('<a><AuthorList><Author>');
  });

  it('still reports the exact line and column of an error after a cut element', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-cut-'));
    const file = path.join(dir, 'broken.xml');
    await writeFile(
      file,
      '<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><AuthorList><Author/></AuthorList><Article><ArticleTitle>x</Title>\n</PubmedArticleSet>\n',
    );
    const error: unknown = await collect(readPubmed(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidentiaError);
    // Column 112 is where the mismatched </Title> ends in the file as written (78 once AuthorList is cut).
    expect((error as EvidentiaError).message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:112: `),
    );
  });
});
