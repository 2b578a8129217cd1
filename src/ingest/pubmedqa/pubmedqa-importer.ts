import { z } from 'zod';
import { kindFromText } from '../../domain/evidence-kind.js';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { contentName } from '../common/file-name.js';
import { readJsonl } from '../common/jsonl.js';
import { parseRecord } from '../common/parse-record.js';
import { createIdDeduper } from '../common/unique-ids.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';

/** One abstract of the PubMedQA corpus (`pqal_corpus_contexts.jsonl`, `pqal_trainval.jsonl`). */
export const PubmedqaRow = z.object({
  pmid: z.union([z.string().min(1), z.number()]).transform(String),
  contexts: z.array(z.string()),
  context_labels: z.array(z.string()).default([]),
  meshes: z.array(z.string()).default([]),
  year: z.union([z.string(), z.number()]).nullish(),
});
export type PubmedqaRow = z.output<typeof PubmedqaRow>;

function sectionHeading(label: string | undefined): string {
  if (!label) return 'Abstract';
  return label.charAt(0) + label.slice(1).toLowerCase();
}

/**
 * PubMedQA holds abstracts without their titles or conclusions; the PMID names them. Their id is
 * kept apart from `pmid:` so a full PubMed record of the same article is a separate document.
 */
export function pubmedqaRowToDocument(row: PubmedqaRow, documentId?: string): SourceDocumentInput {
  const { text, sections } = layoutSections(
    row.contexts.map((context, i) => ({ heading: sectionHeading(row.context_labels[i]), text: context })),
  );
  const title = `PubMed abstract ${row.pmid}`;
  const decision = kindFromText('', text);
  const year = Number.parseInt(String(row.year ?? ''), 10);
  return {
    id: documentId ?? `pubmedqa:${row.pmid}`,
    kind: decision.kind,
    kindRule: decision.rule,
    title,
    pmid: row.pmid,
    url: `https://pubmed.ncbi.nlm.nih.gov/${row.pmid}/`,
    year: Number.isInteger(year) ? year : undefined,
    meshTerms: row.meshes,
    text,
    sections,
    metadata: { dataset: 'pubmedqa' },
  };
}

export const pubmedqaImporter: Importer = {
  name: 'pubmedqa',
  accepts: (path, head) => /^pqal_.*\.jsonl$/i.test(contentName(path)) && /"contexts"\s*:/.test(head),
  read: readPubmedqa,
};

export async function* readPubmedqa(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  const unique = createIdDeduper();
  for await (const record of readJsonl(path, options)) {
    const row = parseRecord(PubmedqaRow, path, record);
    yield { op: 'put', document: pubmedqaRowToDocument(row, unique(`pubmedqa:${row.pmid}`)) };
  }
}
