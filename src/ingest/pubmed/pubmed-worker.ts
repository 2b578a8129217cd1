/**
 * Worker entry: reads one PubMed XML file, cuts it into blocks of whole records and parses
 * every PARSE_WORKERS-th block, starting at its own number; posts each block's items, at most
 * a few ahead of the consumer, so parsing runs beside the thread that stores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadProgress } from '../importer.js';
import { openBytes } from '../common/open-text.js';
import { parsePubmedBlock } from './pubmed-importer.js';
import { cutRecordBlocks } from './record-blocks.js';
import { BLOCK_BYTES, MAX_BLOCK_BYTES, WORKER_BLOCKS_AHEAD, type WorkerMessage } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('pubmed-worker runs as a worker thread only');

let credits = WORKER_BLOCKS_AHEAD;
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

/**
 * @param path the file
 * @param worker this worker's number, 0-based
 * @param workers how many workers share the file
 */
async function run(path: string, worker: number, workers: number): Promise<void> {
  let progress: ReadProgress | undefined;
  let index = 0;
  try {
    const bytes = openBytes(path, { onProgress: (p) => (progress = p) });
    for await (const block of cutRecordBlocks(bytes, BLOCK_BYTES, MAX_BLOCK_BYTES)) {
      index = block.index;
      if (index % workers !== worker) continue;
      const items = parsePubmedBlock(path, block.bytes, block);
      await send({ kind: 'block', index, items, progress, last: block.last });
    }
  } catch {
    // The reader parses the whole file again in one piece, which names the error exactly.
    port?.postMessage({ kind: 'failed', index } satisfies WorkerMessage);
  }
}

const { path, worker, workers } = workerData as { path: string; worker: number; workers: number };
await run(path, worker, workers);
