import { EvidentiaError } from '../domain/errors.js';
import { beirImporter } from './beir/beir-importer.js';
import { readHead } from './common/read-head.js';
import type { Importer } from './importer.js';
import { jatsImporter } from './jats/jats-importer.js';
import { markdownImporter } from './markdown/markdown-importer.js';
import { medquadImporter } from './medquad/medquad-importer.js';
import { ngcImporter } from './ngc/ngc-importer.js';
import { pdfImporter } from './pdf/pdf-importer.js';
import { pubmedImporter } from './pubmed/pubmed-importer.js';
import { pubmedqaImporter } from './pubmedqa/pubmedqa-importer.js';

/**
 * Every importer, most specific first: the first whose `accepts` says yes reads the file.
 * Named-file formats (MedQuAD, NGC, BEIR corpus) come before content-sniffed PubMed XML and
 * the catch-all by extension, Markdown.
 */
export const IMPORTERS: readonly Importer[] = [
  medquadImporter,
  ngcImporter,
  beirImporter,
  pubmedqaImporter,
  pubmedImporter,
  jatsImporter,
  pdfImporter,
  markdownImporter,
];

/** The importer for `--format NAME`, or INPUT_INVALID listing the names there are. */
export function importerByName(name: string): Importer {
  const found = IMPORTERS.find((i) => i.name === name);
  if (found === undefined) {
    throw new EvidentiaError(
      'INPUT_INVALID',
      `unknown format "${name}"; use one of ${IMPORTERS.map((i) => i.name).join(', ')}`,
    );
  }
  return found;
}

/** Chooses the importer for a file from its name and first few KiB (decompressed). */
export async function pickImporter(path: string): Promise<Importer> {
  const head = await readHead(path);
  const found = IMPORTERS.find((importer) => importer.accepts(path, head));
  if (found === undefined) {
    throw new EvidentiaError(
      'FORMAT_UNKNOWN',
      `${path}: not a format Evidentia reads (PubMed XML, PMC JATS XML, PDF, BEIR corpus.jsonl, NGC, MedQuAD or PubMedQA JSONL, Markdown with front matter)`,
    );
  }
  return found;
}
