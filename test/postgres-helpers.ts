import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/store/postgres/index.js';
import type { StoreFixture } from './store-conformance.js';

/**
 * The PostgreSQL server the tests use: EVIDENTIA_TEST_DATABASE_URL (see
 * scripts/postgres-test-cluster.sh), else DATABASE_URL when it names PostgreSQL. In CI a server
 * is required; elsewhere the PostgreSQL tests are skipped with a message when none is set.
 */
const fromEnv = process.env['EVIDENTIA_TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
export const POSTGRES_URL = fromEnv && /^postgres(ql)?:\/\//.test(fromEnv) ? fromEnv : undefined;
if (!POSTGRES_URL && process.env['CI']) {
  throw new Error(
    'no PostgreSQL for the tests: CI must set EVIDENTIA_TEST_DATABASE_URL (scripts/postgres-test-cluster.sh)',
  );
}
export const NO_POSTGRES = !POSTGRES_URL;
export const NO_POSTGRES_MESSAGE =
  'no PostgreSQL configured (EVIDENTIA_TEST_DATABASE_URL): PostgreSQL tests skipped; start one with scripts/postgres-test-cluster.sh';
if (NO_POSTGRES) console.warn(NO_POSTGRES_MESSAGE);

/** A fresh schema name, so tests never see each other's tables. */
export function uniqueSchema(prefix = 'evidentia_t'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on the test server outside any store. */
export async function adminQuery<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A store fixture on a fresh schema of the test server. */
export async function postgresFixture(): Promise<StoreFixture> {
  const schema = uniqueSchema();
  return {
    open: (clock) => openPostgresStore(POSTGRES_URL!, { schema, ...(clock ? { clock } : {}) }),
    archivedVersions: async (documentId) =>
      (
        await adminQuery<{ version: number }>(
          `SELECT version FROM ${schema}.document_versions WHERE document_id = $1 ORDER BY version`,
          [documentId],
        )
      ).map((r) => r.version),
    setFutureSchema: async () => void (await adminQuery(`UPDATE ${schema}.evidentia_schema SET version = 99`)),
    destroy: async () => void (await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}
