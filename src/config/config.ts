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
    /** A PostgreSQL server to keep the library in instead of the SQLite file (several servers can share it). */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  })
  .strict();
export type Config = z.infer<typeof Config>;

/** Environment variables Evidentia reads, and the config key each one sets. */
export const ENVIRONMENT = {
  EVIDENTIA_DB: 'dbPath',
  DATABASE_URL: 'databaseUrl',
} as const satisfies Record<string, keyof Config>;

export function defaultDataDir(): string {
  return envPaths('evidentia', { suffix: '' }).data;
}

export function defaults(): Config {
  return { dbPath: join(defaultDataDir(), 'library.db') };
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
