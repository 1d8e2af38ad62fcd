/**
 * Multinomial logistic regression on sparse vectors, trained with AdaGrad SGD.
 * Deterministic: the only randomness is the seeded shuffle.
 */
import type { SparseVector } from '../model/features.js';

export interface TrainOptions {
  buckets: number;
  classes: number;
  /** @default 10 */
  epochs?: number;
  /** AdaGrad base learning rate. @default 0.3 */
  learningRate?: number;
  /** L2 penalty applied to touched weights. @default 1e-6 */
  l2?: number;
  /** @default 1 */
  seed?: number;
}

export interface Trained {
  weights: Float32Array;
  bias: Float32Array;
}

/** Small seeded PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fit weights `[buckets, classes]` and bias `[classes]`.
 * @param y class index per row
 * @param sampleWeight per-row loss weight (class balancing)
 */
export function trainLogReg(x: readonly SparseVector[], y: ArrayLike<number>, sampleWeight: ArrayLike<number>, opts: TrainOptions): Trained {
  const c = opts.classes;
  const epochs = opts.epochs ?? 10;
  const lr = opts.learningRate ?? 0.3;
  const l2 = opts.l2 ?? 1e-6;
  const rnd = mulberry32(opts.seed ?? 1);
  const w = new Float64Array(opts.buckets * c);
  const g2 = new Float64Array(opts.buckets * c);
  const b = new Float64Array(c);
  const gb2 = new Float64Array(c);
  const z = new Float64Array(c);
  const order = Array.from({ length: x.length }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const { indices, values } = x[i];
      for (let k = 0; k < c; k++) z[k] = b[k];
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n] * c;
        for (let k = 0; k < c; k++) z[k] += w[base + k] * values[n];
      }
      let max = -Infinity;
      for (let k = 0; k < c; k++) if (z[k] > max) max = z[k];
      let sum = 0;
      for (let k = 0; k < c; k++) sum += z[k] = Math.exp(z[k] - max);
      const sw = sampleWeight[i];
      for (let k = 0; k < c; k++) z[k] = sw * (z[k] / sum - (y[i] === k ? 1 : 0));
      for (let k = 0; k < c; k++) {
        gb2[k] += z[k] * z[k];
        b[k] -= (lr * z[k]) / (Math.sqrt(gb2[k]) + 1e-8);
      }
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n] * c;
        const v = values[n];
        for (let k = 0; k < c; k++) {
          const j = base + k;
          const g = z[k] * v + l2 * w[j];
          g2[j] += g * g;
          w[j] -= (lr * g) / (Math.sqrt(g2[j]) + 1e-8);
        }
      }
    }
  }
  return { weights: Float32Array.from(w), bias: Float32Array.from(b) };
}
