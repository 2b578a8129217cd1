import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { kindFromText, type KindDecision } from '../../domain/evidence-kind.js';
import { EvidenceKind, layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { squash } from '../../domain/text.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { contentName } from '../common/file-name.js';
import { readJsonl } from '../common/jsonl.js';
import { parseRecord } from '../common/parse-record.js';
import { createIdDeduper } from '../common/unique-ids.js';

/** One line of a BEIR corpus.jsonl. */
export const BeirCorpusRow = z.object({
  _id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z
    .string()
    .nullish()
    .transform((t) => t ?? ''),
  text: z.string(),
  metadata: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((m) => m ?? {}),
});
export type BeirCorpusRow = z.output<typeof BeirCorpusRow>;

/** The set name is the folder holding corpus.jsonl (`…/bioasq_dev/corpus.jsonl` → `bioasq_dev`). */
export function beirSetName(path: string): string {
  return basename(dirname(path)) || 'beir';
}

export function beirDocumentId(setName: string, id: string): string {
  return `beir:${setName}:${id}`;
}

export function beirRowToDocument(setName: string, row: BeirCorpusRow, documentId?: string): SourceDocumentInput {
  const title = squash(row.title);
  const { text, sections } = layoutSections([{ heading: sectionHeading(row.metadata), text: row.text }]);
  const decision = metadataKind(row.metadata) ?? kindFromText(title, text);
  const { url, year } = row.metadata;
  return {
    id: documentId ?? beirDocumentId(setName, row._id),
    kind: decision.kind,
    kindRule: decision.rule,
    title,
    url: typeof url === 'string' && url !== '' ? url : undefined,
    year: Number.isInteger(year) ? (year as number) : undefined,
    text,
    sections,
    metadata: { ...row.metadata, beirId: row._id },
  };
}

// A corpus may say which section of its page a text is (MedQuAD's qtype: symptoms, treatment…);
// it becomes the section heading, as the MedQuAD importer does.
function sectionHeading(metadata: Record<string, unknown>): string {
  const heading = metadata.section ?? metadata.qtype;
  return typeof heading === 'string' ? heading : '';
}

// A corpus may state the kind itself (metadata.kind); it wins over guessing from wording.
function metadataKind(metadata: Record<string, unknown>): KindDecision | null {
  const parsed = EvidenceKind.safeParse(metadata.kind);
  return parsed.success ? { kind: parsed.data, rule: `BEIR metadata kind: ${parsed.data}` } : null;
}

/** BEIR-layout corpora (`corpus.jsonl`, maybe gzipped): one document per line. */
export const beirImporter: Importer = {
  name: 'beir',
  accepts: (path, head) => contentName(path).toLowerCase() === 'corpus.jsonl' && /"_id"\s*:/.test(head),
  read: readBeir,
};

export async function* readBeir(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  const setName = beirSetName(path);
  const unique = createIdDeduper();
  for await (const record of readJsonl(path, options)) {
    const row = parseRecord(BeirCorpusRow, path, record);
    yield { op: 'put', document: beirRowToDocument(setName, row, unique(beirDocumentId(setName, row._id))) };
  }
}
