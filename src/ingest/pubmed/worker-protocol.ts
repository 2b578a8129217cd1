import type { ImportItem, ReadProgress } from '../importer.js';

/** Blocks each worker may post before the reader has taken them: bounds memory. */
export const WORKER_BLOCKS_AHEAD = 3;

/** Least size of a block of records handed to one worker (record-blocks.ts). */
export const BLOCK_BYTES = 1024 * 1024;
/** A block that grows past this without a record end is read as one stream instead. */
export const MAX_BLOCK_BYTES = 64 * 1024 * 1024;

export type WorkerMessage =
  | { kind: 'block'; index: number; items: ImportItem[]; progress: ReadProgress | undefined; last: boolean }
  /** Block `index` (or the reading before it) failed; the worker sends nothing more. */
  | { kind: 'failed'; index: number };
