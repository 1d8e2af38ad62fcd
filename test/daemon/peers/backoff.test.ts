import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../daemon/peers/backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const top = (n: number) => backoffDelay(n, { initialMs: 100, maxMs: 1000, jitter: 0.5 }, () => 1);
    expect([0, 1, 2, 3, 4, 10].map(top)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('draws the jittered share at random', () => {
    const low = backoffDelay(2, { initialMs: 100, jitter: 0.5 }, () => 0);
    const high = backoffDelay(2, { initialMs: 100, jitter: 0.5 }, () => 1);
    expect([low, high]).toEqual([200, 400]);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, { initialMs: 100, jitter: 1 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(800);
    }
  });
});
