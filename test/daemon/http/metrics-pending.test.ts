import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PendingCounters, PendingObservations } from '../../../daemon/http/metrics-pending.js';

function setup() {
  const registry = new Registry();
  const pending = new PendingCounters();
  const hist = new PendingObservations();
  const collect = (): void => pending.flush();
  const a = new Counter({ name: 'a_total', help: 'a', labelNames: ['peer'], registers: [registry], collect });
  const b = new Counter({ name: 'b_total', help: 'b', labelNames: ['peer'], registers: [registry], collect });
  const h = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['d'], buckets: [1, 10], registers: [registry], collect: () => hist.flush() });
  pending.bind([a, b]);
  hist.bind(h);
  return { registry, pending, hist };
}

describe('pending metric updates', () => {
  it('reach prom-client when it collects, once', async () => {
    const { registry, pending } = setup();
    const labels = (peer: string) => () => ({ peer });
    pending.add('x', labels('x'), 1, 100);
    pending.add('x', labels('x'), 1, 50);
    pending.add('y', labels('y'), 1, 0);
    const text = await registry.metrics();
    expect(text).toContain('a_total{peer="x"} 2');
    expect(text).toContain('b_total{peer="x"} 150');
    expect(text).toContain('a_total{peer="y"} 1');
    // a zero adds nothing: no b series for y
    expect(text).not.toContain('b_total{peer="y"}');
    // a second scrape does not add the same increments again
    const again = await registry.metrics();
    expect(again).toContain('a_total{peer="x"} 2');
    pending.add('x', labels('x'), 3, 1);
    expect(await registry.metrics()).toContain('b_total{peer="x"} 151');
  });

  it('buffers histogram observations and flushes a full buffer by itself', async () => {
    const { registry, hist } = setup();
    const d = { d: 'in' };
    const n = PendingObservations.CAPACITY + 5;
    for (let i = 0; i < n; i++) hist.observe(d, i % 2 === 0 ? 0.5 : 5);
    const text = await registry.metrics();
    expect(text).toContain(`h_seconds_count{d="in"} ${n}`);
    expect(text).toContain(`h_seconds_bucket{le="1",d="in"} ${Math.ceil(n / 2)}`);
  });
});
