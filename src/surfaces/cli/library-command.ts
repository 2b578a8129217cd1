import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { App } from '../../app/app.js';
import type { SearchIndexStatistics } from '../../ports/store.js';
import { countProgress } from './progress.js';

export interface LibraryCommandContext {
  out: (text: string) => void;
  withApp: <T>(work: (app: App) => Promise<T>) => Promise<T>;
}

/**
 * One line per index: the rows its ranking statistics count beside the rows it holds.
 * @param statistics what the store reports for each index
 */
export function describeSearchStatistics(statistics: readonly SearchIndexStatistics[]): string {
  return statistics
    .map((s) =>
      s.counted === s.rows
        ? `${s.index} index: ${s.rows} rows, ranking statistics in step\n`
        : `${s.index} index: ${s.rows} rows, ranking statistics count ${s.counted} (drifted by ${s.counted - s.rows}); \`evidentia library optimize\` repairs them\n`,
    )
    .join('');
}

/**
 * One line after an import when its changes or deletes left ranking statistics drifted, naming
 * the repair; nothing when they are in step.
 * @param statistics what the store reports for each index
 */
export function driftNotice(statistics: readonly SearchIndexStatistics[]): string {
  const drifted = statistics.filter((s) => s.counted !== s.rows);
  if (drifted.length === 0) return '';
  const figures = drifted.map((s) => `${s.index} by ${s.counted - s.rows} rows`).join(', ');
  return `search ranking statistics drifted (${figures}) after changes or deletes; \`evidentia library optimize\` repairs them
`;
}

/** `evidentia library optimize|status`: upkeep of the library's database. */
export function registerLibraryCommand(program: Command, context: LibraryCommandContext): void {
  const library = program.command('library').description('upkeep of the library database');
  library
    .command('optimize')
    .description(
      'compact the search indexes after large imports, rebuilding any whose ranking statistics drifted after deletes or changed documents: searches read less and score as in a fresh library (about a minute per million documents)',
    )
    .action(async () => {
      await context.withApp(async (app) => {
        const started = performance.now();
        const progress = countProgress('rebuilding search indexes', 'documents', 10_000);
        try {
          const report = await app.optimizeLibrary(({ done, total }) => progress.update(done, total));
          progress.stop();
          for (const s of report.rebuilt)
            context.out(
              `${s.index} index rebuilt: ranking statistics counted ${s.counted} rows, now ${s.rows} as held\n`,
            );
          context.out(`search indexes optimized in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        } finally {
          progress.stop();
        }
      });
    });
  library
    .command('status')
    .description("whether each search index's ranking statistics (row count, token totals) match the rows it holds")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await context.withApp(async (app) => {
        const statistics = await app.searchStatistics();
        context.out(options.json ? `${JSON.stringify(statistics)}\n` : describeSearchStatistics(statistics));
      });
    });
}
