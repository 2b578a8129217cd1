import type { ImportOptions } from '../importer.js';
import { malformed } from './malformed.js';
import { openText } from './open-text.js';

export interface NumberedLine {
  /** 1-based line number in the (decompressed) file. */
  lineNumber: number;
  text: string;
}

/** One JSONL record longer than this is refused: it bounds memory, and no real record comes close. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

/**
 * Splits a stream of text chunks into lines (LF or CRLF), keeping line numbers.
 * @param onTooLong makes the error thrown when a line grows past `maxChars` (given its number)
 */
export async function* splitLines(
  chunks: AsyncIterable<string>,
  maxChars = Infinity,
  onTooLong: (lineNumber: number) => Error = (n) => new Error(`line ${n} is longer than ${maxChars} characters`),
): AsyncGenerator<NumberedLine> {
  let carry = '';
  let lineNumber = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lineNumber++;
      if (end - start > maxChars) throw onTooLong(lineNumber);
      yield { lineNumber, text: stripCr(text.slice(start, end)) };
      start = end + 1;
    }
    carry = text.slice(start);
    if (carry.length > maxChars) throw onTooLong(lineNumber + 1);
  }
  if (carry !== '') yield { lineNumber: lineNumber + 1, text: stripCr(carry) };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Real records nest a few levels; deeper ones would overflow the stack of whoever walks them. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays or objects deeper than `max`, found by one pass over the
 * characters (no recursion, so it cannot itself overflow). Brackets inside strings do not count.
 */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export interface JsonlRecord {
  lineNumber: number;
  value: Record<string, unknown>;
}

/**
 * Reads a JSONL file record by record. Blank lines are skipped; a line that is not a JSON
 * object throws FILE_MALFORMED as `file:line: …` (a truncated last line lands here too).
 */
export async function* readJsonl(path: string, options: ImportOptions = {}): AsyncGenerator<JsonlRecord> {
  const tooLong = (n: number) => malformed(path, `a line longer than ${MAX_LINE_CHARS} characters`, n);
  for await (const { lineNumber, text } of splitLines(openText(path, options), MAX_LINE_CHARS, tooLong)) {
    if (text.trim() === '') continue;
    if (exceedsDepth(text, MAX_JSON_DEPTH)) {
      throw malformed(path, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, lineNumber);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw malformed(path, `not valid JSON (${(error as Error).message})`, lineNumber);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw malformed(path, 'expected a JSON object on this line', lineNumber);
    }
    yield { lineNumber, value: value as Record<string, unknown> };
  }
}
