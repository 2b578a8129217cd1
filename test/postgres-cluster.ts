import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed PostgreSQL server binaries (Debian layout), or undefined. */
export const PG_BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin/initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions.at(-1)!, 'bin') : undefined;
})();

const AS_ROOT = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the `postgres` user when we are root (the server refuses root). */
function pgRun(program: string, args: string[]): void {
  const command = [join(PG_BIN!, program), ...args];
  if (AS_ROOT) {
    const quoted = command.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
  } else execFileSync(command[0]!, command.slice(1), { stdio: 'pipe' });
}

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A PostgreSQL cluster of one's own, which a test may stop and start at will. */
export interface OwnCluster {
  url: string;
  start: () => void;
  /** A fast shutdown: open connections are ended by the server (SQLSTATE 57P01). */
  stop: () => void;
  destroy: () => void;
}

/**
 * Creates and starts a throwaway cluster on 127.0.0.1 with one database, `evidentia`.
 * Needs Debian's postgresql package (see PG_BIN).
 */
export async function startOwnCluster(): Promise<OwnCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'evidentia-pg-own-'));
  if (AS_ROOT) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), -1);
  const port = await freePort();
  const data = join(dir, 'data');
  pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const start = () =>
    pgRun('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
      'start',
    ]);
  const stop = () => pgRun('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
  start();
  pgRun('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', 'CREATE DATABASE evidentia']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/evidentia`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
