import { describe, expect, it } from 'vitest';
import { atThreshold, rocAuc, thresholdAtFpr } from '../../../inference/train/metrics.js';

describe('metrics', () => {
  it('ROC AUC: 1 when separated, 0.5 for ties, rank-sum otherwise', () => {
    expect(rocAuc([{ score: 0.9, attack: true }, { score: 0.1, attack: false }])).toBe(1);
    expect(rocAuc([{ score: 0.5, attack: true }, { score: 0.5, attack: false }])).toBe(0.5);
    // attacks 0.8, 0.4; benign 0.6, 0.2 → pairs won: (0.8>0.6, 0.8>0.2, 0.4>0.2) = 3 of 4
    expect(rocAuc([0.8, 0.4].map((score) => ({ score, attack: true })).concat([0.6, 0.2].map((score) => ({ score, attack: false }))))).toBe(0.75);
    expect(rocAuc([{ score: 1, attack: true }])).toBeNaN();
  });

  it('thresholdAtFpr flags at most the allowed share of benign scores', () => {
    const benign = Array.from({ length: 100 }, (_, i) => i / 100);
    const t = thresholdAtFpr(benign, 0.02);
    expect(benign.filter((s) => s >= t).length).toBe(2);
    expect(benign.filter((s) => s >= thresholdAtFpr(benign, 0)).length).toBe(0);
  });

  it('atThreshold counts recall, FPR, precision and F1', () => {
    const r = atThreshold(
      [
        { score: 0.9, attack: true },
        { score: 0.7, attack: true },
        { score: 0.2, attack: true },
        { score: 0.8, attack: false },
        { score: 0.1, attack: false },
      ],
      0.5,
    );
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.fpr).toBe(0.5);
    expect(r.precision).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
  });
});
