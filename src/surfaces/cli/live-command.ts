import { InvalidArgumentError, type Command } from 'commander';
import type { App, LiveReport } from '../../app/app.js';
import { EvidentiaError } from '../../domain/errors.js';

/** Options `ingest` takes for the live sources. */
export interface LiveIngestOptions {
  pubmed?: string;
  europepmc?: string;
  fullText?: boolean;
  max: number;
}

export const DEFAULT_LIVE_MAX = 100;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Adds --pubmed, --europepmc, --full-text and --max to the ingest command. */
export function addLiveIngestOptions(command: Command): Command {
  return command
    .option('--pubmed <query>', 'search PubMed (E-utilities) and store the records found')
    .option('--europepmc <query>', 'search Europe PMC and store the records found')
    .option('--full-text', 'with --europepmc: store open-access full text where the licence allows')
    .option('--max <n>', 'with --pubmed or --europepmc: the most records to fetch', positiveInteger, DEFAULT_LIVE_MAX);
}

/**
 * Runs the live part of `ingest` when asked for; returns false when the command is about files.
 * Progress goes to stderr, one line per source.
 */
export async function runLiveIngest(app: App, paths: readonly string[], options: LiveIngestOptions): Promise<boolean> {
  if (options.pubmed === undefined && options.europepmc === undefined) {
    if (paths.length === 0)
      throw new EvidentiaError('INPUT_INVALID', 'name files or folders to ingest, or use --pubmed "<query>"');
    return false;
  }
  const reports: LiveReport[] = [];
  if (options.pubmed !== undefined) reports.push(await app.ingestPubmed(options.pubmed, options.max));
  if (options.europepmc !== undefined) {
    reports.push(await app.ingestEuropePmc(options.europepmc, options.max, { fullText: options.fullText ?? false }));
  }
  for (const r of reports) {
    process.stderr.write(
      `${r.source} "${r.query}": fetched ${r.fetched} record(s): ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged\n`,
    );
  }
  return paths.length === 0;
}
