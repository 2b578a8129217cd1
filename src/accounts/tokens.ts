import { createHash, randomBytes } from 'node:crypto';

/** A new random secret for a session cookie or an API token (256 bits, URL-safe). */
export function newSecret(prefix: 'ses' | 'evt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** What the store keeps instead of the secret itself. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const API_TOKEN_TTL_MS = 90 * 24 * 60 * 60 * 1000;
