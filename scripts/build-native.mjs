#!/usr/bin/env node
/* global process, console */
/**
 * Builds the native ranking function (native/evidentia-fts5.c) into build/, as a SQLite loadable
 * extension, against the SQLite that better-sqlite3 compiles (its deps/sqlite3 headers; its
 * sqlite3.h carries FTS5's fts5.h). Run by `npm install` / `npm ci` and `npm run build:native`.
 *
 * Never fails the install: without a C compiler, or when better-sqlite3 runs another SQLite than
 * its headers describe, it says why and stops, and searches use FTS5's own bm25() (the same
 * ranking, slower on large libraries). CC picks the compiler (default cc).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'native', 'evidentia-fts5.c');
const suffix = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
const output = path.join(root, 'build', `evidentia-fts5.${suffix}`);
// A build from before (another SQLite, another compiler) is never left to be loaded.
rmSync(output, { force: true });

/** Says why the native ranking function is not built, and leaves the install to go on. */
function skip(reason) {
  console.warn(`evidentia: native ranking function not built (${reason}); searches use FTS5's bm25(), slower`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
let headers;
let runtimeVersion;
try {
  headers = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  runtimeVersion = db.prepare('SELECT sqlite_version() AS v').get().v;
  db.close();
} catch (error) {
  skip(`better-sqlite3 is not usable: ${error.message}`);
}
const header = path.join(headers, 'sqlite3.h');
if (!existsSync(header) || !existsSync(path.join(headers, 'sqlite3ext.h'))) skip(`no SQLite headers in ${headers}`);
const text = readFileSync(header, 'utf8');
const headerVersion = /#define SQLITE_VERSION\s+"([^"]+)"/.exec(text)?.[1];
if (headerVersion !== runtimeVersion)
  skip(`better-sqlite3 runs SQLite ${runtimeVersion}, its headers are of ${headerVersion ?? 'no known version'}`);
if (!text.includes('fts5_api')) skip(`${header} has no FTS5 API`);

mkdirSync(path.dirname(output), { recursive: true });
const compiler = process.env.CC || 'cc';
const args = ['-O2', '-fPIC', '-shared', '-I', headers, source, '-o', output, '-lm'];
const built = spawnSync(compiler, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (built.error) skip(`${compiler}: ${built.error.message}`);
if (built.status !== 0) skip(`${compiler} exited with ${built.status}`);
console.log(`evidentia: built ${path.relative(root, output)} for SQLite ${runtimeVersion}`);
