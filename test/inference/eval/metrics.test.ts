import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { confusion, f1, fpr, percentile, precision, recall, recallAtFpr, rocAuc, thresholdAtFpr } from '../../../inference/eval/metrics.js';

const rows = [
  { score: 0.9, positive: true },
  { score: 0.8, positive: true },
  { score: 0.3, positive: true },
  { score: 0.7, positive: false },
  { score: 0.1, positive: false },
  { score: 0.0, positive: false },
];

describe('metrics', () => {
  it('confusion and derived rates', () => {
    const c = confusion(rows, 0.5);
    expect(c).toEqual({ tp: 2, fn: 1, fp: 1, tn: 2 });
    expect(recall(c)).toBeCloseTo(2 / 3);
    expect(fpr(c)).toBeCloseTo(1 / 3);
    expect(precision(c)).toBeCloseTo(2 / 3);
    expect(f1(c)).toBeCloseTo(2 / 3);
  });

  it('AUC by ranks with ties counted half', () => {
    // pairs (pos, neg): 9 total; wins: 0.9 beats 3, 0.8 beats 3, 0.3 beats 2 → 8/9
    expect(rocAuc(rows)).toBeCloseTo(8 / 9);
    expect(rocAuc([{ score: 0.5, positive: true }, { score: 0.5, positive: false }])).toBe(0.5);
    expect(rocAuc([{ score: 1, positive: true }])).toBeNaN();
  });

  it('threshold at FPR lets through at most the allowed benign rows', () => {
    const t = thresholdAtFpr(rows, 0);
    expect(t).toBeGreaterThan(0.7);
    expect(confusion(rows, t).fp).toBe(0);
    expect(recallAtFpr(rows, 0)).toBeCloseTo(2 / 3);
  });

  it('recall at FPR never exceeds the FPR budget (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ score: fc.double({ min: 0, max: 1, noNaN: true }), positive: fc.boolean() }), { minLength: 1, maxLength: 60 }), (rs) => {
        const t = thresholdAtFpr(rs, 0.1);
        expect(fpr(confusion(rs, t))).toBeLessThanOrEqual(0.1 + 1e-12);
      }),
    );
  });

  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
  });
});
