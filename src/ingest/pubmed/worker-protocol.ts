import type { ImportItem, ReadProgress } from '../importer.js';

/** Items per message between the parsing worker and the reader. */
export const WORKER_BATCH = 200;
/** Batches the worker may post before the reader has taken them: bounds memory. */
export const WORKER_BATCHES_AHEAD = 3;

export type WorkerMessage =
  | { kind: 'items'; items: ImportItem[]; progress: ReadProgress | undefined; done?: boolean }
  | { kind: 'error'; code: string; message: string };
