import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath, HAS_SHARED_DATA, tempDir } from '../../../test/helpers.js';
import { collect } from '../common/collect.js';
import { pickImporter } from '../registry.js';
import { readPubmedqa } from './pubmedqa-importer.js';

describe.skipIf(!HAS_SHARED_DATA)('PubMedQA importer', () => {
  it('reads the 1,000 corpus abstracts with their section labels, MeSH and year', async () => {
    const path = dataPath('pubmedqa/pqal_corpus_contexts.jsonl');
    expect((await pickImporter(path)).name).toBe('pubmedqa');
    const items = await collect(readPubmedqa(path));
    expect(items).toHaveLength(1000);
    const first = items[0]!;
    if (first.op !== 'put') throw new Error('expected a document');
    const doc = first.document;
    expect(doc.id).toBe('pubmedqa:21645374');
    expect(doc.pmid).toBe('21645374');
    expect(doc.year).toBe(2011);
    expect(doc.meshTerms).toEqual(expect.arrayContaining(['Alismataceae', 'Apoptosis']));
    expect(doc.sections!.map((s) => s.heading)).toEqual(['Background', 'Results']);
    expect(doc.text.startsWith('Programmed cell death (PCD)')).toBe(true);
  });

  it('names the line of a malformed record', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'pqal_broken.jsonl');
    writeFileSync(path, '{"pmid": "1", "contexts": ["A."]}\n{"pmid": "2", "contexts": "not a list"}\n');
    await expect(collect(readPubmedqa(path))).rejects.toThrow(/pqal_broken\.jsonl:2/);
    tmp.cleanup();
  });
});
