/**
 * The error catalogue. Every failure the user can meet has a code, a message that says what to
 * do, and whether trying again can help. Surfaces map these to exit codes or HTTP statuses; the
 * core never decides how an error is shown.
 */
export const ERROR_CODES = {
  INPUT_INVALID: { kind: 'user', retryable: false },
  FILE_NOT_FOUND: { kind: 'user', retryable: false },
  FILE_MALFORMED: { kind: 'user', retryable: false },
  FORMAT_UNKNOWN: { kind: 'user', retryable: false },
  LIBRARY_EMPTY: { kind: 'user', retryable: false },
  NOT_FOUND: { kind: 'user', retryable: false },
  CONFIG_INVALID: { kind: 'user', retryable: false },
  CONFLICT: { kind: 'user', retryable: true },
  FORBIDDEN: { kind: 'user', retryable: false },
  UNAUTHENTICATED: { kind: 'user', retryable: false },
  RATE_LIMITED: { kind: 'user', retryable: true },
  UPSTREAM_UNAVAILABLE: { kind: 'internal', retryable: true },
  /** A remote service refused the request itself (bad query, bad API key): retrying the same will not help. */
  UPSTREAM_REJECTED: { kind: 'user', retryable: false },
  STORE_UNAVAILABLE: { kind: 'internal', retryable: true },
  INTERNAL: { kind: 'internal', retryable: false },
} as const satisfies Record<string, { kind: 'user' | 'internal'; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class EvidentiaError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvidentiaError';
    this.code = code;
    this.retryable = ERROR_CODES[code].retryable;
    this.details = options?.details;
  }

  /** True when the user can fix it (bad input, missing file); false for faults of ours or upstream. */
  get isUserError(): boolean {
    return ERROR_CODES[this.code].kind === 'user';
  }
}

export function isEvidentiaError(error: unknown): error is EvidentiaError {
  return error instanceof EvidentiaError;
}
