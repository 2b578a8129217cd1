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
