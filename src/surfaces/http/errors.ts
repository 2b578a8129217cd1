import { STATUS_CODES } from 'node:http';
import { ERROR_CODES, isEvidentiaError, type ErrorCode } from '../../domain/errors.js';

/** HTTP status for each error code: decided here, at the edge, and nowhere else. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  FILE_NOT_FOUND: 400,
  FILE_MALFORMED: 400,
  FORMAT_UNKNOWN: 400,
  LIBRARY_EMPTY: 409,
  NOT_FOUND: 404,
  CONFIG_INVALID: 500,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_REJECTED: 422,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ApiError {
  status: number;
  code: ErrorCode;
  message: string;
  /** Seconds after which trying again may succeed (sent as Retry-After). */
  retryAfter?: number;
}

/** How long a client should wait before trying again while the library database is away. */
export const STORE_RETRY_AFTER_SECONDS = 5;

const FROM_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'INPUT_INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'INPUT_INVALID',
  414: 'INPUT_INVALID',
  415: 'INPUT_INVALID',
  431: 'INPUT_INVALID',
  429: 'RATE_LIMITED',
};

/**
 * Turns anything thrown into a status, a code and a message fit to show. Faults of ours keep
 * their details in the log; the response says only that something went wrong.
 */
export function toApiError(error: unknown): ApiError {
  if (isEvidentiaError(error)) {
    // The database's own words name hosts and ports: they go to the log, not to the client.
    if (error.code === 'STORE_UNAVAILABLE') {
      return {
        status: HTTP_STATUS.STORE_UNAVAILABLE,
        code: error.code,
        message: 'the library database is unavailable at the moment; try again shortly',
        retryAfter: STORE_RETRY_AFTER_SECONDS,
      };
    }
    const internal = ERROR_CODES[error.code].kind === 'internal';
    return {
      status: HTTP_STATUS[error.code],
      code: error.code,
      message: internal && error.code === 'INTERNAL' ? 'internal error' : error.message,
    };
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('FST_CSRF')) {
    return { status: 403, code: 'FORBIDDEN', message: 'missing or invalid CSRF token: reload the page and try again' };
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  const code = FROM_STATUS[status];
  if (code && status < 500) {
    return { status, code, message: e.message ?? code.toLowerCase() };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}

/**
 * The raw HTTP answer to a request Node could not parse (headers or URL too large, not HTTP at
 * all, too slow to arrive), in the same JSON error shape as every other answer.
 * @param code the parser's error code, e.g. HPE_HEADER_OVERFLOW
 */
export function clientErrorResponse(code: string | undefined): string {
  const [status, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers or URL are too large']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request took too long to arrive']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code: 'INPUT_INVALID', message } });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Content-Type: application/json; charset=utf-8',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
