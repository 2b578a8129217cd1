import pg from 'pg';
import { EvidentiaError } from '../../../domain/errors.js';

/** SQLSTATE classes and codes that mean "the database cannot serve now; try again later". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-4]|58)/;
/** Serialization failure and deadlock: another writer won; the caller may retry. */
const CONFLICT_SQLSTATE = new Set(['40001', '40P01', '23505']);
const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/**
 * Maps a PostgreSQL or network failure to the error catalogue: an unreachable or restarting
 * server is STORE_UNAVAILABLE (retryable), a lost race is CONFLICT. Other errors pass through.
 * @param error what the driver threw
 */
export function toStoreError(error: unknown): Error {
  if (error instanceof EvidentiaError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && CONFLICT_SQLSTATE.has(code)) {
    return new EvidentiaError('CONFLICT', `another writer changed the same data meanwhile; try again (${message})`, {
      cause: error,
    });
  }
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || NETWORK_ERRNO.has(code))) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
      message,
    );
  if (unavailable) {
    return new EvidentiaError('STORE_UNAVAILABLE', `the library database is unavailable: ${message}`, { cause: error });
  }
  if (error instanceof pg.DatabaseError) {
    return new EvidentiaError('INTERNAL', `library database error: ${message}`, { cause: error });
  }
  // Not the database's: an error from the caller's own work inside a transaction.
  return error instanceof Error ? error : new Error(message);
}
