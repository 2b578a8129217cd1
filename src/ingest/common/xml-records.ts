import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EvidentiaError, isEvidentiaError } from '../../domain/errors.js';
import type { ImportOptions } from '../importer.js';
import { XmlTreeBuilder, type XmlElement } from '../pubmed/xml-tree.js';
import { malformed, oneLine } from './malformed.js';
import { openText } from './open-text.js';

/** Which elements of a file are records, and which roots the format allows. */
export interface XmlRecordShape {
  /** Root element names the format accepts (the first one is named in messages). */
  roots: readonly string[];
  /** Whether an element opened at `depth` (1 = root) under `parent` starts a record. */
  isRecord(name: string, depth: number, parent: string | undefined): boolean;
}

/**
 * Streams the records of an XML file as small element trees, one at a time, so memory stays at
 * one record. Strict and non-validating: a DOCTYPE with an internal subset (where entity bombs
 * live) and undefined entities are refused as FILE_MALFORMED with file:line:column.
 */
export async function* readXmlRecords(
  path: string,
  shape: XmlRecordShape,
  options: ImportOptions = {},
): AsyncGenerator<XmlElement> {
  const queue: XmlElement[] = [];
  const parser = createRecordParser(path, shape, queue);
  for await (const chunk of openText(path, options)) {
    feed(path, () => parser.write(chunk));
    yield* queue.splice(0);
  }
  feed(path, () => parser.close());
  yield* queue.splice(0);
}

/** The records of an XML text held in memory (a web service's answer); `label` names it in errors. */
export function parseXmlRecordsText(text: string, label: string, shape: XmlRecordShape): XmlElement[] {
  const queue: XmlElement[] = [];
  const parser = createRecordParser(label, shape, queue);
  feed(label, () => parser.write(text));
  feed(label, () => parser.close());
  return queue;
}

function createRecordParser(
  path: string,
  shape: XmlRecordShape,
  queue: XmlElement[],
): SaxesParser<{ xmlns: false; fileName: string }> {
  const parser = new SaxesParser({ xmlns: false, fileName: path, position: true });
  const builder = new XmlTreeBuilder();
  const stack: string[] = [];
  let recordDepth = 0;
  const fail = (what: string) => malformed(path, what, parser.line, parser.column);

  parser.on('doctype', (doctype) => {
    if (doctype.includes('[')) throw fail('a DOCTYPE with an internal subset (entity definitions) is not accepted');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const depth = stack.length + 1;
    if (depth === 1 && !shape.roots.includes(tag.name)) {
      throw fail(`root element is <${tag.name}>, expected <${shape.roots[0] ?? '?'}>`);
    }
    if (recordDepth === 0 && shape.isRecord(tag.name, depth, stack[stack.length - 1])) recordDepth = depth;
    if (recordDepth !== 0) builder.open(tag.name, tag.attributes);
    stack.push(tag.name);
  });
  const onText = (text: string) => {
    if (recordDepth !== 0) builder.text(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (recordDepth !== 0) {
      const element = builder.close();
      if (stack.length === recordDepth) {
        recordDepth = 0;
        if (element !== undefined) queue.push(element);
      }
    }
    stack.pop();
  });
  return parser;
}

/** Runs a parser step, turning saxes' "file:line:col: message" errors into FILE_MALFORMED. */
export function feed(path: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (isEvidentiaError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new EvidentiaError('FILE_MALFORMED', oneLine(message.startsWith(path) ? message : `${path}: ${message}`), {
      cause: error,
    });
  }
}

/** The name of the first element in a file's head, past the prolog, comments and DOCTYPE. */
export function rootElementName(head: string): string | undefined {
  const body = head
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i, '');
  return /^\s*<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}
