import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { REPO_ROOT, SAMPLE_LIBRARY, tempDir } from './helpers.js';

const BIN = join(REPO_ROOT, 'bin/evidentia.js');

function evidentia(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('evidentia user add and evidentia serve', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  beforeAll(() => {
    tmp = tempDir();
    db = join(tmp.dir, 'web-cli.db');
  });
  afterAll(() => tmp.cleanup());

  it('creates an account with a password from standard input and stores only a hash', async () => {
    const r = evidentia(
      ['--db', db, 'user', 'add', 'Rita', '--role', 'reviewer', '--password-stdin'],
      'a-good-password\n',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('created rita (reviewer)\n');
    const app = openApp(loadConfig({ dbPath: db }));
    try {
      const user = await app.store.findUserByName('rita');
      expect(user?.role).toBe('reviewer');
      expect(user?.passwordHash).toMatch(/^scrypt\$/);
      expect(user?.passwordHash).not.toContain('a-good-password');
      await expect(app.accounts.signIn('rita', 'a-good-password')).resolves.toMatchObject({
        user: { role: 'reviewer' },
      });
    } finally {
      await app.close();
    }
  });

  it('refuses a taken name, an unknown role, a short password and a missing terminal, in one line each', () => {
    const taken = evidentia(
      ['--db', db, 'user', 'add', 'rita', '--role', 'editor', '--password-stdin'],
      'another-password',
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^evidentia: the username "rita" is taken/);
    expect(evidentia(['--db', db, 'user', 'add', 'bob', '--role', 'king', '--password-stdin'], 'x').code).toBe(1);
    const short = evidentia(['--db', db, 'user', 'add', 'bob', '--role', 'editor', '--password-stdin'], 'short');
    expect(short.code).toBe(1);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);
    const noTty = evidentia(['--db', db, 'user', 'add', 'bob', '--role', 'editor'], '');
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain('--password-stdin');
  });

  it('serves the application from its own store until stopped', async () => {
    expect(evidentia(['--db', db, 'ingest', SAMPLE_LIBRARY]).code).toBe(0);
    const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /serving on (http:\/\/\S+)/.exec(err);
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const home = await fetch(`${address}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Which best describes you?');
      const ask = await fetch(`${address}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How is uncomplicated cystitis in women treated?', audience: 'patient' }),
      });
      expect(ask.status).toBe(200);
      expect(((await ask.json()) as { audience: string }).audience).toBe('patient');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
    expect(evidentia(['--db', db, 'serve', '--port', 'eighty']).code).toBe(1);
  });
});
