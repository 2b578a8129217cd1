import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kindFromText } from '../../domain/evidence-kind.js';
import { layoutSections, type SourceDocumentInput } from '../../domain/source.js';
import { contentName } from '../common/file-name.js';
import { malformed } from '../common/malformed.js';
import { fileError } from '../common/open-text.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { slugFromFileName } from '../markdown/markdown-importer.js';
import {
  blocksFromLines,
  pageLines,
  readingOrder,
  removeRunningText,
  type Block,
  type PageText,
  type TextRun,
} from './pdf-text.js';

/** Guidelines run to a few hundred pages; anything far bigger is not one document. */
export const MAX_PDF_BYTES = 200 * 1024 * 1024;

// pdf.js needs its standard font metrics to place text drawn with the 14 base fonts.
const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const STANDARD_FONTS = `${pathToFileURL(join(pdfjsRoot, 'standard_fonts')).href}/`;

/** PDF files, read as guidelines unless their text says what else they are. */
export const pdfImporter: Importer = {
  name: 'pdf',
  accepts: (_path, head) => head.startsWith('%PDF-'),
  read: readPdf,
};

export async function* readPdf(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  yield { op: 'put', document: await pdfToDocument(path, options) };
}

/** Reads the positioned text of every page with pdf.js (legacy build: Node 20). */
export async function readPdfPages(
  path: string,
  options: ImportOptions = {},
): Promise<{ pages: PageText[]; title?: string }> {
  let data: Uint8Array;
  try {
    const info = await stat(path);
    if (info.size > MAX_PDF_BYTES)
      throw malformed(path, `larger than ${MAX_PDF_BYTES} bytes; split it into smaller files`);
    data = new Uint8Array(await readFile(path));
    options.onProgress?.({ bytesRead: info.size, totalBytes: info.size });
  } catch (error) {
    throw fileError(path, error);
  }
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let pdf;
  try {
    pdf = await getDocument({
      data,
      standardFontDataUrl: STANDARD_FONTS,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw malformed(path, `not a readable PDF (${(error as Error).message})`);
  }
  try {
    const pages: PageText[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const runs: TextRun[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        const [a, b, , , x, y] = item.transform as number[];
        const size = Math.hypot(a ?? 0, b ?? 0) || item.height;
        runs.push({ text: item.str, x: x ?? 0, y: y ?? 0, width: item.width, size });
      }
      pages.push({ width: viewport.width, height: viewport.height, runs });
      page.cleanup();
    }
    const meta = await pdf.getMetadata().catch(() => undefined);
    const title = (meta?.info as { Title?: unknown } | undefined)?.Title;
    return { pages, ...(typeof title === 'string' && title.trim() !== '' ? { title: title.trim() } : {}) };
  } finally {
    await pdf.destroy();
  }
}

/** Text blocks in reading order, without running headers, footers and page numbers. */
export function pdfBlocks(pages: readonly PageText[]): Block[] {
  const perPage = pages.map((page, index) => ({
    lines: readingOrder(pageLines(page, index), page.width),
    height: page.height,
  }));
  return blocksFromLines(removeRunningText(perPage).flat());
}

export async function pdfToDocument(path: string, options: ImportOptions = {}): Promise<SourceDocumentInput> {
  const { pages, title: metaTitle } = await readPdfPages(path, options);
  const blocks = pdfBlocks(pages);
  if (blocks.length === 0) throw malformed(path, 'no text found (a scanned PDF needs OCR first)');
  // The first heading is the title unless the PDF names one; the rest start sections.
  const firstHeading = blocks[0]?.kind === 'heading' ? blocks[0].text : undefined;
  const title = metaTitle ?? firstHeading ?? contentName(path).replace(/\.pdf$/i, '');
  const parts: Array<{ heading: string; text: string }> = [];
  let current = { heading: '', paragraphs: [] as string[] };
  const close = () => {
    if (current.paragraphs.length > 0) parts.push({ heading: current.heading, text: current.paragraphs.join('\n\n') });
  };
  blocks.forEach((block, index) => {
    if (block.kind === 'heading') {
      if (index === 0 && block.text === title) return;
      close();
      current = { heading: block.text, paragraphs: [] };
    } else {
      current.paragraphs.push(block.text);
    }
  });
  close();
  const { text, sections } = layoutSections(parts);
  const decision = kindFromText(title, text);
  const kind = decision.kind === 'other' ? 'guideline' : decision.kind;
  return {
    id: `pdf:${slugFromFileName(path.replace(/\.pdf$/i, '.md'))}`,
    kind,
    kindRule: decision.kind === 'other' ? 'PDF read as a guideline (no other design stated)' : decision.rule,
    title,
    text,
    sections,
    metadata: { format: 'pdf', pages: pages.length },
  };
}
