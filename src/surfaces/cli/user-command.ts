import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { openApp } from '../../app/app.js';
import { loadConfig } from '../../config/config.js';
import { ACCOUNT_ROLES } from '../../domain/account.js';
import { EvidentiaError } from '../../domain/errors.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for the password on the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new EvidentiaError(
      'INPUT_INVALID',
      'no terminal to ask for the password on: pipe it in with --password-stdin',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  let prompting = true;
  muted._writeToOutput = (s: string) => {
    if (!prompting || s.includes(question)) process.stderr.write(s);
  };
  try {
    return await new Promise<string>((resolve) =>
      rl.question(question, (answer) => {
        prompting = false;
        process.stderr.write('\n');
        resolve(answer);
      }),
    );
  } finally {
    rl.close();
  }
}

/** `evidentia user add NAME --role ROLE`: creates an account; the password never goes on the command line. */
export function registerUserCommand(program: Command, io: { out: (text: string) => void }): void {
  const user = program.command('user').description('manage accounts of the web application');
  user
    .command('add')
    .description('create an account (the password is read from a prompt, or from standard input with --password-stdin)')
    .argument('<username>', 'the sign-in name')
    .addOption(new Option('--role <role>', 'what the account may do').choices(ACCOUNT_ROLES).makeOptionMandatory())
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, options: { role: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : await promptPassword('Password: ');
      const app = openApp(loadConfig({ dbPath: program.opts<{ db?: string }>().db }));
      try {
        const created = await app.accounts.addUser({ username, password, role: options.role }, 'cli');
        io.out(`created ${created.username} (${created.role})\n`);
      } finally {
        await app.close();
      }
    });
}
