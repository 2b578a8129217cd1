import { basename } from 'node:path';

/** The file's base name with a trailing `.gz` removed: what the content is, compressed or not. */
export function contentName(path: string): string {
  return basename(path).replace(/\.gz$/i, '');
}

/** True when the file (ignoring a `.gz` suffix) ends with one of the extensions (".jsonl"…). */
export function hasExtension(path: string, ...extensions: string[]): boolean {
  const name = contentName(path).toLowerCase();
  return extensions.some((ext) => name.endsWith(ext.toLowerCase()));
}
