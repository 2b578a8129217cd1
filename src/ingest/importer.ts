import type { SourceDocumentInput } from '../domain/source.js';

/** Progress of reading one file, in bytes of the (uncompressed or compressed) input. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number | undefined;
}

export interface ImportOptions {
  onProgress?: (progress: ReadProgress) => void;
}

/** A change an importer reads from its input: a document to store, or one to remove. */
export type ImportItem = { op: 'put'; document: SourceDocumentInput } | { op: 'delete'; documentId: string };

/**
 * Reads one file and yields documents as it goes, never holding the whole file in memory. A
 * malformed input throws EvidentiaError('FILE_MALFORMED') naming the file and the position
 * ("file.xml:120:7: …"); the caller's transaction then leaves nothing of that file behind.
 */
export interface Importer {
  /** Short name used in messages and in `--format`. */
  readonly name: string;
  /** Decides from the path and the first few KiB (already decompressed) whether this importer reads the file. */
  accepts(path: string, head: string): boolean;
  read(path: string, options?: ImportOptions): AsyncIterable<ImportItem>;
}
