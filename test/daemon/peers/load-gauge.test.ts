import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { LoadGauge } from '../../../daemon/peers/load-gauge.js';

/** A utilisation source whose loop was active for `active` ms of every `period` ms. */
function fakeLoop(): { util: (prev?: EventLoopUtilization) => EventLoopUtilization; run: (activeMs: number, idleMs: number) => void } {
  let active = 0;
  let idle = 0;
  const util = (prev?: EventLoopUtilization): EventLoopUtilization => {
    if (!prev) return { active, idle, utilization: active / Math.max(1, active + idle) };
    const a = active - prev.active;
    const i = idle - prev.idle;
    return { active: a, idle: i, utilization: a / Math.max(1, a + i) };
  };
  return { util, run: (a, i) => { active += a; idle += i; } };
}

describe('LoadGauge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports busy only for periods whose utilisation reaches the threshold', () => {
    vi.useFakeTimers();
    const loop = fakeLoop();
    const g = new LoadGauge({ threshold: 0.8, periodMs: 100, utilization: loop.util });
    expect(g.busy()).toBe(false);
    loop.run(95, 5);
    vi.advanceTimersByTime(100);
    expect(g.busy()).toBe(true);
    loop.run(30, 70);
    vi.advanceTimersByTime(100);
    expect(g.busy()).toBe(false);
    loop.run(80, 20);
    vi.advanceTimersByTime(100);
    expect(g.busy()).toBe(true);
    g.stop();
    loop.run(0, 100);
    vi.advanceTimersByTime(1000);
    expect(g.busy()).toBe(true); // stopped: no more samples
  });

  it('measures the real event loop: a blocked loop is busy, an idle one is not', async () => {
    const g = new LoadGauge({ periodMs: 50 });
    const until = Date.now() + 120;
    while (Date.now() < until) {
      // keep the loop busy across at least one full period
    }
    await new Promise((r) => setTimeout(r, 5));
    expect(g.busy()).toBe(true);
    await new Promise((r) => setTimeout(r, 160));
    expect(g.busy()).toBe(false);
    g.stop();
  });
});
