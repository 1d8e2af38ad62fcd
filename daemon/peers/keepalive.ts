/** Link keepalive: PING an idle link, give up on a silent one. */

export interface KeepaliveOptions {
  /** Idle time before a PING, in ms. @default 60,000 */
  intervalMs: number;
  /** Extra time allowed for the answer, in ms. @default 10,000 */
  timeoutMs: number;
  /** Intervals of silence tolerated. @default 3 */
  missed: number;
}

export const DEFAULT_KEEPALIVE: KeepaliveOptions = Object.freeze({ intervalMs: 60_000, timeoutMs: 10_000, missed: 3 });

export class Keepalive {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param ping sends a PING (called after `intervalMs` without traffic)
   * @param dead called once after `missed × intervalMs + timeoutMs` of silence
   */
  constructor(private readonly opts: KeepaliveOptions, private readonly ping: () => void, private readonly dead: () => void) {}

  start(): void {
    this.stop();
    this.last = Date.now();
    const k = this.opts;
    this.timer = setInterval(() => {
      const idle = Date.now() - this.last;
      if (idle >= k.intervalMs * k.missed + k.timeoutMs) {
        this.stop();
        this.dead();
      } else if (idle >= k.intervalMs) this.ping();
    }, Math.max(10, Math.min(k.intervalMs, k.timeoutMs)));
    this.timer.unref?.();
  }

  /** Something arrived. */
  touch(): void {
    this.last = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
