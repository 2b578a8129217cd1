import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { IngestCallbacks } from '../../app/app.js';

/**
 * Progress for ingest: a bar on a terminal, one line per file otherwise (logs, CI). Everything
 * goes to stderr so stdout stays clean for results.
 */
export function ingestProgress(stream: NodeJS.WriteStream = process.stderr): IngestCallbacks & { stop(): void } {
  const tty = stream.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  return {
    onFileStart(path, format, index, total) {
      if (!tty) return;
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `[${index + 1}/${total}] {file} |{bar}| {percentage}% · {docs} docs · {eta_formatted} left`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(1, 0, { file: `${basename(path)} (${format})`, docs: 0 });
    },
    onProgress(_path, progress, documents) {
      if (!bar) return;
      if (progress.totalBytes !== undefined) bar.setTotal(progress.totalBytes);
      bar.update(progress.bytesRead, { docs: documents });
    },
    onFileDone(report) {
      if (bar) {
        bar.update(bar.getTotal(), {});
        bar.stop();
        bar = undefined;
      }
      stream.write(
        `${report.path}: ${report.format}: ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted\n`,
      );
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * Progress of counted work (passages embedded, documents re-indexed): a bar on a terminal, a line
 * every `lineEvery` items otherwise (logs, CI), on stderr so stdout stays clean.
 * @param label what is being done ("embedding", "rebuilding search indexes")
 * @param unit what is counted ("passages", "documents")
 * @param lineEvery items between two lines when not on a terminal
 */
export function countProgress(
  label: string,
  unit: string,
  lineEvery: number,
  stream: NodeJS.WriteStream = process.stderr,
): { update: (done: number, total: number) => void; stop: () => void } {
  if (stream.isTTY !== true) {
    let reported = 0;
    return {
      update(done, total) {
        if (done === total || done - reported >= lineEvery) {
          reported = done;
          stream.write(`${label}: ${done}/${total} ${unit}\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} |{bar}| {value}/{total} ${unit} · {eta_formatted} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
