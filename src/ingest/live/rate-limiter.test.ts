import { describe, expect, it } from 'vitest';
import { parseRetryAfter, redactUrl } from './http.js';
import { createRateLimiter, sharedRateLimiter, type TimeSource } from './rate-limiter.js';

/** A clock that only moves when someone sleeps. */
function fakeTime(): TimeSource & { wakeAt: number[] } {
  let now = 0;
  const wakeAt: number[] = [];
  return {
    wakeAt,
    now: () => now,
    sleep: async (ms) => {
      wakeAt.push(now + ms);
      now += ms;
    },
  };
}

describe('rate limiter', () => {
  it('lets the first request through and spaces the rest by 1/rate', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(4, time);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.take();
      started.push(time.now());
    }
    expect(started).toEqual([0, 250, 500, 750, 1000]);
  });

  it('reserves slots in call order for concurrent callers', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(2, time);
    await Promise.all([limiter.take(), limiter.take(), limiter.take()]);
    // The first goes at once; the others wake one interval apart.
    expect(time.wakeAt).toEqual([500, 1000]);
  });

  it('shares one bucket per service and rate', () => {
    expect(sharedRateLimiter('svc-a', 3)).toBe(sharedRateLimiter('svc-a', 3));
    expect(sharedRateLimiter('svc-a', 10).perSecond).toBe(10);
    expect(() => createRateLimiter(0)).toThrow(RangeError);
  });

  it('reads Retry-After and keeps API keys out of URLs in messages', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(redactUrl('https://x/esearch.fcgi?term=a&api_key=secret&tool=t')).toBe(
      'https://x/esearch.fcgi?term=a&api_key=***&tool=t',
    );
  });
});
