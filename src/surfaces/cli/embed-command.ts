import type { Command } from 'commander';
import type { App } from '../../app/app.js';
import { countProgress } from './progress.js';

export interface EmbedCommandContext {
  out: (text: string) => void;
  withApp: <T>(work: (app: App) => Promise<T>) => Promise<T>;
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
        const progress = countProgress('embedding', 'passages', 5000);
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
