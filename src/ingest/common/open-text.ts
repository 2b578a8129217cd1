import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, Transform, pipeline, type Duplex } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EvidentiaError } from '../../domain/errors.js';
import type { ImportOptions } from '../importer.js';
import { malformed } from './malformed.js';

const CHUNK_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Maps file-system failures to the error catalogue; anything else passes through. */
export function fileError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new EvidentiaError('FILE_NOT_FOUND', `${path}: no such file`, { cause: error });
  if (code === 'EISDIR')
    return new EvidentiaError('INPUT_INVALID', `${path}: is a folder, not a file`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new EvidentiaError('INPUT_INVALID', `${path}: permission denied`, { cause: error });
  }
  return error;
}

/** Whether the file starts with the gzip magic bytes (the name alone can lie). */
export async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle?.close();
  }
}

/**
 * Streams a file as UTF-8 text chunks, gunzipping it when it is gzip data. Progress counts
 * bytes of the file on disk, so a compressed file's bar ends at its compressed size. A gzip
 * stream that is cut short or corrupt becomes FILE_MALFORMED.
 */
export async function* openText(path: string, options: ImportOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of openBytes(path, options)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/**
 * Streams a file's bytes, gunzipped when it is gzip data, with the same progress and errors as
 * `openText`: for readers that cut the bytes before decoding them.
 * @param chunkBytes size of each read from disk, and of each piece gunzip hands on
 */
export async function* openBytes(
  path: string,
  options: ImportOptions = {},
  chunkBytes: number = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  let totalBytes: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    totalBytes = info.size;
  } catch (error) {
    throw fileError(path, error);
  }
  const gzip = await isGzipFile(path);
  if (!gzip && /\.gz$/i.test(path)) throw malformed(path, 'named .gz but is not gzip data');

  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      options.onProgress?.({ bytesRead, totalBytes });
      done(null, chunk);
    },
  });
  // Gunzip's pieces are as large as the reads: a caller asking for large reads gets them.
  const out: Duplex = gzip ? createGunzip({ chunkSize: chunkBytes }) : new PassThrough();
  // pipeline destroys every stream with the first error, so iterating `out` rejects with it.
  pipeline(raw, counter, out, () => undefined);

  try {
    for await (const chunk of out) yield chunk as Buffer;
  } catch (error) {
    if (gzip && isZlibError(error)) {
      throw malformed(
        path,
        `gzip data is truncated or corrupt after ${bytesRead} compressed bytes (${(error as Error).message})`,
      );
    }
    throw fileError(path, error);
  } finally {
    // Stops reading when the consumer leaves early (an error, or `break`).
    raw.destroy();
    out.destroy();
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Reads a whole (small) file as text, with the same gzip handling and a size guard. */
export async function readSmallText(path: string, options: ImportOptions, maxChars: number): Promise<string> {
  let text = '';
  for await (const chunk of openText(path, options)) {
    text += chunk;
    if (text.length > maxChars)
      throw malformed(path, `larger than ${maxChars} characters; split it into smaller files`);
  }
  return text;
}
