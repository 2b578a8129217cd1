/**
 * A token bucket: at most `perSecond` requests start in any second, with no burst beyond that.
 * NCBI counts requests per second per IP (3 without a key, 10 with one), so every client in the
 * process shares one bucket per service (see `sharedRateLimiter`).
 */
export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
  readonly perSecond: number;
}

export interface TimeSource {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: TimeSource = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * @param perSecond requests allowed per second (> 0)
 * @param time clock and sleep; real time unless a test passes its own
 */
export function createRateLimiter(perSecond: number, time: TimeSource = realTime): RateLimiter {
  if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive, got ${perSecond}`);
  const interval = 1000 / perSecond;
  let lastRelease = -Infinity;
  // Callers queue in order; each goes one interval after the previous one actually went, so a
  // late timer never lets two requests through closer together than the limit.
  let queue: Promise<void> = Promise.resolve();
  return {
    perSecond,
    take() {
      const turn = queue.then(async () => {
        for (let wait = lastRelease + interval - time.now(); wait > 0; wait = lastRelease + interval - time.now()) {
          await time.sleep(wait);
        }
        lastRelease = time.now();
      });
      queue = turn;
      return turn;
    },
  };
}

const shared = new Map<string, RateLimiter>();

/**
 * The process-wide limiter for a service. A later call with a different rate (an API key was
 * configured) replaces the bucket, so the stricter or looser rate applies from then on.
 */
export function sharedRateLimiter(service: string, perSecond: number): RateLimiter {
  const existing = shared.get(service);
  if (existing !== undefined && existing.perSecond === perSecond) return existing;
  const limiter = createRateLimiter(perSecond);
  shared.set(service, limiter);
  return limiter;
}
