import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EvidentiaError } from '../../domain/errors.js';
import type { ReadProgress } from '../importer.js';
import { collect } from './collect.js';
import { contentName, hasExtension } from './file-name.js';
import { readJsonl, splitLines } from './jsonl.js';
import { describeIssue, malformed } from './malformed.js';
import { openText, readSmallText } from './open-text.js';
import { readHead } from './read-head.js';
import { createIdDeduper } from './unique-ids.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'evidentia-common-'));
}

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function failure(run: () => Promise<unknown>): Promise<EvidentiaError> {
  const error: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvidentiaError);
  return error as EvidentiaError;
}

describe('splitLines', () => {
  it('numbers lines across chunk boundaries, CRLF and a missing final newline', async () => {
    const lines = await collect(splitLines(chunks('a\r\nb', 'c\n\nd', 'e')));
    expect(lines).toEqual([
      { lineNumber: 1, text: 'a' },
      { lineNumber: 2, text: 'bc' },
      { lineNumber: 3, text: '' },
      { lineNumber: 4, text: 'de' },
    ]);
  });

  it('yields nothing for empty input and no phantom line after a final newline', async () => {
    expect(await collect(splitLines(chunks()))).toEqual([]);
    expect(await collect(splitLines(chunks('x\n')))).toEqual([{ lineNumber: 1, text: 'x' }]);
  });
});

describe('readJsonl', () => {
  it('reads objects with their line numbers, skipping blank lines', async () => {
    const file = path.join(await tempDir(), 'rows.jsonl');
    await writeFile(file, '{"a":1}\n\n{"a":2}\n');
    const rows = await collect(readJsonl(file));
    expect(rows).toEqual([
      { lineNumber: 1, value: { a: 1 } },
      { lineNumber: 3, value: { a: 2 } },
    ]);
  });

  it('names the file and line of a line that is not JSON', async () => {
    const file = path.join(await tempDir(), 'bad.jsonl');
    await writeFile(file, '{"a":1}\n{"a":\n');
    const error = await failure(() => collect(readJsonl(file)));
    expect(error.code).toBe('FILE_MALFORMED');
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(file)}:2: not valid JSON \\(`));
  });

  it('refuses a line that is JSON but not an object', async () => {
    const file = path.join(await tempDir(), 'array.jsonl');
    await writeFile(file, '{"a":1}\n[1,2]\n');
    const error = await failure(() => collect(readJsonl(file)));
    expect(error.message).toBe(`${file}:2: expected a JSON object on this line`);
  });

  it('reads gzip the same as plain text', async () => {
    const dir = await tempDir();
    const text = '{"n":1}\n{"n":2}\n';
    await writeFile(path.join(dir, 'p.jsonl'), text);
    await writeFile(path.join(dir, 'p.jsonl.gz'), gzipSync(text));
    expect(await collect(readJsonl(path.join(dir, 'p.jsonl.gz')))).toEqual(
      await collect(readJsonl(path.join(dir, 'p.jsonl'))),
    );
  });
});

describe('openText', () => {
  it('reports FILE_NOT_FOUND for a missing file and INPUT_INVALID for a folder', async () => {
    const dir = await tempDir();
    const missing = await failure(() => collect(openText(path.join(dir, 'nope.xml'))));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toContain('nope.xml');
    await mkdir(path.join(dir, 'sub'));
    expect((await failure(() => collect(openText(path.join(dir, 'sub'))))).code).toBe('INPUT_INVALID');
  });

  it('refuses a .gz file that is not gzip data', async () => {
    const file = path.join(await tempDir(), 'fake.jsonl.gz');
    await writeFile(file, '{"a":1}\n');
    const error = await failure(() => collect(openText(file)));
    expect(error.code).toBe('FILE_MALFORMED');
    expect(error.message).toBe(`${file}: named .gz but is not gzip data`);
  });

  it('decodes UTF-8 split across chunks and reports progress to the end', async () => {
    const file = path.join(await tempDir(), 'utf8.txt');
    // 200k two-byte characters: several 64 KiB chunks, most ending mid-character.
    const text = 'é'.repeat(200_000);
    await writeFile(file, text);
    const progress: ReadProgress[] = [];
    const read = (await collect(openText(file, { onProgress: (p) => progress.push(p) }))).join('');
    expect(read).toBe(text);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ bytesRead: 400_000, totalBytes: 400_000 });
  });

  it('guards the size of files read whole', async () => {
    const file = path.join(await tempDir(), 'big.md');
    await writeFile(file, 'x'.repeat(1000));
    const error = await failure(() => readSmallText(file, {}, 100));
    expect(error.message).toBe(`${file}: larger than 100 characters; split it into smaller files`);
  });
});

describe('readHead', () => {
  it('returns the first characters, decompressed when gzip', async () => {
    const dir = await tempDir();
    const text = `<?xml version="1.0"?>\n<PubmedArticleSet>${'x'.repeat(100_000)}`;
    await writeFile(path.join(dir, 'a.xml.gz'), gzipSync(text));
    const head = await readHead(path.join(dir, 'a.xml.gz'), 50);
    expect(head).toBe(text.slice(0, 50));
  });

  it('still recognises a damaged gzip file from what inflates', async () => {
    const dir = await tempDir();
    const text = `{"_id":"1","text":"${'y'.repeat(200_000)}"}\n`;
    const compressed = gzipSync(text);
    await writeFile(path.join(dir, 'cut.jsonl.gz'), compressed.subarray(0, compressed.length - 20));
    expect(await readHead(path.join(dir, 'cut.jsonl.gz'), 20)).toBe(text.slice(0, 20));
  });
});

describe('small helpers', () => {
  it('formats malformed messages on one line with the position given', () => {
    expect(malformed('/x/a.jsonl', 'bad\n  value', 3).message).toBe('/x/a.jsonl:3: bad value');
    expect(malformed('/x/a.xml', 'oops', 3, 9).message).toBe('/x/a.xml:3:9: oops');
    expect(malformed('/x/a.md', 'oops').code).toBe('FILE_MALFORMED');
    expect(describeIssue({ path: ['recommendations', 0, 'direction'], message: 'bad' })).toBe(
      'field "recommendations.0.direction": bad',
    );
  });

  it('sees through .gz in names', () => {
    expect(contentName('/d/corpus.jsonl.gz')).toBe('corpus.jsonl');
    expect(hasExtension('/d/NOTES.MD', '.md')).toBe(true);
    expect(hasExtension('/d/notes.md.gz', '.md')).toBe(true);
    expect(hasExtension('/d/notes.txt', '.md', '.markdown')).toBe(false);
  });

  it('keeps repeated ids apart in file order', () => {
    const unique = createIdDeduper();
    expect(['a', 'b', 'a', 'a', 'b'].map(unique)).toEqual(['a', 'b', 'a~2', 'a~3', 'b~2']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
