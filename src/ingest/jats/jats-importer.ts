import type { SourceDocumentInput } from '../../domain/source.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { parseXmlRecordsText, readXmlRecords, rootElementName, type XmlRecordShape } from '../common/xml-records.js';
import { jatsArticleToDocument } from './jats-article.js';

export const JATS_SHAPE: XmlRecordShape = {
  roots: ['pmc-articleset', 'article'],
  // A bare <article> file is one record; an efetch pmc-articleset holds several.
  isRecord: (name, depth, parent) =>
    name === 'article' && (depth === 1 || (depth === 2 && parent === 'pmc-articleset')),
};

/** Recognises PMC full text: a JATS DOCTYPE, or an <article>/<pmc-articleset> root. */
export function looksLikeJats(head: string): boolean {
  if (/<!DOCTYPE\s+(article|pmc-articleset)\b/.test(head)) return true;
  const root = rootElementName(head);
  return root === 'pmc-articleset' || (root === 'article' && /<(front|article-meta|journal-meta)[\s>]/.test(head));
}

/** PMC full-text JATS XML (single .nxml articles or efetch pmc-articleset responses). */
export const jatsImporter: Importer = {
  name: 'jats',
  accepts: (_path, head) => looksLikeJats(head),
  read: readJats,
};

export async function* readJats(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  for await (const article of readXmlRecords(path, JATS_SHAPE, options)) {
    const document = jatsArticleToDocument(article);
    if (document !== null) yield { op: 'put', document };
  }
}

/** The documents of a JATS text held in memory (a full-text download). */
export function parseJatsText(text: string, label: string): SourceDocumentInput[] {
  return parseXmlRecordsText(text, label, JATS_SHAPE)
    .map(jatsArticleToDocument)
    .filter((d): d is SourceDocumentInput => d !== null);
}
