import { z } from 'zod';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { contentName, hasExtension } from '../common/file-name.js';
import { readJsonl } from '../common/jsonl.js';
import { parseRecord } from '../common/parse-record.js';
import { createIdDeduper } from '../common/unique-ids.js';

/** One answered MedQuAD pair (fields Evidentia reads). */
export const MedquadRow = z.object({
  answer_id: z.string().min(1),
  question: z.string(),
  qtype: z.string().min(1),
  focus: z.string().nullish(),
  source: z.string().min(1),
  url: z.string().nullish(),
  cuis: z.array(z.string()).nullish(),
  semantic_group: z.string().nullish(),
  answer: z.string(),
});
export type MedquadRow = z.output<typeof MedquadRow>;

/** MedQuAD's source codes as readers know the sites. */
export const MEDQUAD_SITES: Readonly<Record<string, string>> = {
  CancerGov: 'National Cancer Institute (cancer.gov)',
  GARD: 'Genetic and Rare Diseases Information Center',
  GHR: 'Genetics Home Reference',
  MPlusHealthTopics: 'MedlinePlus',
  MPlusADAM: 'MedlinePlus',
  MPlusDrugs: 'MedlinePlus',
  MPlusHerbsSupplements: 'MedlinePlus',
  NIDDK: 'National Institute of Diabetes and Digestive and Kidney Diseases',
  NINDS: 'National Institute of Neurological Disorders and Stroke',
  NIHSeniorHealth: 'NIHSeniorHealth',
  NHLBI: 'National Heart, Lung, and Blood Institute',
  CDC: 'Centers for Disease Control and Prevention',
};

export function medquadSiteName(source: string): string {
  return MEDQUAD_SITES[source] ?? source;
}

export function medquadRowToDocument(row: MedquadRow, documentId?: string): SourceDocumentInput {
  const qtype = squash(row.qtype);
  const focus = squash(row.focus ?? '');
  // A few CDC pairs have no focus; their question is the best title left.
  const title = focus === '' ? squash(row.question) : `${focus} — ${qtype}`;
  const { text, sections } = layoutSections([{ heading: qtype, text: row.answer }]);
  const metadata: Record<string, unknown> = {
    question: squash(row.question),
    qtype,
    focus,
    cuis: row.cuis ?? [],
    answerId: row.answer_id,
  };
  if (row.semantic_group) metadata.semanticGroup = row.semantic_group;
  return {
    id: documentId ?? `medquad:${row.answer_id}`,
    kind: 'consumer-health',
    kindRule: `MedQuAD answer from ${row.source}`,
    title,
    source: medquadSiteName(row.source),
    url: row.url || undefined,
    text,
    sections,
    metadata,
  };
}

/** MedQuAD answered pairs as JSONL (`medquad…answered….jsonl`). */
export const medquadImporter: Importer = {
  name: 'medquad',
  accepts: (path) => {
    const name = contentName(path).toLowerCase();
    return name.startsWith('medquad') && name.includes('answered') && hasExtension(path, '.jsonl');
  },
  read: readMedquad,
};

export async function* readMedquad(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  // MedQuAD reuses some CancerGov answer ids for different answers; keep every one.
  const unique = createIdDeduper();
  for await (const record of readJsonl(path, options)) {
    const row = parseRecord(MedquadRow, path, record);
    yield { op: 'put', document: medquadRowToDocument(row, unique(`medquad:${row.answer_id}`)) };
  }
}
