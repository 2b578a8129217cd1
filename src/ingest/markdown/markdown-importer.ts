import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { contentName, hasExtension } from '../common/file-name.js';
import { readSmallText } from '../common/open-text.js';
import { parseMarkdownFile, type FrontMatter } from './front-matter.js';
import { markdownParts } from './markdown-text.js';

/** Protocols and summaries are small; anything bigger is not a document someone wrote by hand. */
export const MAX_MARKDOWN_CHARS = 8 * 1024 * 1024;
const DEFAULT_KIND = 'local-protocol';

/** `Low back pain (2024).md` → `low-back-pain-2024`: a default id that is safe in URLs. */
export function slugFromFileName(path: string): string {
  const stem = contentName(path).replace(/\.(md|markdown)$/i, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return slug === '' ? 'document' : slug;
}

/** Builds the document from a file's text; pure apart from the path used in messages and ids. */
export function markdownToDocument(path: string, source: string): SourceDocumentInput {
  const { frontMatter: fm, extra, body } = parseMarkdownFile(path, source);
  const parts = markdownParts(body);
  const id = fm.id ?? slugFromFileName(path);
  const firstTitle = parts.find((p) => p.level === 1)?.heading;
  const title = fm.title ?? (firstTitle || id);
  const { text, sections } = layoutSections(parts);
  const kind = fm.kind ?? DEFAULT_KIND;
  return {
    id: `md:${id}`,
    kind,
    kindRule: fm.kind === undefined ? `no kind in front matter: ${DEFAULT_KIND}` : `front matter kind: ${fm.kind}`,
    title,
    source: fm.issuer,
    year: fm.year,
    pmid: fm.pmid,
    doi: fm.doi,
    url: fm.url,
    licence: fm.licence,
    funding: fm.funding ?? [],
    conflictOfInterest: fm.conflictOfInterest,
    text,
    sections,
    recommendations: fm.recommendations ?? [],
    metadata: markdownMetadata(fm, extra),
  };
}

function markdownMetadata(fm: FrontMatter, extra: Record<string, unknown>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...extra };
  if (fm.topic !== undefined) metadata.topic = fm.topic;
  if (fm.audience !== undefined) metadata.audience = fm.audience;
  if (fm.population !== undefined) metadata.population = fm.population;
  return metadata;
}

/** Markdown files (.md, .markdown) with optional YAML front matter; README.md is documentation, not a source. */
export const markdownImporter: Importer = {
  name: 'markdown',
  accepts: (path) => hasExtension(path, '.md', '.markdown') && !/^readme\.(md|markdown)$/i.test(contentName(path)),
  read: readMarkdown,
};

export async function* readMarkdown(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  const source = await readSmallText(path, options, MAX_MARKDOWN_CHARS);
  yield { op: 'put', document: markdownToDocument(path, source) };
}
