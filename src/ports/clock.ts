/** Time and identity sources, injected so runs can be reproduced in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
