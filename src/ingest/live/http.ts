import { EvidentiaError } from '../../domain/errors.js';
import { realTime, type RateLimiter, type TimeSource } from './rate-limiter.js';

/** How a remote service is called: its name for messages, its limiter and the retry policy. */
export interface HttpPolicy {
  /** Named in error messages ("PubMed E-utilities"). */
  service: string;
  limiter: RateLimiter;
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** First back-off delay; doubled each retry, with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Longest single wait, including a server's Retry-After (default 30 s). */
  maxDelayMs?: number;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  time?: TimeSource;
  /** Random source for jitter, in [0, 1). */
  random?: () => number;
}

export interface HttpResponse {
  status: number;
  body: string;
  contentType: string;
}

/** A body that says "slow down" even though the status is 200 (NCBI does this). */
export type SoftErrorCheck = (response: HttpResponse) => string | undefined;

/**
 * GETs or POSTs a URL through the service's rate limiter, retrying 429, 5xx, timeouts and
 * network errors with exponential back-off and jitter (honouring Retry-After). When retries run
 * out: UPSTREAM_UNAVAILABLE (retryable later). A 4xx other than 429: UPSTREAM_REJECTED.
 */
export async function fetchText(
  url: string,
  policy: HttpPolicy,
  options: { body?: URLSearchParams; softError?: SoftErrorCheck } = {},
): Promise<HttpResponse> {
  const attempts = policy.attempts ?? 5;
  const time = policy.time ?? realTime;
  const random = policy.random ?? Math.random;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await policy.limiter.take();
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, {
        method: options.body === undefined ? 'GET' : 'POST',
        body: options.body,
        signal: AbortSignal.timeout(policy.timeoutMs ?? 30_000),
        headers: { accept: 'application/xml, application/json, text/xml, */*' },
      });
      const body = await response.text();
      const result = { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
      if (response.ok) {
        const soft = options.softError?.(result);
        if (soft === undefined) return result;
        lastProblem = soft;
      } else if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}${briefBody(body)}`;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      } else {
        throw new EvidentiaError(
          'UPSTREAM_REJECTED',
          `${policy.service} refused the request: HTTP ${response.status}${briefBody(body)}`,
          { details: { url: redactUrl(url), status: response.status } },
        );
      }
    } catch (error) {
      if (error instanceof EvidentiaError) throw error;
      lastProblem = networkProblem(error);
    }
    if (attempt < attempts) {
      const backoff = (policy.baseDelayMs ?? 500) * 2 ** (attempt - 1);
      const jittered = backoff / 2 + random() * (backoff / 2);
      await time.sleep(Math.min(policy.maxDelayMs ?? 30_000, Math.max(jittered, retryAfterMs ?? 0)));
    }
  }
  throw new EvidentiaError(
    'UPSTREAM_UNAVAILABLE',
    `${policy.service} did not answer after ${attempts} attempts (last: ${lastProblem}); try again later`,
    { details: { url: redactUrl(url) } },
  );
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkProblem(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function briefBody(body: string): string {
  const text = body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? '' : `: ${text.slice(0, 160)}`;
}

/** Keeps API keys out of messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&]*/g, '$1***');
}
