import { hash } from 'node:crypto';

/** A span of a string: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

// Abbreviations after which a full stop does not end a sentence (lower-cased, without the final dot).
const NON_TERMINAL = new Set([
  'e.g',
  'i.e',
  'et al',
  'vs',
  'cf',
  'approx',
  'fig',
  'figs',
  'no',
  'nos',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'ca',
  'resp',
  'incl',
  'ref',
  'refs',
  'vol',
  'pp',
  'ed',
  'eds',
  'inc',
  'ltd',
  'co',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'i.v',
  'p.o',
  'b.i.d',
  't.i.d',
  'q.i.d',
  'q.d',
  'u.s',
  'sp',
  'spp',
  'min',
  'max',
  'av',
  'est',
]);

// A sentence may end at . ! ? (with closing quotes or brackets) followed by white space.
const BOUNDARY = /[.!?]+["'’”)\]]*\s+/g;

/**
 * Splits text into sentences with exact offsets. Lines are hard boundaries (list items and
 * headings never run into each other); inside a line a sentence ends at a full stop, question or
 * exclamation mark followed by space, unless the stop follows a known abbreviation or an initial,
 * or the next word starts in lower case. Leading and trailing white space and list markers are
 * excluded from each span. A plain scanner rather than ICU's segmenter: same decisions on
 * clinical text, and fast enough for ingesting millions of abstracts.
 */
export function splitSentences(text: string): Span[] {
  const raw: Span[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    let from = 0;
    BOUNDARY.lastIndex = 0;
    for (let m = BOUNDARY.exec(line); m !== null; m = BOUNDARY.exec(line)) {
      const cut = m.index + m[0].length;
      raw.push({ start: lineStart + from, end: lineStart + cut });
      from = cut;
    }
    if (from < line.length) raw.push({ start: lineStart + from, end: lineEnd });
    lineStart = lineEnd + 1;
  }
  const merged: Span[] = [];
  for (const span of raw) {
    const trimmed = trimSpan(text, span);
    if (trimmed === null) continue;
    const prev = merged[merged.length - 1];
    if (prev && shouldJoin(text, prev, trimmed)) {
      prev.end = trimmed.end;
    } else {
      merged.push(trimmed);
    }
  }
  return merged;
}

function shouldJoin(text: string, prev: Span, next: Span): boolean {
  const between = text.slice(prev.end, next.start);
  if (between.includes('\n')) return false;
  // Only the tail matters, and looking at the tail alone keeps long sentences linear.
  const prevText = text.slice(Math.max(prev.start, prev.end - 24), prev.end);
  const lastWord = /([A-Za-z][A-Za-z.]*)\.$/.exec(prevText)?.[1]?.toLowerCase();
  if (lastWord !== undefined && NON_TERMINAL.has(lastWord)) return true;
  // A single capital initial ("J. Smith") never ends a sentence.
  if (/(^|\s)[A-Z]\.$/.test(prevText)) return true;
  // Nor does a stop followed by a word in lower case, or a stop inside brackets ("(p. 4)").
  const first = text.charAt(next.start);
  return /[a-z]/.test(first);
}

const LIST_MARKER = /^(?:[-*•·▪–]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)/;

function trimSpan(text: string, span: Span): Span | null {
  let { start, end } = span;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  const marker = LIST_MARKER.exec(text.slice(start, Math.min(end, start + 8)));
  if (marker) start += marker[0].length;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  const body = text.slice(start, end);
  // A bare list number ("1.") that ICU cut off from its item is not a sentence.
  if (end - start < 2 || !/[\p{L}\p{N}]/u.test(body) || /^\(?(?:\d{1,2}|[a-z])[.)]$/.test(body)) return null;
  return { start, end };
}

/** Hex SHA-256 of a string; used for content versions and settings fingerprints. */
export function sha256(value: string): string {
  // One-shot: no Hash object per call, which ingest pays once per document.
  return hash('sha256', value, 'hex');
}

/** Collapses white space and trims; for titles and inline fields. */
export function squash(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
