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
