import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import { SourceDocument, type SourceDocumentInput } from '../../domain/source.js';
import { collect } from '../common/collect.js';
import { MEDQUAD_SITES, medquadImporter, readMedquad } from './medquad-importer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.resolve(repoRoot, '../shared/data');
const medquadFile = path.join(dataDir, 'medquad', 'medquad_answered.jsonl');

let cache: SourceDocumentInput[] | undefined;
async function documents(): Promise<SourceDocumentInput[]> {
  cache ??= (await collect(readMedquad(medquadFile))).map((item) => {
    if (item.op !== 'put') throw new Error('MedQuAD never deletes');
    return item.document;
  });
  return cache;
}

describe.skipIf(!existsSync(medquadFile))('MedQuAD importer on the answered pairs (needs ../shared/data)', () => {
  it('reads all 16,407 answers as valid consumer-health documents with unique ids', async () => {
    const docs = await documents();
    expect(docs).toHaveLength(16407);
    expect(new Set(docs.map((d) => d.id)).size).toBe(16407);
    for (const doc of docs) {
      expect(SourceDocument.safeParse(doc).success).toBe(true);
      expect(doc.kind).toBe('consumer-health');
      expect(doc.text.length).toBeGreaterThan(0);
    }
    // Every source code in the file has a readable site name.
    const codes = new Set(docs.map((d) => String(d.kindRule).replace('MedQuAD answer from ', '')));
    for (const code of codes) expect(Object.keys(MEDQUAD_SITES)).toContain(code);
  });

  it('maps the first CancerGov answer field by field', async () => {
    const firstLine = JSON.parse((await readFile(medquadFile, 'utf8')).split('\n', 1)[0] ?? '') as { answer: string };
    const doc = (await documents())[0];
    expect(doc?.id).toBe('medquad:CancerGov_0000001_1_Sec1.txt');
    expect(doc?.title).toBe('Adult Acute Lymphoblastic Leukemia — information');
    expect(doc?.source).toBe('National Cancer Institute (cancer.gov)');
    expect(doc?.kindRule).toBe('MedQuAD answer from CancerGov');
    expect(doc?.url).toBe('https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq');
    expect(doc?.text).toBe(firstLine.answer.trim());
    expect(doc?.sections).toEqual([{ heading: 'information', start: 0, end: firstLine.answer.trim().length }]);
    expect(doc?.metadata).toEqual({
      question: 'What is (are) Adult Acute Lymphoblastic Leukemia ?',
      qtype: 'information',
      focus: 'Adult Acute Lymphoblastic Leukemia',
      cuis: ['C0751606'],
      semanticGroup: 'Disorders',
      answerId: 'CancerGov_0000001_1_Sec1.txt',
    });
  });

  it('maps a GARD answer', async () => {
    const doc = (await documents()).find((d) => d.id === 'medquad:GARD_0000004_Sec1.txt');
    expect(doc?.title).toBe('ABCD syndrome — symptoms');
    expect(doc?.source).toBe('Genetic and Rare Diseases Information Center');
    expect(doc?.url).toBe('https://rarediseases.info.nih.gov/gard/335/abcd-syndrome');
    expect(doc?.sections?.map((s) => s.heading)).toEqual(['symptoms']);
    expect(doc?.metadata).toMatchObject({ question: 'What are the symptoms of ABCD syndrome ?', cuis: ['C1838099'] });
  });

  it('keeps answers that share an answer id, suffixed in file order', async () => {
    const docs = (await documents()).filter((d) => d.metadata?.answerId === 'CancerGov_0000013_2_Sec1.txt');
    expect(docs.map((d) => d.id)).toEqual([
      'medquad:CancerGov_0000013_2_Sec1.txt',
      ...[2, 3, 4, 5, 6, 7].map((n) => `medquad:CancerGov_0000013_2_Sec1.txt~${n}`),
    ]);
    expect(docs[0]?.title).toBe('Chronic Myeloproliferative Neoplasms — information');
    expect(docs[1]?.title).toBe('Polycythemia Vera — information');
  });

  it('titles an answer without a focus by its question', async () => {
    const doc = (await documents()).find((d) => d.id === 'medquad:CDC_0000199_Sec12.txt');
    expect(doc?.title).toBe('how vaccines prevent disease');
  });

  it('is accepted by its name only', () => {
    expect(medquadImporter.accepts(medquadFile, '')).toBe(true);
    expect(medquadImporter.accepts('/x/medquad_answered.jsonl.gz', '')).toBe(true);
    expect(medquadImporter.accepts('/x/medquad_questions_without_answers.jsonl', '')).toBe(false);
    expect(medquadImporter.accepts('/x/answered_medquad.jsonl', '')).toBe(false);
  });
});

describe('MedQuAD importer errors', () => {
  it('names the line and field of a row without an answer', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'evidentia-medquad-')), 'medquad_answered.jsonl');
    await writeFile(
      file,
      JSON.stringify({ answer_id: 'X_1', question: 'q', qtype: 'information', source: 'CDC' }) + '\n',
    );
    const error = (await collect(readMedquad(file)).catch((e: unknown) => e)) as EvidentiaError;
    expect(error).toBeInstanceOf(EvidentiaError);
    expect(error.code).toBe('FILE_MALFORMED');
    expect(error.message).toMatch(/medquad_answered\.jsonl:1: field "answer": /);
  });
});
