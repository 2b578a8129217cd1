import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { App } from '../../app/app.js';

export interface EmbedCommandContext {
  out: (text: string) => void;
  withApp: <T>(work: (app: App) => Promise<T>) => Promise<T>;
}

/**
 * A progress display for embedding: a bar on a terminal, a line every few thousand passages
 * otherwise (logs, CI). It writes to stderr so stdout stays clean.
 */
function embedProgress(stream: NodeJS.WriteStream = process.stderr): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  if (stream.isTTY !== true) {
    let reported = 0;
    return {
      update(done, total) {
        if (done === total || done - reported >= 5000) {
          reported = done;
          stream.write(`embedded ${done}/${total} passages\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: 'embedding |{bar}| {value}/{total} passages · {eta_formatted} left', hideCursor: true },
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

/** `evidentia embed`: vectors for dense retrieval, for every passage that has none. */
export function registerEmbedCommand(program: Command, context: EmbedCommandContext): Command {
  return program
    .command('embed')
    .description(
      'compute passage vectors for dense retrieval with the configured model (EVIDENTIA_EMBEDDINGS_MODEL_DIR or EVIDENTIA_EMBEDDINGS_URL); only passages without one',
    )
    .option('--rebuild', 'drop every stored vector first (after changing model)')
    .action(async (options: { rebuild?: boolean }) => {
      await context.withApp(async (app) => {
        const progress = embedProgress();
        try {
          const report = await app.embed({ rebuild: options.rebuild ?? false, onProgress: progress.update });
          progress.stop();
          context.out(
            `embedded ${report.embedded} passage(s) with ${report.model}${report.dimension ? ` (${report.dimension} dimensions)` : ''}\n`,
          );
        } finally {
          progress.stop();
        }
      });
    });
}
