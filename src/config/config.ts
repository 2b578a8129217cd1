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
    /** NCBI API key: raises the E-utilities limit from 3 to 10 requests per second. */
    ncbiApiKey: z.string().min(1).optional(),
    /** `tool` and `email` sent with every E-utilities request, as NCBI's usage policy asks. */
    ncbiTool: z.string().min(1),
    ncbiEmail: z.string().min(3).optional(),
    /** Base URLs of the live sources (tests point them at a local server). */
    eutilsUrl: z.url(),
    europePmcUrl: z.url(),
    /** Answer path: how much the evidence kind raises a document's retrieval score (0 = off). */
    kindPrior: z.coerce.number().min(0).max(10),
    /** Answer path: how much recency raises a document's retrieval score (0 = off). */
    recencyPrior: z.coerce.number().min(0).max(10),
    /** Dense retrieval with a local model: a folder with a sentence-embedding model exported to ONNX. */
    embeddingsModelDir: z.string().min(1).optional(),
    /** Dense retrieval with an OpenAI-compatible server: its base URL, e.g. http://127.0.0.1:8080/v1 */
    embeddingsUrl: z.url().optional(),
    /** The model the embeddings server should use (required with embeddingsUrl). */
    embeddingsModel: z.string().min(1).optional(),
    embeddingsApiKey: z.string().min(1).optional(),
    /** Put before questions and passages before embedding (e.g. "query: " and "passage: " for E5). */
    embeddingsQueryPrefix: z.string().optional(),
    embeddingsPassagePrefix: z.string().optional(),
  })
  .strict();
export type Config = z.infer<typeof Config>;

/** Environment variables Evidentia reads, and the config key each one sets. */
export const ENVIRONMENT = {
  EVIDENTIA_DB: 'dbPath',
  DATABASE_URL: 'databaseUrl',
  NCBI_API_KEY: 'ncbiApiKey',
  NCBI_TOOL: 'ncbiTool',
  NCBI_EMAIL: 'ncbiEmail',
  EVIDENTIA_EUTILS_URL: 'eutilsUrl',
  EVIDENTIA_EUROPEPMC_URL: 'europePmcUrl',
  EVIDENTIA_KIND_PRIOR: 'kindPrior',
  EVIDENTIA_RECENCY_PRIOR: 'recencyPrior',
  EVIDENTIA_EMBEDDINGS_MODEL_DIR: 'embeddingsModelDir',
  EVIDENTIA_EMBEDDINGS_URL: 'embeddingsUrl',
  EVIDENTIA_EMBEDDINGS_MODEL: 'embeddingsModel',
  EVIDENTIA_EMBEDDINGS_API_KEY: 'embeddingsApiKey',
  EVIDENTIA_EMBEDDINGS_QUERY_PREFIX: 'embeddingsQueryPrefix',
  EVIDENTIA_EMBEDDINGS_PASSAGE_PREFIX: 'embeddingsPassagePrefix',
} as const satisfies Record<string, keyof Config>;

export function defaultDataDir(): string {
  return envPaths('evidentia', { suffix: '' }).data;
}

export function defaults(): Config {
  return {
    dbPath: join(defaultDataDir(), 'library.db'),
    ncbiTool: 'evidentia',
    eutilsUrl: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils/',
    europePmcUrl: 'https://www.ebi.ac.uk/europepmc/webservices/rest/',
    kindPrior: 0,
    recencyPrior: 0,
  };
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

/** EVIDENTIA_DEBUG=1 adds stack traces to internal errors on the command line. */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['EVIDENTIA_DEBUG'] !== undefined && env['EVIDENTIA_DEBUG'] !== '' && env['EVIDENTIA_DEBUG'] !== '0';
}
