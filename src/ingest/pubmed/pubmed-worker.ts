/**
 * Worker entry: parses one PubMed XML file and posts its items in batches, at most a few ahead
 * of the consumer, so parsing runs on its own core while the other stores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isEvidentiaError } from '../../domain/errors.js';
import type { ImportItem, ReadProgress } from '../importer.js';
import { readPubmed } from './pubmed-importer.js';
import { WORKER_BATCH, WORKER_BATCHES_AHEAD, type WorkerMessage } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('pubmed-worker runs as a worker thread only');

let credits = WORKER_BATCHES_AHEAD;
let wake: (() => void) | undefined;
port.on('message', (message: unknown) => {
  if (message !== 'more') return;
  credits++;
  wake?.();
  wake = undefined;
});

async function send(message: WorkerMessage): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port?.postMessage(message);
}

async function run(path: string): Promise<void> {
  let progress: ReadProgress | undefined;
  let batch: ImportItem[] = [];
  try {
    for await (const item of readPubmed(path, { onProgress: (p) => (progress = p) })) {
      batch.push(item);
      if (batch.length >= WORKER_BATCH) {
        await send({ kind: 'items', items: batch, progress });
        batch = [];
      }
    }
    await send({ kind: 'items', items: batch, progress, done: true });
  } catch (error) {
    port?.postMessage({
      kind: 'error',
      code: isEvidentiaError(error) ? error.code : 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerMessage);
  }
}

await run((workerData as { path: string }).path);
