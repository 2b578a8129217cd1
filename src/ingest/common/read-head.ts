import { openText } from './open-text.js';

export const DEFAULT_HEAD_CHARS = 8192;

/**
 * The first few KiB of a file as text, decompressed when it is gzip data: enough for an
 * importer's `accepts` to recognise the format. A gzip file too short to inflate yields ''.
 */
export async function readHead(path: string, chars = DEFAULT_HEAD_CHARS): Promise<string> {
  let head = '';
  try {
    for await (const chunk of openText(path)) {
      head += chunk;
      if (head.length >= chars) break;
    }
  } catch (error) {
    // A damaged file still gets its format recognised from what could be read; read() reports it.
    if (head === '' && !isMalformed(error)) throw error;
  }
  return head.slice(0, chars);
}

function isMalformed(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'FILE_MALFORMED';
}
