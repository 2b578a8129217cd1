import type { ImportOptions } from '../importer.js';
import { malformed } from './malformed.js';
import { openText } from './open-text.js';

export interface NumberedLine {
  /** 1-based line number in the (decompressed) file. */
  lineNumber: number;
  text: string;
}

/** Splits a stream of text chunks into lines (LF or CRLF), keeping line numbers. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<NumberedLine> {
  let carry = '';
  let lineNumber = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lineNumber++;
      yield { lineNumber, text: stripCr(text.slice(start, end)) };
      start = end + 1;
    }
    carry = text.slice(start);
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
  for await (const { lineNumber, text } of splitLines(openText(path, options))) {
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
