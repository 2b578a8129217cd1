import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { App } from '../../app/app.js';

export interface LibraryCommandContext {
  out: (text: string) => void;
  withApp: <T>(work: (app: App) => Promise<T>) => Promise<T>;
}

/** `evidentia library optimize`: upkeep of the library's database. */
export function registerLibraryCommand(program: Command, context: LibraryCommandContext): void {
  const library = program.command('library').description('upkeep of the library database');
  library
    .command('optimize')
    .description(
      'compact the search indexes after large imports: searches read less and find the same (about a minute per million documents)',
    )
    .action(async () => {
      await context.withApp(async (app) => {
        const started = performance.now();
        await app.optimizeLibrary();
        context.out(`search indexes optimized in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      });
    });
}
