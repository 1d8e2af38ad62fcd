import { describe, expect, it } from 'vitest';
import { trainLogReg } from '../../../inference/train/logreg.js';
import { classProbabilities, MODEL_LABELS } from '../../../inference/model/linear-model.js';
import { DEFAULT_FEATURE_CONFIG } from '../../../inference/model/features.js';
import type { SparseVector } from '../../../inference/model/features.js';

const vec = (i: number[]): SparseVector => ({ indices: Int32Array.from(i), values: Float32Array.from(i.map(() => 1 / Math.sqrt(i.length))) });

describe('trainLogReg', () => {
  const x = [vec([1, 2]), vec([1, 3]), vec([4, 5]), vec([4, 6]), vec([7]), vec([8])];
  const y = [0, 0, 1, 1, 2, 3];
  const w = y.map(() => 1);
  const opts = { buckets: 16, classes: 4, epochs: 30, seed: 5 };

  it('separates a separable toy problem', () => {
    const t = trainLogReg(x, y, w, opts);
    const model = { version: 't', labels: MODEL_LABELS, features: { ...DEFAULT_FEATURE_CONFIG, bucketsLog2: 4 }, weights: t.weights, bias: t.bias, threshold: 0.5 };
    x.forEach((v, i) => {
      const p = classProbabilities(model, v);
      expect(p.indexOf(Math.max(...p))).toBe(y[i]);
    });
  });

  it('is deterministic for a seed', () => {
    const a = trainLogReg(x, y, w, opts);
    const b = trainLogReg(x, y, w, opts);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    const c = trainLogReg(x, y, w, { ...opts, seed: 6 });
    expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
  });
});
