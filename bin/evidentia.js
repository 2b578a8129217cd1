#!/usr/bin/env node
// Entry point of the `evidentia` command; the compiled CLI lives in dist/ (built by `npm ci`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/surfaces/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('evidentia: not built yet — run `npm run build` in the Evidentia folder');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
