import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openApp, type App } from '../../app/app.js';
import { loadConfig } from '../../config/config.js';
import type { AnswerEvaluation } from '../../eval/answers.js';
import { formatPerQuery, formatReport } from '../../eval/retrieval-eval.js';

export interface EvalCommandContext {
  out: (text: string) => void;
  withApp: <T>(work: (app: App) => Promise<T>) => Promise<T>;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const fixed = (n: number) => n.toFixed(3);

function answersTable(result: AnswerEvaluation): string {
  const { evidentia: e, baseline: b } = result;
  const lines = [
    `questions ${e.questions}`,
    `                 evidentia  baseline`,
    `ROUGE-2 recall   ${fixed(e.rouge2Recall)}      ${fixed(b.rouge2Recall)}`,
    `yes/no accuracy  ${fixed(e.yesNoAccuracy)}      ${fixed(b.yesNoAccuracy)}`,
    `abstained        ${fixed(e.abstained)}      ${fixed(b.abstained)}`,
    `baseline: ${b.description}`,
  ];
  if (result.abstention) {
    const a = result.abstention;
    lines.push(
      `abstention with gold documents present ${fixed(a.goldPresent)}; with them removed ${fixed(a.goldAbsent)} (${a.questionsAbsent} questions)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `evidentia eval …`: measurements over public datasets, each beside its baseline. */
export function registerEvalCommand(program: Command, context: EvalCommandContext): Command {
  const evalCommand = program.command('eval').description('measure Evidentia on a dataset beside a baseline');
  evalCommand
    .command('answers')
    .description('answer a BioASQ folder (library = its corpus.jsonl): ROUGE-2 recall, yes/no accuracy, abstention')
    .argument('<dir>', 'folder with corpus.jsonl and questions.jsonl, e.g. ../shared/data/bioasq_dev')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'score only the first n questions', positiveInt)
    .option('--every <n>', 'keep one question in n', positiveInt)
    .option('--offset <n>', 'with --every, keep the question at this place in each n (0 = first)', positiveInt)
    .option('--absent <n>', 'questions re-asked with their gold documents removed (0 = skip)', positiveInt, 100)
    .action(
      async (
        dir: string,
        options: { json?: boolean; limit?: number; every?: number; offset?: number; absent: number },
      ) => {
        const result = await context.withApp((app) =>
          app.evalAnswers(dir, {
            ...(options.limit !== undefined ? { limit: options.limit } : {}),
            ...(options.every !== undefined ? { every: options.every } : {}),
            ...(options.offset !== undefined ? { offset: options.offset } : {}),
            absentSample: options.absent,
            onProgress: (done, total) => {
              if (!options.json && process.stderr.isTTY) process.stderr.write(`\ranswered ${done}/${total}`);
            },
          }),
        );
        if (!options.json && process.stderr.isTTY) process.stderr.write('\n');
        context.out(options.json ? `${JSON.stringify(result)}\n` : answersTable(result));
      },
    );
  evalCommand
    .command('retrieval')
    .description(
      'load a BEIR folder (corpus.jsonl, queries.jsonl, qrels.tsv) or the PubMedQA folder and print nDCG@10, Recall@100, MRR@10 and latency for Evidentia and plain BM25',
    )
    .argument('<beir-dir>', 'the collection folder')
    .option('--json', 'print one JSON object')
    .option('--per-query <file>', "write each query's nDCG@10, Recall@100 and MRR@10 for both systems to a TSV file")
    .action(async (dir: string, options: { json?: boolean; perQuery?: string }) => {
      const chosen = program.opts<{ db?: string }>().db;
      // Without --db the corpus goes into a fresh library that is removed afterwards.
      const scratch = chosen ? null : mkdtempSync(join(tmpdir(), 'evidentia-eval-'));
      const app = openApp(loadConfig({ dbPath: chosen ?? join(scratch!, 'library.db') }));
      try {
        const report = await app.evaluateRetrieval(dir, {
          loaded: (n) => process.stderr.write(`\rloaded ${n} documents`),
          embedded: (done, total) => process.stderr.write(`\rembedded ${done}/${total} passages   `),
          queried: (done, total) => {
            if (done === total || done % 100 === 0) process.stderr.write(`\rqueries ${done}/${total}   `);
          },
        });
        process.stderr.write(`\nretriever: ${app.retriever}\n`);
        if (options.perQuery) writeFileSync(options.perQuery, formatPerQuery(report));
        if (options.json) {
          const { evidentia, bm25 } = report;
          context.out(`${JSON.stringify({ evidentia, bm25 })}\n`);
        } else context.out(`${formatReport(report)}evidentia retriever: ${app.retriever}\n`);
      } finally {
        await app.close();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    });
  return evalCommand;
}
