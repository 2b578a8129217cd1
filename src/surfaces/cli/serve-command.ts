import type { Command } from 'commander';
import { openApp } from '../../app/app.js';
import { loadConfig } from '../../config/config.js';
import { EvidentiaError } from '../../domain/errors.js';
import { buildServer } from '../http/server.js';

interface ServeOptions {
  host: string;
  port: string;
  secureCookies: boolean;
  askLimit: string;
}

/** `evidentia serve`: the web application and JSON API on one port, until interrupted. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the web application and JSON API (server-rendered pages, review workflow, /openapi.json)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--ask-limit <n>', 'questions one client may ask per minute', '20')
    .option('--no-secure-cookies', 'send cookies without the Secure flag (only behind plain HTTP on a trusted network)')
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      const askMax = Number(options.askLimit);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new EvidentiaError('INPUT_INVALID', `--port must be a number from 0 to 65535, not "${options.port}"`);
      if (!Number.isInteger(askMax) || askMax < 1)
        throw new EvidentiaError('INPUT_INVALID', `--ask-limit must be a positive whole number`);
      const app = openApp(loadConfig({ dbPath: program.opts<{ db?: string }>().db }));
      const server = await buildServer(app, {
        secureCookies: options.secureCookies,
        askLimit: { max: askMax, timeWindowMs: 60_000 },
      });
      let address: string;
      try {
        address = await server.listen({ host: options.host, port });
      } catch (cause) {
        await app.close();
        throw new EvidentiaError(
          'INPUT_INVALID',
          `cannot listen on ${options.host}:${port}: ${(cause as Error).message}`,
        );
      }
      process.stderr.write(`evidentia: serving on ${address}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await app.close();
    });
}
