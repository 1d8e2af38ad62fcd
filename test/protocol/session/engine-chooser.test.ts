import { describe, expect, it } from 'vitest';
import { EngineChooser } from '../../../protocol/session/engine-chooser.js';

/** Feed `n` pressured frames whose measured cost per byte is `lz` or `fast` (and output `out`, default the input); return the engines picked. */
function run(c: EngineChooser, n: number, cost: { lz: number; fast: number }, out = { lz: 1, fast: 1 }): string[] {
  const picks: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = c.choose(true);
    picks.push(e);
    c.record(e, cost[e] * 1000, 1000, out[e] * 1000);
  }
  return picks;
}

describe('EngineChooser', () => {
  it('without pressure always picks m2m-lz-1', () => {
    const c = new EngineChooser();
    c.record('lz', 100, 1000);
    c.record('fast', 1, 1000);
    for (let i = 0; i < 100; i++) expect(c.choose(false)).toBe('lz');
  });

  it('under pressure measures both engines, then picks Brotli when it is clearly cheaper', () => {
    const c = new EngineChooser();
    const picks = run(c, 200, { lz: 0.1, fast: 0.02 });
    expect(picks.slice(0, 2)).toEqual(['fast', 'lz']);
    const rest = picks.slice(2);
    expect(rest.filter((p) => p === 'fast').length).toBeGreaterThan(180);
    // ... and still re-measures m2m-lz-1 now and then.
    expect(rest).toContain('lz');
  });

  it('keeps m2m-lz-1 when it is as cheap (repeating traffic: long matches)', () => {
    const c = new EngineChooser();
    const picks = run(c, 200, { lz: 0.01, fast: 0.012 });
    expect(picks.slice(2).filter((p) => p === 'lz').length).toBeGreaterThan(180);
    expect(picks.slice(2)).toContain('fast');
  });

  it('keeps m2m-lz-1 when Brotli is cheaper but its output is more than twice as large (repeats beyond its window)', () => {
    const c = new EngineChooser();
    const picks = run(c, 300, { lz: 0.05, fast: 0.02 }, { lz: 0.03, fast: 0.27 });
    expect(picks.slice(2).filter((p) => p === 'lz').length).toBeGreaterThan(280);
    expect(c.costs.fastOut / c.costs.lzOut).toBeCloseTo(9, 5);
    // Fresh text: 1.6× the bytes for a third of the CPU: Brotli.
    const fresh = run(new EngineChooser(), 300, { lz: 0.06, fast: 0.02 }, { lz: 0.13, fast: 0.21 });
    expect(fresh.slice(2).filter((p) => p === 'fast').length).toBeGreaterThan(280);
  });

  it('follows the traffic when the costs change', () => {
    const c = new EngineChooser();
    run(c, 100, { lz: 0.1, fast: 0.02 });
    const later = run(c, 1200, { lz: 0.005, fast: 0.02 });
    expect(later.slice(-100).filter((p) => p === 'lz').length).toBeGreaterThan(90);
  });

  it('re-measures the losing engine less often while it stays far dearer, and often again once the costs meet', () => {
    const c = new EngineChooser();
    const picks = run(c, 2000, { lz: 0.1, fast: 0.02 });
    expect(c.reprobeInterval).toBe(128);
    // Probes of m2m-lz-1 after the first two frames: at 32, +64, +128, +128, … frames: ~17, not 2000/32.
    const probes = picks.slice(2).filter((p) => p === 'lz').length;
    expect(probes).toBeGreaterThanOrEqual(14);
    expect(probes).toBeLessThanOrEqual(20);
    run(c, 600, { lz: 0.021, fast: 0.02 });
    expect(c.reprobeInterval).toBe(32);
  });

  it('a preempted encode moves the average at most 4× and bad samples are ignored', () => {
    const c = new EngineChooser();
    c.record('lz', 10, 1000);
    c.record('lz', 10_000, 1000);
    expect(c.costs.lz).toBeCloseTo(0.01 + (0.04 - 0.01) / 8, 10);
    c.record('lz', Number.NaN, 1000);
    c.record('lz', 5, 0);
    expect(c.costs.lz).toBeCloseTo(0.01 + (0.04 - 0.01) / 8, 10);
  });
});
