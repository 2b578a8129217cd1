import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { beirImporter, beirSetName, readBeir } from './beir-importer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const bioasqCorpus = path.join(dataDir, 'bioasq_dev', 'corpus.jsonl');

async function documents(file: string): Promise<SourceDocumentInput[]> {
  return (await collect(readBeir(file))).map((item) => {
    if (item.op !== 'put') throw new Error('BEIR never deletes');
    return item.document;
  });
}

async function corpusIn(folder: string, lines: string[]): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'evidentia-beir-')), folder);
  await mkdir(dir);
  const file = path.join(dir, 'corpus.jsonl');
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

describe.skipIf(!existsSync(bioasqCorpus))('BEIR importer on bioasq_dev (needs ../shared/data)', () => {
  it('reads all 7,808 documents with unique ids under the set name', async () => {
    const docs = await documents(bioasqCorpus);
    expect(docs).toHaveLength(7808);
    expect(new Set(docs.map((d) => d.id)).size).toBe(7808);
    expect(docs.every((d) => d.id.startsWith('beir:bioasq_dev:'))).toBe(true);
    expect(docs.every((d) => SourceDocument.safeParse(d).success)).toBe(true);
  });

  it('maps the first line field by field', async () => {
    const firstLine = JSON.parse((await readFile(bioasqCorpus, 'utf8')).split('\n')[0] ?? '') as { text: string };
    const [first] = await documents(bioasqCorpus);
    expect(first?.id).toBe('beir:bioasq_dev:28293123');
    expect(first?.title).toBe('');
    expect(first?.text).toBe(firstLine.text.trim());
    expect(first?.text.startsWith('The initial approval')).toBe(true);
    expect(first?.sections).toEqual([{ heading: '', start: 0, end: firstLine.text.trim().length }]);
    expect(first?.metadata).toEqual({ beirId: '28293123' });
    expect(first?.kind).toBe('other');
    expect(first?.kindRule).toBe('no design stated');
  });

  it('decides the kind from the wording when the text states a design', async () => {
    const docs = await documents(bioasqCorpus);
    const rct = docs.find((d) => d.kind === 'rct');
    expect(rct?.kindRule).toMatch(/^text mentions randomised trial/);
    expect(docs.filter((d) => d.kind === 'other').length).toBeLessThan(docs.length);
  });

  it('is accepted by name and content', async () => {
    const head = (await readFile(bioasqCorpus, 'utf8')).slice(0, 4096);
    expect(beirImporter.accepts(bioasqCorpus, head)).toBe(true);
    expect(beirImporter.accepts('/x/bioasq_dev/corpus.jsonl.gz', head)).toBe(true);
    expect(beirImporter.accepts('/x/bioasq_dev/queries.jsonl', head)).toBe(false);
    expect(beirImporter.accepts('/x/bioasq_dev/corpus.jsonl', '{"id": 1}')).toBe(false);
  });
});

describe('BEIR importer on small corpora', () => {
  it('keeps metadata, honours a stated kind, url and year, and keeps repeated ids apart', async () => {
    const file = await corpusIn('my_set', [
      JSON.stringify({
        _id: 'd1',
        title: ' A  title ',
        text: 'A randomised controlled trial of x.',
        metadata: { url: 'https://example.org/d1', year: 2019 },
      }),
      JSON.stringify({ _id: 7, title: 'Guideline', text: 'Some text.', metadata: { kind: 'guideline' } }),
      JSON.stringify({ _id: 'd1', text: 'Same id again.' }),
    ]);
    expect(beirSetName(file)).toBe('my_set');
    const [a, b, c] = await documents(file);
    expect(a).toMatchObject({
      id: 'beir:my_set:d1',
      title: 'A title',
      kind: 'rct',
      url: 'https://example.org/d1',
      year: 2019,
      metadata: { url: 'https://example.org/d1', year: 2019, beirId: 'd1' },
    });
    expect(b).toMatchObject({ id: 'beir:my_set:7', kind: 'guideline', kindRule: 'BEIR metadata kind: guideline' });
    expect(c).toMatchObject({ id: 'beir:my_set:d1~2', title: '', text: 'Same id again.', metadata: { beirId: 'd1' } });
  });

  it('names the file and line of a malformed line', async () => {
    const file = await corpusIn('broken', [
      '{"_id":"1","text":"ok"}',
      '{"_id":"2","text":"cut',
      '{"_id":"3","text":"ok"}',
    ]);
    const error = await collect(readBeir(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('FILE_MALFORMED');
    expect((error as EvidentiaError).message).toMatch(new RegExp(`^${escapeRegExp(file)}:2: not valid JSON`));
  });

  it('names the field of a line that lacks text', async () => {
    const file = await corpusIn('nofield', ['{"_id":"1","text":"ok"}', '{"_id":"2","title":"no text"}']);
    const error = (await collect(readBeir(file)).catch((e: unknown) => e)) as EvidentiaError;
    expect(error.code).toBe('FILE_MALFORMED');
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:2: field "text": `));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
