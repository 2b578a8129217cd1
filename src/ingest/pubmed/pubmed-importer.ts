import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EvidentiaError, isEvidentiaError } from '../../domain/errors.js';
import type { ImportItem, ImportOptions, Importer } from '../importer.js';
import { malformed } from '../common/malformed.js';
import { openText } from '../common/open-text.js';
import { feed } from '../common/xml-records.js';
import { ElementBlanker, SKIPPED_PUBMED_ELEMENTS } from './skip-elements.js';
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
  // Elements the mapping never reads are cut before parsing (see skip-elements.ts); with no
  // positions tracked, not even their line breaks are kept.
  const blanker = new ElementBlanker(SKIPPED_PUBMED_ELEMENTS, { keepLines: false });
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

/**
 * Young generation of each parsing worker, in MB (V8 splits it into semi-spaces of a third).
 * Parsing makes many short-lived strings and a larger one means fewer scavenges; with two
 * workers a larger one still would push peak memory towards the 500 MB budget.
 */
const WORKER_YOUNG_MB = 32;

/** Below this size a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Parsing workers for one large file. Parsing a record costs about as much CPU as storing it,
 * so one parser leaves the storing thread waiting whenever it falls behind; two keep it busy,
 * and more would only compete with it for a small machine's cores.
 */
export const PARSE_WORKERS = 2;

/**
 * The worker script when it can run: the built .js. Running from TypeScript sources (a test
 * runner, tsx) there is none, and files are read in-line.
 */
function workerUrl(): URL | undefined {
  const js = new URL('./pubmed-worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : undefined;
}

/**
 * Reads PubMed XML like `readPubmed`, parsing large files on worker threads so the caller's
 * work on each item (storing it) overlaps with parsing: the file is cut into blocks of whole
 * records (record-blocks.ts) and the workers take turns, block by block; items come out in
 * file order. A block that does not parse on its own (a broken file, or one cut where it
 * should not be) hands over to one in-line parse of the whole file, which gives the same
 * items and the exact error a single parser would.
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
  const pool = startWorkers(url, path);
  const stop = () => Promise.all(pool.slots.map((slot) => slot.worker.terminate()));
  let yielded = 0;
  let bytesRead = 0;
  try {
    for (let next = 0; ; next++) {
      const slot = pool.slots[next % pool.slots.length] as WorkerSlot;
      const message = await pool.take(slot, next);
      if (message === undefined) {
        // This block did not parse on its own: the rest comes from one parse of the whole file.
        await stop();
        yield* skipItems(readPubmed(path, options), yielded);
        return;
      }
      // Let the worker parse its next block while this one is stored.
      slot.worker.postMessage('more');
      if (message.progress !== undefined && message.progress.bytesRead > bytesRead) {
        bytesRead = message.progress.bytesRead;
        options.onProgress?.(message.progress);
      }
      for (const item of message.items) {
        yielded++;
        yield item;
      }
      if (message.last) return;
    }
  } finally {
    await stop();
  }
}

interface WorkerSlot {
  worker: Worker;
  /** Blocks this worker has parsed, by index, until they are taken. */
  blocks: Map<number, BlockMessage>;
  /** Set when the worker reported a block it could not parse: it sends nothing more. */
  failedAt: number | undefined;
}

type BlockMessage = Extract<WorkerMessage, { kind: 'block' }>;

/** Starts the parsing workers of one file; `take` waits for a given block from its worker. */
function startWorkers(url: URL, path: string) {
  let waiting: (() => void) | undefined;
  let failure: unknown;
  const arrive = () => {
    waiting?.();
    waiting = undefined;
  };
  const slots: WorkerSlot[] = [];
  for (let i = 0; i < PARSE_WORKERS; i++) {
    const worker = new Worker(url, {
      workerData: { path, worker: i, workers: PARSE_WORKERS },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: WorkerSlot = { worker, blocks: new Map(), failedAt: undefined };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'block') slot.blocks.set(message.index, message);
      else slot.failedAt = message.index;
      arrive();
    });
    worker.on('error', (error) => {
      failure = error;
      arrive();
    });
    worker.on('exit', (code) => {
      if (code !== 0 && failure === undefined)
        failure = new EvidentiaError('INTERNAL', `${path}: a parsing worker stopped (${code})`);
      arrive();
    });
    slots.push(slot);
  }
  /** Block `index` from `slot`'s worker, or undefined when that worker could not parse it. */
  const take = async (slot: WorkerSlot, index: number): Promise<BlockMessage | undefined> => {
    for (;;) {
      const message = slot.blocks.get(index);
      if (message !== undefined) {
        slot.blocks.delete(index);
        return message;
      }
      if (slot.failedAt !== undefined && slot.failedAt <= index) return undefined;
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => (waiting = resolve));
    }
  };
  return { slots, take };
}

/** The items of `items` after the first `count`: those already handed on. */
async function* skipItems(items: AsyncIterable<ImportItem>, count: number): AsyncGenerator<ImportItem> {
  let seen = 0;
  for await (const item of items) if (seen++ >= count) yield item;
}

/**
 * Parses one block of whole records cut from a file (record-blocks.ts). Blocks after the first
 * are parsed inside a root of their own; every block but the last must end with only the root
 * open, so a cut that fell anywhere but between two records of the root is an error here.
 * Errors carry no position: the caller parses the whole file again to locate them.
 * @param path names the input in error messages
 * @param bytes the block, UTF-8
 * @param block which block it is: the first holds the prolog and the root's start tag, the
 *   last the root's end tag
 */
export function parsePubmedBlock(path: string, bytes: Buffer, block: { index: number; last: boolean }): ImportItem[] {
  const queue: ImportItem[] = [];
  const parser = createPubmedParser(path, queue, { position: false });
  const blanker = new ElementBlanker(SKIPPED_PUBMED_ELEMENTS, { keepLines: false });
  if (block.index !== 0) feed(path, () => parser.write(`<${ROOT}>`));
  // Decoded piece by piece: strings under V8's large-object size die young and cheaply. The
  // streaming decoder carries a character split across two pieces over to the next.
  const decoder = new TextDecoder('utf-8');
  for (let at = 0; at < bytes.length; at += BLOCK_PIECE_BYTES) {
    const text = decoder.decode(bytes.subarray(at, at + BLOCK_PIECE_BYTES), { stream: true });
    feed(path, () => parser.write(blanker.push(text)));
  }
  const rest = decoder.decode();
  if (rest !== '') feed(path, () => parser.write(blanker.push(rest)));
  feed(path, () => parser.write(blanker.flush()));
  if (!block.last) feed(path, () => parser.write(`</${ROOT}>`));
  feed(path, () => parser.close());
  return queue;
}

/** Bytes of a block decoded and parsed at a time. */
const BLOCK_PIECE_BYTES = 32 * 1024;

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
