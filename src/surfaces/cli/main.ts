import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { openApp, type App } from '../../app/app.js';
import { debugEnabled, loadConfig } from '../../config/config.js';
import { Article } from '../../domain/article.js';
import { AUDIENCES, type Audience } from '../../domain/question.js';
import { isEvidentiaError } from '../../domain/errors.js';
import { OUTPUT_FORMATS, render, type OutputFormat } from '../../pipeline/render/render.js';
import { addLiveIngestOptions, runLiveIngest, type LiveIngestOptions } from './live-command.js';
import { registerEmbedCommand } from './embed-command.js';
import { registerEvalCommand } from './eval-command.js';
import { driftNotice, registerLibraryCommand } from './library-command.js';
import { ingestProgress } from './progress.js';
import { registerServeCommand } from './serve-command.js';
import { registerUserCommand } from './user-command.js';

/** Exit codes: 0 success, 1 the user can fix it, 2 a fault of ours. */
export const EXIT = { ok: 0, user: 1, internal: 2 } as const;

export const EXAMPLE_QUESTION =
  'What are the considerations and procedures for a patient with chronic back pain undergoing basivertebral nerve ablation?';

const SAMPLE_LIBRARY = fileURLToPath(new URL('../../../samples/library', import.meta.url));

interface GlobalOptions {
  db?: string;
}

async function withApp<T>(program: Command, work: (app: App) => Promise<T>): Promise<T> {
  const app = openApp(loadConfig({ dbPath: program.opts<GlobalOptions>().db }));
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function buildProgram(io: { out: (text: string) => void }): Command {
  const program = new Command('evidentia')
    .description('Evidence answer engine for clinical questions: cited answer articles from your library.')
    .option('--db <file>', 'library database file (default: in your user data folder; env EVIDENTIA_DB)')
    .showHelpAfterError('(run evidentia --help for usage)')
    .exitOverride();

  const ingest = program
    .command('ingest')
    .description(
      'load documents: PubMed XML, PMC JATS XML, PDF, BEIR corpus.jsonl, NGC or MedQuAD JSONL, Markdown with front matter (files, folders, .gz)',
    )
    .argument('[paths...]', 'files or folders');
  addLiveIngestOptions(ingest).action(async (paths: string[], options: LiveIngestOptions) => {
    await withApp(program, async (app) => {
      if (await runLiveIngest(app, paths, options)) return;
      const progress = ingestProgress();
      try {
        const reports = await app.ingest(paths, progress);
        const total = reports.reduce((n, r) => n + r.inserted + r.updated + r.unchanged, 0);
        process.stderr.write(`ingested ${reports.length} file(s), ${total} document(s)\n`);
        if (reports.some((r) => r.updated + r.deleted > 0))
          process.stderr.write(driftNotice(await app.searchStatistics()));
      } finally {
        progress.stop();
      }
    });
  });

  program
    .command('ask')
    .description('answer a question from the library as a cited article')
    .argument('<question>', 'the question, in quotes')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('md'))
    .addOption(new Option('--audience <audience>', 'who will read it').choices(AUDIENCES).default('clinician'))
    .option('--no-save', 'do not keep the article in the library')
    .option('--live', 'search PubMed when the library has too little, and keep what it finds')
    .action(
      async (
        question: string,
        options: { format: OutputFormat; audience: Audience; save: boolean; live?: boolean },
      ) => {
        await withApp(program, async (app) => {
          const article = await app.ask(question, options.audience, {
            save: options.save,
            live: options.live ?? false,
          });
          io.out(render(article, options.format));
        });
      },
    );

  program
    .command('schema')
    .description('print a JSON Schema of a contract')
    .argument('<name>', 'the contract: article')
    .action((name: string) => {
      if (name !== 'article')
        throw new CommanderError(EXIT.user, 'evidentia.schema', `unknown schema "${name}" (known: article)`);
      io.out(`${JSON.stringify(z.toJSONSchema(Article, { io: 'output' }), null, 2)}\n`);
    });

  program
    .command('stats')
    .description('what the library holds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withApp(program, async (app) => {
        const stats = await app.stats();
        if (options.json) {
          io.out(`${JSON.stringify(stats)}\n`);
          return;
        }
        const kinds = Object.entries(stats.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ');
        io.out(
          `documents ${stats.documents}\npassages ${stats.passages}\nsentences ${stats.sentences}\narticles ${stats.articles}\n${kinds ? `by kind: ${kinds}\n` : ''}`,
        );
      });
    });

  program
    .command('demo')
    .description('load the sample library and answer the example question')
    .argument('[question]', 'another question to ask of the sample library', EXAMPLE_QUESTION)
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('md'))
    .action(async (question: string, options: { format: OutputFormat }) => {
      await withApp(program, async (app) => {
        await app.ingest([SAMPLE_LIBRARY]);
        const article = await app.ask(question, 'clinician');
        io.out(render(article, options.format));
      });
    });

  registerServeCommand(program);
  registerUserCommand(program, io);
  registerEvalCommand(program, { out: io.out, withApp: (work) => withApp(program, work) });
  registerEmbedCommand(program, { out: io.out, withApp: (work) => withApp(program, work) });
  registerLibraryCommand(program, { out: io.out, withApp: (work) => withApp(program, work) });
  return program;
}

/** Runs the CLI and returns its exit code; errors become one line on stderr, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram({ out: (text) => process.stdout.write(text) });
  try {
    await program.parseAsync(argv as string[]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return EXIT.ok;
      if (error.code === 'evidentia.schema') process.stderr.write(`evidentia: ${error.message}\n`);
      return EXIT.user;
    }
    if (isEvidentiaError(error)) {
      process.stderr.write(`evidentia: ${error.message}\n`);
      return error.isUserError ? EXIT.user : EXIT.internal;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`evidentia: internal error: ${message}\n`);
    if (debugEnabled() && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
