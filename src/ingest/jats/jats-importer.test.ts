import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import type { JatsReference } from './jats-article.js';
import { looksLikeJats, readJats } from './jats-importer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const samples = path.join(dataDir, 'pmc_jats_samples');
const EFETCH_PMC = path.join(dataDir, 'ncbi_eutils_fixtures', 'biopython', 'efetch_pmc.xml');

async function documents(file: string): Promise<SourceDocumentInput[]> {
  return (await collect(readJats(file))).map((item) => {
    if (item.op !== 'put') throw new Error(`unexpected ${item.op}`);
    return item.document;
  });
}

async function only(file: string): Promise<SourceDocumentInput> {
  const docs = await documents(file);
  expect(docs).toHaveLength(1);
  return docs[0] as SourceDocumentInput;
}

function sectionText(doc: SourceDocumentInput, heading: string): string {
  const span = doc.sections?.find((s) => s.heading === heading);
  if (span === undefined) throw new Error(`no section "${heading}" in ${doc.id}`);
  return doc.text.slice(span.start, span.end);
}

const sampleFiles = existsSync(samples) ? readdirSync(samples).filter((f) => f.endsWith('.xml')) : [];

describe.skipIf(!existsSync(samples))('JATS importer on real PMC articles (needs ../shared/data)', () => {
  it('finds the six samples', () => {
    expect(sampleFiles).toHaveLength(6);
  });

  it.each(sampleFiles)('%s: a valid document with abstract, body, captions, references and licence', async (name) => {
    const doc = await only(path.join(samples, name));
    expect(SourceDocument.safeParse(doc).success).toBe(true);
    expect(doc.id).toMatch(/^pmc:PMC\d+$/);
    expect(doc.url).toBe(`https://pmc.ncbi.nlm.nih.gov/articles/${doc.id.slice(4)}/`);
    expect(doc.pmid).toMatch(/^\d+$/);
    expect(doc.doi).toMatch(/^10\./);
    expect(doc.title.length).toBeGreaterThan(10);
    expect(doc.source).toBeTruthy();
    expect(doc.year).toBeGreaterThanOrEqual(2007);
    expect(doc.licence).toBeTruthy();
    const headings = doc.sections?.map((s) => s.heading) ?? [];
    // Abstract first, then body sections, then figures and tables.
    expect(headings[0]).toMatch(/^Abstract/);
    expect(headings.length).toBeGreaterThan(5);
    // Every sample has figures or tables, read as captions and rows after the body.
    expect(headings.some((h) => /^(Table|Figure|Fig\.?) ?\d+$/i.test(h))).toBe(true);
    for (const s of doc.sections ?? []) expect(doc.text.slice(s.start, s.end).trim().length).toBeGreaterThan(0);
    // Markup is flattened, never left in the text.
    expect(doc.text).not.toMatch(/<\/?(italic|bold|sup|sub|xref|p|sec|td|tr)[\s>]/);
    const refs = doc.metadata?.references as JatsReference[] | undefined;
    expect(refs?.length).toBeGreaterThan(20);
    for (const ref of refs ?? []) expect(ref.text.length).toBeGreaterThan(5);
  });

  it('reads section paragraphs, a figure caption, references and funding (PLoS ONE 2007)', async () => {
    const doc = await only(path.join(samples, 'pone.0000217.xml'));
    expect(doc.id).toBe('pmc:PMC1790863');
    expect(doc.pmid).toBe('17299597');
    expect(doc.title).toBe('Quantifying Organismal Complexity using a Population Genetic Approach');
    expect(doc.source).toBe('PLoS ONE');
    expect(doc.year).toBe(2007);
    expect(doc.sections?.slice(0, 4).map((s) => s.heading)).toEqual([
      'Abstract: Background',
      'Abstract: Methodology',
      'Abstract: Conclusions/Significance',
      'Introduction',
    ]);
    // Paragraphs are kept apart; citations stay as their bracketed numbers.
    const intro = sectionText(doc, 'Introduction');
    expect(intro.split('\n\n').length).toBeGreaterThan(3);
    expect(intro).toMatch(/^A persistent question in biology is how organismal complexity changes/);
    expect(intro).toContain('through the course of evolution [1]–[5].');
    // The figure's caption is its own section, not inside the paragraph that points at it.
    expect(sectionText(doc, 'Figure 1')).toMatch(/^Fisher's geometric model in two-dimensional phenotypic space\. /);
    expect(intro).not.toContain('Each mutation (arrow) is drawn');
    expect(doc.funding?.[0]).toMatch(/Agence Nationale de la Recherche \(ANR-05-JCJC-0136-01\)/);
    expect(doc.conflictOfInterest).toBe(
      'Competing Interests: The authors have declared that no competing interests exist.',
    );
    const refs = doc.metadata?.references as JatsReference[];
    expect(refs).toHaveLength(33);
    expect(refs.find((r) => r.label === '11')?.text).toMatch(
      /^Fisher RA 1930 The Genetical Theory of Natural Selection\./,
    );
    expect(refs.find((r) => r.label === '33')).toMatchObject({ pmid: '16724031' });
  });

  it('reads tables as rows of cells (PLoS NTD 2013)', async () => {
    const doc = await only(path.join(samples, 'pntd.0002065.xml'));
    const table = sectionText(doc, 'Table 1').split('\n');
    expect(table[0]).toBe('RVF seroprevalence in 2007, as determined by virus neutralization test and IgG ELISA.');
    expect(table).toContain('Mocuba | 59 | 0.0a | 0.0, 4.9 | 181 | 13.8a | 9.5, 19.7');
    expect(doc.sections?.map((s) => s.heading)).toContain('Materials and Methods / Statistical analysis');
    expect(doc.kind).toBe('cohort');
  });

  it('keeps the licence URL and reads an unsectioned abstract (BMC and EHP)', async () => {
    const bmc = await only(path.join(samples, '1471-2180-11-174.xml'));
    expect(bmc.licence).toBe('http://creativecommons.org/licenses/by/2.0');
    const ehp = await only(path.join(samples, 'ehp-116-1694.xml'));
    expect(ehp.licence).toBe('http://creativecommons.org/publicdomain/mark/1.0/');
    const plos = await only(path.join(samples, 'pone.0046493.xml'));
    expect(plos.sections?.[0]?.heading).toBe('Abstract');
  });

  it('reads the pmc-articleset that efetch returns', async () => {
    const doc = await only(EFETCH_PMC);
    expect(doc.id).toBe('pmc:PMC8435807');
    expect(doc.pmid).toBe('34527728');
    expect(doc.source).toBe('ERJ Open Research');
    expect(doc.metadata?.articleType).toBe('correction');
    expect(doc.text).toMatch(/corrected to −15\.1%/);
  });
});

describe('JATS importer on files written for the test', () => {
  async function write(name: string, xml: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-jats-'));
    const file = path.join(dir, name);
    await writeFile(file, xml);
    return file;
  }

  it('recognises JATS from its root, not from an unrelated <article>', () => {
    expect(looksLikeJats('<?xml version="1.0"?>\n<pmc-articleset><article>')).toBe(true);
    expect(looksLikeJats('<!DOCTYPE article PUBLIC "-//NLM//DTD JATS">\n<article>')).toBe(true);
    expect(looksLikeJats('<article><front><article-meta>')).toBe(true);
    expect(looksLikeJats('<html><body><article>')).toBe(false);
    expect(looksLikeJats('<article><h1>Blog</h1>')).toBe(false);
  });

  it('stores an article without a PMC id under its PMID, and skips one with no id at all', async () => {
    const meta = (ids: string) =>
      `<front><article-meta>${ids}<title-group><article-title>A <italic>short</italic> note</article-title></title-group></article-meta></front>`;
    const file = await write(
      'set.xml',
      `<pmc-articleset><article>${meta('<article-id pub-id-type="pmid">42</article-id>')}<body><p>Only a paragraph.</p></body></article>` +
        `<article>${meta('')}<body><p>Nothing to cite.</p></body></article></pmc-articleset>`,
    );
    const docs = await documents(file);
    expect(docs.map((d) => d.id)).toEqual(['pmid:42']);
    expect(docs[0]?.title).toBe('A short note');
    expect(docs[0]?.text).toBe('Only a paragraph.');
  });

  it('names file, line and column of broken XML', async () => {
    const file = await write('broken.xml', '<article>\n<front><article-meta></front>\n</article>\n');
    const error: unknown = await collect(readJats(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
    expect((error as EvidentiaError).message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: `),
    );
  });
});
