/**
 * Whether this process's event loop is saturated: its utilisation over the last sampling period
 * (`performance.eventLoopUtilization`), read from a cheap cached flag. Links use it to pick their
 * cheap compressor while the daemon has no CPU to spare, whatever their CPU budget says.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoadGaugeOptions {
  /** Utilisation (0–1) at or above which the loop counts as busy. @default 0.85 */
  threshold?: number;
  /** Sampling period in ms. @default 100 */
  periodMs?: number;
  /** Utilisation source (tests). @default performance.eventLoopUtilization */
  utilization?: (prev?: EventLoopUtilization) => EventLoopUtilization;
}

export class LoadGauge {
  private last: EventLoopUtilization;
  private isBusy = false;
  private readonly timer: NodeJS.Timeout;
  private readonly threshold: number;
  private readonly util: (prev?: EventLoopUtilization) => EventLoopUtilization;

  constructor(opts: LoadGaugeOptions = {}) {
    this.threshold = opts.threshold ?? 0.85;
    this.util = opts.utilization ?? ((prev) => performance.eventLoopUtilization(prev));
    this.last = this.util();
    this.timer = setInterval(() => this.sample(), opts.periodMs ?? 100);
    this.timer.unref();
  }

  /** True when the last period's utilisation reached the threshold. */
  readonly busy = (): boolean => this.isBusy;

  private sample(): void {
    const now = this.util();
    const delta = this.util(this.last);
    this.last = now;
    this.isBusy = delta.utilization >= this.threshold;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
