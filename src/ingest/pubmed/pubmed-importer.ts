import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ERROR_CODES, EvidentiaError, isEvidentiaError, type ErrorCode } from '../../domain/errors.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { malformed } from '../common/malformed.js';
import { openText } from '../common/open-text.js';
import { feed } from '../common/xml-records.js';
import { ElementBlanker } from './skip-elements.js';
import { pubmedArticleToDocument, pubmedDocumentId } from './pubmed-article.js';
import type { WorkerMessage } from './worker-protocol.js';
import { XmlTreeBuilder, children, squashedText, type XmlElement } from './xml-tree.js';

const ROOT = 'PubmedArticleSet';

/** Recognises PubMed XML by its root element or DOCTYPE, whatever the file is called. */
export function looksLikePubmedXml(head: string): boolean {
  return /<!DOCTYPE\s+PubmedArticleSet\b/.test(head) || /<PubmedArticleSet[\s>]/.test(head);
}

/**
 * PubMed XML (efetch responses, annual baseline and daily update files): one document per
 * PubmedArticle, one delete per PMID in DeleteCitation; PubmedBookArticle is skipped.
 */
export const pubmedImporter: Importer = {
  name: 'pubmed',
  accepts: (_path, head) => looksLikePubmedXml(head),
  read: readPubmedParallel,
};

export async function* readPubmed(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  const queue: ImportItem[] = [];
  // No position tracking here: it costs a third of the parse, and the error path below reads
  // the file again with positions to name the exact spot.
  const parser = createPubmedParser(path, queue, { position: false });
  // Elements the mapping never reads are cut before parsing (see skip-elements.ts).
  const blanker = new ElementBlanker();
  try {
    for await (const chunk of openText(path, options)) {
      feed(path, () => parser.write(blanker.push(chunk)));
      // Items found in this chunk go out before the next chunk is read: memory stays at one chunk.
      yield* queue.splice(0);
    }
    feed(path, () => parser.write(blanker.flush()));
    feed(path, () => parser.close());
  } catch (error) {
    // Cutting elements shifts columns; the whole file read again, uncut, gives the exact spot.
    if (isEvidentiaError(error) && error.code === 'FILE_MALFORMED') throw (await exactError(path)) ?? error;
    throw error;
  }
  yield* queue.splice(0);
}

/** The first well-formedness error of the file as the parser sees it uncut, if any. */
async function exactError(path: string): Promise<EvidentiaError | undefined> {
  const parser = createPubmedParser(path, []);
  try {
    for await (const chunk of openText(path)) feed(path, () => parser.write(chunk));
    feed(path, () => parser.close());
  } catch (error) {
    if (isEvidentiaError(error)) return error;
  }
  return undefined;
}

/** Young generation of the parsing worker, in MB (V8 splits it into semi-spaces of a third). */
const WORKER_YOUNG_MB = 96;

/** Below this size a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The worker script when it can run: the built .js. Running from TypeScript sources (a test
 * runner, tsx) there is none, and files are read in-line.
 */
function workerUrl(): URL | undefined {
  const js = new URL('./pubmed-worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : undefined;
}

/**
 * Reads PubMed XML like `readPubmed`, parsing large files on a worker thread so the caller's
 * work on each item (storing it) overlaps with parsing. Same items, same order, same errors.
 */
export async function* readPubmedParallel(path: string, options: ImportOptions = {}): AsyncGenerator<ImportItem> {
  const url = workerUrl();
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (url === undefined || size < PARALLEL_MIN_BYTES) {
    yield* readPubmed(path, options);
    return;
  }
  // A larger young generation: parsing makes many short-lived strings, and fewer scavenges
  // cut the parse's CPU by about a tenth for no growth in peak memory worth naming.
  const worker = new Worker(url, {
    workerData: { path },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  const inbox: WorkerMessage[] = [];
  let waiting: (() => void) | undefined;
  let failure: unknown;
  const arrive = () => {
    waiting?.();
    waiting = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    arrive();
  });
  worker.on('error', (error) => {
    failure = error;
    arrive();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && failure === undefined)
      failure = new EvidentiaError('INTERNAL', `${path}: the parsing worker stopped (${code})`);
    arrive();
  });
  try {
    for (;;) {
      while (inbox.length === 0 && failure === undefined) await new Promise<void>((resolve) => (waiting = resolve));
      const message = inbox.shift();
      if (message === undefined) throw failure;
      if (message.kind === 'error') {
        const code: ErrorCode = message.code in ERROR_CODES ? (message.code as ErrorCode) : 'INTERNAL';
        throw new EvidentiaError(code, message.message);
      }
      // Let the worker parse the next batch while this one is stored.
      worker.postMessage('more');
      if (message.progress !== undefined) options.onProgress?.(message.progress);
      yield* message.items;
      if (message.done === true) return;
    }
  } finally {
    await worker.terminate();
  }
}

type Mode = 'outside' | 'article' | 'delete' | 'skip';

/** PubMed records nest about a dozen levels (MathML a few more); deeper is hostile or broken. */
export const MAX_XML_DEPTH = 128;
/** Text in one record; the longest real abstracts are tens of KiB. Bounds memory per record. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/**
 * A saxes parser wired to push ImportItems into `queue` as records close.
 * @param path names the input in error messages
 * @param queue receives the items of each record as it closes
 * @param options.position tracks line and column for errors (default); off only where a
 *   caller locates errors itself
 */
export function createPubmedParser(
  path: string,
  queue: ImportItem[],
  options: { position?: boolean } = {},
): SaxesParser<{ xmlns: false; fileName: string }> {
  // Strict, non-validating: saxes never reads external DTDs or expands entities beyond XML's five.
  const position = options.position ?? true;
  const parser = new SaxesParser({ xmlns: false, fileName: path, position });
  const builder = new XmlTreeBuilder();
  let depth = 0;
  let mode: Mode = 'outside';
  let recordChars = 0;
  const fail = (what: string) => (position ? malformed(path, what, parser.line, parser.column) : malformed(path, what));

  parser.on('doctype', (doctype) => {
    // PubMed's DOCTYPE never has an internal subset; one that does is where entity bombs live.
    if (doctype.includes('[')) throw fail('a DOCTYPE with an internal subset (entity definitions) is not accepted');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    depth++;
    if (depth > MAX_XML_DEPTH) throw fail(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
    if (depth === 1) {
      if (tag.name !== ROOT) throw fail(`root element is <${tag.name}>, expected <${ROOT}>`);
      return;
    }
    if (depth === 2) {
      mode = recordMode(tag.name);
      recordChars = 0;
    }
    if (mode === 'article' || mode === 'delete') builder.open(tag.name, tag.attributes);
  });
  const onText = (text: string) => {
    if (mode !== 'article' && mode !== 'delete') return;
    recordChars += text.length;
    if (recordChars > MAX_RECORD_CHARS) throw fail(`a record with more than ${MAX_RECORD_CHARS} characters of text`);
    builder.text(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (mode === 'article' || mode === 'delete') {
      const element = builder.close();
      if (builder.depth === 0 && element !== undefined) queue.push(...recordItems(mode, element));
    }
    if (depth === 2) mode = 'outside';
    depth--;
  });
  return parser;
}

function recordMode(name: string): Mode {
  if (name === 'PubmedArticle') return 'article';
  if (name === 'DeleteCitation') return 'delete';
  return 'skip';
}

function recordItems(mode: 'article' | 'delete', element: XmlElement): ImportItem[] {
  if (mode === 'delete') {
    return children(element, 'PMID')
      .map((e) => squashedText(e))
      .filter((pmid) => pmid !== '')
      .map((pmid) => ({ op: 'delete', documentId: pubmedDocumentId(pmid) }));
  }
  const document = pubmedArticleToDocument(element);
  return document === null ? [] : [{ op: 'put', document }];
}

/**
 * Parses a whole PubMed XML text (an efetch response) into items. `label` stands for the file
 * name in error messages ("efetch retstart=200:3:14: …").
 */
export function parsePubmedText(text: string, label: string): ImportItem[] {
  const queue: ImportItem[] = [];
  const parser = createPubmedParser(label, queue);
  const blanker = new ElementBlanker();
  feed(label, () => parser.write(blanker.push(text) + blanker.flush()));
  feed(label, () => parser.close());
  return queue;
}
