import { join } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { EvidentiaError } from '../domain/errors.js';

/**
 * One typed configuration: defaults ← environment ← command-line flags. This module is the only
 * reader of process.env.
 */
export const Config = z
  .object({
    /** The SQLite library file. */
    dbPath: z.string().min(1),
    /** Answer path: how much the evidence kind raises a document's retrieval score (0 = off). */
    kindPrior: z.coerce.number().min(0).max(10),
    /** Answer path: how much recency raises a document's retrieval score (0 = off). */
    recencyPrior: z.coerce.number().min(0).max(10),
  })
  .strict();
export type Config = z.infer<typeof Config>;

/** Environment variables Evidentia reads, and the config key each one sets. */
export const ENVIRONMENT = {
  EVIDENTIA_DB: 'dbPath',
  EVIDENTIA_KIND_PRIOR: 'kindPrior',
  EVIDENTIA_RECENCY_PRIOR: 'recencyPrior',
} as const satisfies Record<string, keyof Config>;

export function defaultDataDir(): string {
  return envPaths('evidentia', { suffix: '' }).data;
}

export function defaults(): Config {
  return { dbPath: join(defaultDataDir(), 'library.db'), kindPrior: 0, recencyPrior: 0 };
}

export function loadConfig(flags: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv: Partial<Record<keyof Config, string>> = {};
  for (const [name, key] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = Config.safeParse({ ...defaults(), ...fromEnv, ...defined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidentiaError(
      'CONFIG_INVALID',
      `configuration: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
