/** Reconnect delays: exponential with jitter, capped. */

export interface BackoffOptions {
  /** First delay in ms. @default 200 */
  initialMs?: number;
  /** Largest delay in ms. @default 30,000 */
  maxMs?: number;
  /** Growth per attempt. @default 2 */
  factor?: number;
  /** Fraction of the delay that is random (0 = none, 1 = full jitter). @default 0.5 */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({ initialMs: 200, maxMs: 30_000, factor: 2, jitter: 0.5 });

/**
 * Delay before reconnect attempt `attempt` (0-based): `min(max, initial·factor^attempt)`,
 * of which a `jitter` share is drawn uniformly at random.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_BACKOFF, ...opts };
  const cap = Math.min(o.maxMs, o.initialMs * Math.pow(o.factor, Math.min(attempt, 64)));
  return Math.round(cap * (1 - o.jitter) + cap * o.jitter * random());
}
