import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openApp } from '../../app/app.js';
import { loadConfig } from '../../config/config.js';
import { formatReport } from '../../eval/retrieval-eval.js';

/**
 * Registers `evidentia eval`, the parent of the measuring commands, with `eval retrieval`.
 * @param program the root command (its --db option chooses the library)
 * @param io where results are printed
 */
export function registerEvalCommand(program: Command, io: { out: (text: string) => void }): Command {
  const evalCommand = program.command('eval').description('measure Evidentia on test collections');
  evalCommand
    .command('retrieval')
    .description(
      'load a BEIR folder (corpus.jsonl, queries.jsonl, qrels.tsv) or the PubMedQA folder and print nDCG@10, Recall@100, MRR@10 and latency for Evidentia and plain BM25',
    )
    .argument('<beir-dir>', 'the collection folder')
    .option('--json', 'print one JSON object')
    .action(async (dir: string, options: { json?: boolean }) => {
      const chosen = program.opts<{ db?: string }>().db;
      // Without --db the corpus goes into a fresh library that is removed afterwards.
      const scratch = chosen ? null : mkdtempSync(join(tmpdir(), 'evidentia-eval-'));
      const app = openApp(loadConfig({ dbPath: chosen ?? join(scratch!, 'library.db') }));
      try {
        const report = await app.evaluateRetrieval(dir, {
          loaded: (n) => process.stderr.write(`\rloaded ${n} documents`),
          queried: (done, total) => {
            if (done === total || done % 100 === 0) process.stderr.write(`\rqueries ${done}/${total}   `);
          },
        });
        process.stderr.write('\n');
        if (options.json) {
          const { evidentia, bm25 } = report;
          io.out(`${JSON.stringify({ evidentia, bm25 })}\n`);
        } else io.out(formatReport(report));
      } finally {
        await app.close();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    });
  return evalCommand;
}
